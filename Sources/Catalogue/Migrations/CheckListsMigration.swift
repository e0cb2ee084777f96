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
    /// `(column <> 'a' AND column <> 'b')`, for lists of literals. (A small scanner rather than
    /// NSRegularExpression, which is ICU's: compiling one pattern at every new catalogue left
    /// ICU's regex engine and property sets resident in the daemon.)
    static func rewriteLists(_ sql: String) -> String {
        let text = Array(sql.unicodeScalars)
        var result = String.UnicodeScalarView()
        var copied = 0
        var index = 0
        while index < text.count {
            // A list starts at a whole word: the column.
            guard isWordScalar(text[index]), index == 0 || !isWordScalar(text[index - 1]) else {
                index += 1
                continue
            }
            let wordEnd = text[index...].firstIndex { !isWordScalar($0) } ?? text.count
            guard let (negated, listStart, listEnd) = list(after: wordEnd, in: text),
                let replacement = replacement(
                    column: String(String.UnicodeScalarView(text[index..<wordEnd])),
                    list: String(String.UnicodeScalarView(text[listStart..<listEnd])), negated: negated)
            else {
                index = wordEnd
                continue
            }
            result.append(contentsOf: text[copied..<index])
            result.append(contentsOf: replacement.unicodeScalars)
            copied = listEnd + 1
            index = copied
        }
        result.append(contentsOf: text[copied...])
        return String(result)
    }

    /// After a column ending at `start`: whitespace, an optional `NOT` and whitespace, `IN`,
    /// optional whitespace and a parenthesised list without nested parentheses. Returns
    /// whether it is negated and the list's bounds (inside the parentheses).
    private static func list(after start: Int, in text: [Unicode.Scalar]) -> (Bool, Int, Int)? {
        func spaces(from index: Int) -> Int {
            text[index...].firstIndex { !$0.properties.isWhitespace } ?? text.count
        }
        func keyword(_ word: String, at index: Int) -> Bool {
            let letters = Array(word.unicodeScalars)
            guard index + letters.count <= text.count else { return false }
            return zip(text[index..<index + letters.count], letters).allSatisfy {
                String($0.0).uppercased() == String($0.1)
            }
        }
        var index = spaces(from: start)
        guard index > start else { return nil }
        var negated = false
        if keyword("NOT", at: index), spaces(from: index + 3) > index + 3 {
            negated = true
            index = spaces(from: index + 3)
        }
        guard keyword("IN", at: index) else { return nil }
        index = spaces(from: index + 2)
        guard index < text.count, text[index] == "(" else { return nil }
        guard let close = text[(index + 1)...].firstIndex(where: { $0 == ")" || $0 == "(" }),
            text[close] == ")"
        else { return nil }
        return (negated, index + 1, close)
    }

    /// The `=`/`OR` (or `<>`/`AND`) chain for a list of plain literals; nil for anything else
    /// (a comma inside a string, an expression), which stays as it is.
    private static func replacement(column: String, list: String, negated: Bool) -> String? {
        let values = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !values.isEmpty,
            values.allSatisfy({ value in
                (value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2
                    && !value.dropFirst().dropLast().contains("'"))
                    || Int(value) != nil
            })
        else { return nil }
        let terms = values.map { "\(column) \(negated ? "<>" : "=") \($0)" }
        return "(" + terms.joined(separator: negated ? " AND " : " OR ") + ")"
    }

    /// A scalar of a word (`\w`): a letter, a digit or an underscore.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
