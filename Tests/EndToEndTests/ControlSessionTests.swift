import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// Idle connections and protocol versions.
@Suite struct ControlSessionTests {
    @Test func anIdleConnectionIsClosedButAFollowerIsNot() throws {
        let fixture = try DaemonFixture("ctl-idle")
        try fixture.start(["--idle-timeout", "1"])
        let idle = try fixture.client()
        idle.setReceiveTimeout(20)
        _ = try idle.call("status", NoParams(), as: StatusResult.self)
        let follower = try fixture.client()
        follower.setReceiveTimeout(20)
        let cursor = try fixture.status().cursor
        try follower.send(
            ControlCoding.line(
                ControlRequest(id: .number(9), method: "follow", params: FollowParams(since: cursor))))
        // The idle one is told why, then closed (the server's timer is the deadline here).
        let notice = try #require(try idle.readLine())
        #expect(try ControlCoding.decode(ControlReplyHead.self, from: notice).error?.code == .idleTimeout)
        #expect(try idle.readLine() == nil)
        // The follower outlives the timeout and still gets changes.
        try fixture.write("late.txt", "late\n")
        try fixture.sync()
        let line = try #require(try follower.readLine())
        let change = try ControlCoding.decode(ControlNotificationEnvelope<ChangeRecord>.self, from: line)
            .params
        #expect(change.path.display == "late.txt")
    }

    @Test func aDaemonSpeakingAnotherProtocolVersionExitsWithFour() throws {
        let scratch = try Scratch("ctl-version")
        let path = scratch.url("fake.sock")
        // A stand-in daemon that answers status with protocol 99.
        let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(server) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in Array(path.utf8).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0 && listen(server, 4) == 0)
        let reply = StatusResult(
            version: "9.9.9", protocolVersion: 99, state: "watching", root: "/", files: 0, skipped: 0,
            contents: 0,
            duplicateGroups: 0, errors: 0, queue: 0, cursor: "e:0", lastSeq: 0, warnings: [], epoch: "e",
            watches: 0, watchLimit: nil, polledDirectories: 0, overflows: 0, uptimeSeconds: 0,
            lastFullScan: nil,
            scanRead: 0, walBytes: 0, prunedThrough: 0, retentionSeconds: 0, clients: 1, pid: 1)
        let thread = Thread {
            let client = accept(server, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            let line = ControlCoding.line(ControlReply(id: .number(1), result: reply))
            _ = line.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client)
        }
        thread.start()
        let result = try run(Binaries.newsctl, ["status", "--socket", path], timeout: 30, in: scratch)
        #expect(result.status == 4, "\(result)")
        #expect(result.stderr.contains("protocol"), "\(result)")
    }
}

/// What the engine knows reaches `status`.
@Suite struct ControlStatusWarningTests {
    @Test func aMissingRootIsAWarningAndSyncSaysWhy() throws {
        let fixture = try DaemonFixture("ctl-warn")
        try fixture.write("a.txt", "a\n")
        try fixture.start()
        rename(fixture.root, fixture.scratch.url("moved-away"))
        var status: [String: Any] = [:]
        let degraded = waitUntil(timeout: 20) {
            status = (try? fixture.newsctl(["status", "--json"]).json()) ?? [:]
            return status["state"] as? String == "degraded"
        }
        #expect(degraded, "\(status)")
        let warnings = status["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains(fixture.root) }, "\(warnings)")
        let human = try fixture.newsctl(["status"])
        #expect(human.stdout.contains("warnings") && human.stdout.contains(fixture.root), "\(human)")
        let sync = try fixture.newsctl(["sync"])
        #expect(sync.status == 1 && sync.stderr.contains("root_unavailable"), "\(sync)")
        // The catalogue is kept while the root is away.
        #expect(try fixture.newsctl(["show", "a.txt"]).status == 0)
        rename(fixture.scratch.url("moved-away"), fixture.root)
        #expect(waitUntil(timeout: 20) { (try? fixture.status().warnings.isEmpty) == true })
    }
}
