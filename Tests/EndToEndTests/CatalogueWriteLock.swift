import GRDB

/// The catalogue's SQLite write lock, held from the test (`BEGIN IMMEDIATE`) until released;
/// nothing is written. The daemon's writer meanwhile waits in its busy handler.
final class CatalogueWriteLock {
    private let queue: DatabaseQueue
    private var held = true

    /// Takes the lock. `fillingTheLog`: first commit a transaction that changes nothing (a
    /// table created and dropped), so that the write-ahead log is not empty: a daemon that
    /// starts while the lock is held then writes nothing before its first transaction (GRDB
    /// writes to an empty log as it opens a pool).
    init(_ path: String, fillingTheLog: Bool = false) throws {
        var configuration = Configuration()
        // The daemon may be committing: wait for its transaction to end.
        configuration.busyMode = .timeout(30)
        // The transaction is meant to outlive the call that opens it.
        configuration.allowsUnsafeTransactions = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
        if fillingTheLog {
            try queue.write {
                try $0.execute(sql: "CREATE TABLE test_lock (id INTEGER); DROP TABLE test_lock")
            }
        }
        try queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
    }

    func release() throws {
        guard held else { return }
        held = false
        try queue.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
    }

    deinit { try? release() }
}
