import ControlWire
import Foundation
import SyncCore
import TestSupport

/// Talking to the fixture's daemon over its control socket, with the real `newsctl` or the
/// library's client.
extension DaemonFixture {
    /// The daemon's default control socket.
    var socket: String { state + "/newsd.sock" }

    /// Runs the built `newsctl` against the daemon (through `$NEWSD_SOCKET`, colour off), in
    /// `directory` when given.
    func newsctl(
        _ arguments: [String], environment: [String: String] = [:], timeout: Double = 60,
        in directory: String? = nil
    ) throws -> RunResult {
        var env = ["NEWSD_SOCKET": socket, "NO_COLOR": "1"]
        for (key, value) in environment { env[key] = value }
        return try run(
            Binaries.newsctl, arguments, environment: env, timeout: timeout, in: scratch,
            workingDirectory: directory)
    }

    /// A connection with the library's blocking client.
    func client() throws -> ControlClient { try ControlClient(socketPath: socket) }

    /// The daemon's status.
    func status() throws -> StatusResult {
        try client().call(ControlMethod.status.rawValue, NoParams(), as: StatusResult.self)
    }

    /// Every change since `cursor`, following pages.
    func changes(since cursor: String?) throws -> ChangesResult {
        let client = try client()
        var result = try client.call(
            ControlMethod.changes.rawValue, ChangesParams(since: cursor, limit: 10_000),
            as: ChangesResult.self)
        while result.more {
            let next = try client.call(
                ControlMethod.changes.rawValue, ChangesParams(since: result.cursor, limit: 10_000),
                as: ChangesResult.self)
            result.changes += next.changes
            result.cursor = next.cursor
            result.more = next.more
        }
        return result
    }

    /// A `sync` barrier: returns once everything written before it is catalogued.
    @discardableResult
    func sync() throws -> SyncResult {
        try client().call(ControlMethod.sync.rawValue, NoParams(), as: SyncResult.self)
    }
}
