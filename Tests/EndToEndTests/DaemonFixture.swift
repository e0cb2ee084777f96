import Catalogue
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// A scratch tree watched by a real `newsd run`, and the means to compare the two.
final class DaemonFixture {
    let scratch: Scratch
    var root: String { scratch.url("tree") }
    var state: String { scratch.url("state") }
    /// A directory outside the tree, for moves in and out.
    var outside: String { scratch.url("outside") }
    var daemon: DaemonProcess?

    init(_ label: String = "daemon") throws {
        scratch = try Scratch(label)
        try scratch.mkdir("tree")
        try scratch.mkdir("outside")
    }

    /// Starts the daemon and waits for READY=1.
    @discardableResult
    func start(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> DaemonProcess {
        let daemon = try DaemonProcess(
            scratch: scratch, root: root, state: state, arguments: ["--poll-interval", "1"] + arguments,
            environment: environment)
        self.daemon = daemon
        try daemon.waitReady()
        return daemon
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func write(_ relative: String, _ text: String) throws { try scratch.write("tree/" + relative, text) }

    /// The catalogue as `path → sha256` (or `skipped` / `unreadable`), read directly.
    func catalogue() throws -> [String: String] {
        let database = try AppDatabase.open(stateDirectory: state, readOnly: true)
        var result: [String: String] = [:]
        for entry in try database.entries(under: .root) {
            switch entry.state {
            case .skipped: result[entry.path.display] = "skipped"
            case .ok, .error:
                result[entry.path.display] =
                    entry.sha256.map { $0.map { String(format: "%02x", $0) }.joined() } ?? "unreadable"
            }
        }
        return result
    }

    /// Waits until the catalogue equals the tree, path for path and hash for hash.
    func waitForConvergence(timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) {
        var expected: [String: String] = [:]
        var actual: [String: String] = [:]
        let converged = waitUntil(timeout: timeout) {
            expected = TreeSnapshot.take(root)
            actual = (try? catalogue()) ?? [:]
            return expected == actual
        }
        let tail = String(daemon?.log.suffix(3000) ?? "")
        let difference = TreeSnapshot.difference(expected: expected, actual: actual)
        #expect(
            converged,
            "the catalogue did not converge:\n\(difference)\n--- daemon log (tail)\n\(tail)",
            sourceLocation: sourceLocation)
    }

    func changes() throws -> [ChangeEntry] {
        try AppDatabase.open(stateDirectory: state, readOnly: true).changes(after: 0, limit: 1_000_000)
    }
}
