import Foundation
import GRDB

/// `v4-check-lists`: the CHECK constraints' `IN (…)` lists rewritten as `=`/`OR` chains.
///
/// SQLite evaluates a CHECK's `IN` list of literals by building an ephemeral B-tree for it on
/// every row written (two per `files` and `changes` row): 15 µs a row, most of a cold byte
/// scan's write time (a 15,000-row trial: 0.40 s with the lists, 0.16 s with OR chains or no
/// CHECK at all). The rewrite is the same predicate, so every row already stored satisfies
/// it; SQLite documents editing `sqlite_schema` for exactly this kind of change (a CHECK
/// constraint changed, the on-disk format untouched), which avoids rebuilding three tables
/// with their indexes, triggers and foreign keys.
enum CheckListsMigration {
    /// Tables whose CHECK constraints use literal lists.
    static let tables = ["contents", "files", "changes"]

    static func migrate(_ db: Database) throws {
        var edits: [(name: String, sql: String)] = []
        for table in tables {
            guard
                let sql = try String.fetchOne(
                    db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                    arguments: [table])
            else {
                continue
            }
            let rewritten = rewriteLists(sql)
            if rewritten != sql { edits.append((table, rewritten)) }
        }
        guard !edits.isEmpty else { return }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for edit in edits {
            try db.execute(
                sql: "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
                arguments: [edit.sql, edit.name])
        }
        // A new schema version makes every connection (this one included) reparse the schema.
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }

    /// `column IN ('a', 'b')` → `(column = 'a' OR column = 'b')`, and `column NOT IN (…)` →
    /// `(column <> 'a' AND column <> 'b')`, for lists of literals.
    static func rewriteLists(_ sql: String) -> String {
        let pattern = #"(\w+)\s+(NOT\s+)?IN\s*\(([^()]*)\)"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else {
            return sql
        }
        var result = sql
        let matches = regex.matches(in: sql, range: NSRange(sql.startIndex..., in: sql))
        for match in matches.reversed() {
            guard let whole = Range(match.range, in: sql),
                let columnRange = Range(match.range(at: 1), in: sql),
                let listRange = Range(match.range(at: 3), in: sql)
            else { continue }
            let negated = match.range(at: 2).location != NSNotFound
            let column = String(sql[columnRange])
            let values = sql[listRange].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // Only plain literals: a list with a comma inside a string, or an expression, stays.
            guard !values.isEmpty,
                values.allSatisfy({ value in
                    (value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2
                        && !value.dropFirst().dropLast().contains("'"))
                        || Int(value) != nil
                })
            else { continue }
            let terms = values.map { "\(column) \(negated ? "<>" : "=") \($0)" }
            result.replaceSubrange(
                whole, with: "(" + terms.joined(separator: negated ? " AND " : " OR ") + ")")
        }
        return result
    }
}
