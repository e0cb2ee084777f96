import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// The socket file itself: permissions, peer credentials, stale and live sockets, and sockets
/// passed by systemd.
@Suite struct ControlSocketTests {
    @Test func theSocketIsCreatedWithMode0660AndRemovedOnExit() throws {
        let fixture = try DaemonFixture("ctl-mode")
        try fixture.start()
        var st = stat()
        #expect(lstat(fixture.socket, &st) == 0)
        #expect(st.st_mode & S_IFMT == S_IFSOCK)
        #expect(st.st_mode & 0o777 == 0o660)
        try fixture.daemon?.stop()
        #expect(lstat(fixture.socket, &st) != 0, "the socket outlived the daemon")
    }

    @Test func aStaleSocketIsReplacedAndALiveOneIsNeverStolen() throws {
        let fixture = try DaemonFixture("ctl-stale")
        // A socket file nobody listens on, as a crashed daemon leaves it.
        try FileManager.default.createDirectory(atPath: fixture.state, withIntermediateDirectories: true)
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in Array(fixture.socket.utf8).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        close(stale)
        try fixture.start()
        #expect(try fixture.newsctl(["status"]).status == 0)

        // A second daemon (another state directory) on the same socket is refused, and the
        // first keeps serving.
        let second = try DaemonProcess(
            scratch: fixture.scratch, root: fixture.root, state: fixture.scratch.url("state2"),
            arguments: ["--socket", fixture.socket], label: "second")
        #expect(try second.waitForExit() == 1)
        #expect(second.log.contains("already serving"), "\(second.log)")
        #expect(try fixture.newsctl(["status"]).status == 0)
    }

    @Test func aPeerOutsideTheSocketsUsersAndGroupIsRefused() throws {
        guard geteuid() == 0 else {
            print("skipped: switching to another uid with setpriv needs root")
            return
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("skipped: setpriv (util-linux) is not installed")
            return
        }
        let fixture = try DaemonFixture("ctl-peer")
        // A directory everyone can traverse, and a socket everyone may connect to: only the
        // daemon's SO_PEERCRED check stands between other users and the catalogue.
        chmod(fixture.scratch.path, 0o755)
        try fixture.scratch.mkdir("public")
        chmod(fixture.scratch.url("public"), 0o755)
        let socket = fixture.scratch.url("public/newsd.sock")
        try fixture.start(["--socket", socket, "--socket-mode", "0666", "--socket-group", "65534"])
        func asUser(gid: Int) throws -> RunResult {
            try run(
                "/usr/bin/setpriv",
                [
                    "--reuid=65534", "--regid=\(gid)", "--clear-groups", Binaries.newsctl, "status",
                    "--socket", socket,
                ],
                environment: ["NO_COLOR": "1"], in: fixture.scratch)
        }
        let stranger = try asUser(gid: 65_533)
        #expect(stranger.status == 1, "\(stranger)")
        #expect(stranger.stderr.contains("permission_denied"), "\(stranger)")
        // A member of the socket's group is served.
        let member = try asUser(gid: 65_534)
        #expect(member.status == 0, "\(member)")
        #expect(fixture.daemon?.log.contains("control client refused") == true)
        // With the default mode the kernel keeps the stranger out before newsd sees it.
        chmod(socket, 0o660)
        let blocked = try asUser(gid: 65_533)
        #expect(blocked.status == 3, "\(blocked)")
        #expect(blocked.stderr.contains("permissions"), "\(blocked)")
    }

    @Test func aSocketPassedBySystemdIsUsedAndNeverUnlinked() throws {
        let activate = "/usr/bin/systemd-socket-activate"
        guard FileManager.default.isExecutableFile(atPath: activate) else {
            print("skipped: systemd-socket-activate (Debian's systemd package) is not installed")
            return
        }
        let fixture = try DaemonFixture("ctl-activate")
        try fixture.write("a.txt", "a\n")
        let socket = fixture.scratch.url("activated.sock")
        let launcher = try BackgroundProcess(
            activate,
            [
                "-l", socket, Binaries.newsd, "run", "--root", fixture.root, "--state", fixture.state,
                "--socket",
                fixture.scratch.url("ignored.sock"),
            ],
            scratch: fixture.scratch, label: "activate")
        #expect(
            waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: socket) }, "\(launcher.stderr)")
        // The first connection starts newsd, which serves it on the socket it was passed.
        let status = try run(
            Binaries.newsctl, ["status", "--json", "--socket", socket], environment: ["NO_COLOR": "1"],
            timeout: 60, in: fixture.scratch)
        #expect(status.status == 0, "\(status)\n\(launcher.stderr)")
        #expect(try status.json()["root"] as? String == fixture.root)
        #expect(!FileManager.default.fileExists(atPath: fixture.scratch.url("ignored.sock")))
        #expect(launcher.stderr.contains("activated=true"), "\(launcher.stderr)")
        #expect(try launcher.stop() == 0, "\(launcher.stderr)")
        var st = stat()
        #expect(lstat(socket, &st) == 0, "newsd unlinked the socket systemd passed it")
    }
}
