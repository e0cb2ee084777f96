import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the catalogue's hot paths.
///
/// GRDB prepares and caches the statement; binding and stepping go straight to SQLite. A
/// full scan writes three rows per file and reads one per file, and GRDB's general-purpose
/// argument and row decoding would cost more than SQLite itself there (most of a cold scan's
/// CPU). Values are bound without copies: paths and hashes straight from their bytes.
struct RawStatement {
    private let statement: Statement
    private let db: Database
    private var handle: OpaquePointer { statement.sqliteStatement }

    /// Prepares (or reuses) the statement for `sql`.
    init(_ db: Database, _ sql: String) throws {
        self.db = db
        self.statement = try db.cachedStatement(sql: sql)
    }

    /// A value to bind.
    enum Value {
        case int(Int64)
        case real(Double)
        case blob([UInt8])
        case text(String)
        case null
    }

    /// Binds `values` to the parameters 1…n, after clearing any previous run.
    func bind(_ values: [Value]) {
        sqlite3_reset(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .int(let v): sqlite3_bind_int64(handle, index, v)
            case .real(let v): sqlite3_bind_double(handle, index, v)
            case .null: sqlite3_bind_null(handle, index)
            case .blob(let bytes):
                bytes.withUnsafeBytes { raw in
                    // A zero-length BLOB needs a non-null pointer to stay a BLOB, not NULL.
                    _ = sqlite3_bind_blob(
                        handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count),
                        transient)
                }
            case .text(let string):
                var copy = string
                copy.withUTF8 { utf8 in
                    _ = sqlite3_bind_text(
                        handle, index,
                        utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                        Int32(utf8.count), transient)
                }
            }
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [Value]) throws {
        bind(values)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
        sqlite3_reset(handle)
    }

    /// Runs a query and calls `row` for each result row (read columns with `int`, `blob`, …).
    func query(_ values: [Value], _ row: (RawRow) throws -> Void) throws {
        bind(values)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            try row(RawRow(handle: handle))
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// The current row of a `RawStatement` query.
struct RawRow {
    let handle: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }
    func real(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func optionalReal(_ column: Int32) -> Double? { isNull(column) ? nil : real(column) }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func optionalBlob(_ column: Int32) -> [UInt8]? { isNull(column) ? nil : blob(column) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
}

/// SQLite copies the value before `bind` returns (`SQLITE_TRANSIENT`, a macro Swift cannot import).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
