import GRDB
import NewsCore

/// How one write transaction moved the catalogue's counts (`catalog_counts`), written once
/// at its end.
///
/// Triggers could keep the counts (`v2-control-counts` had them), but a table with triggers
/// makes SQLite open a statement journal for every insert into it, copying each page the insert
/// touches: with one UPDATE of the counts row per file and per content on top, a third of a
/// cold byte scan's write time. The writer knows every row it adds, changes and removes;
/// `v6-counts-kept-by-writer` drops the triggers.
struct CountDeltas {
    var files = 0
    var skipped = 0
    var errors = 0
    var contents = 0
    /// Net files gained (or lost) per content: a duplicate group forms when a content goes
    /// from one file to two or more, and dissolves on the way back.
    var filesPerContent: [Int64: Int] = [:]

    /// Counts a `files` row of `kind` and `state` (and its content) in (`+1`) or out (`-1`).
    mutating func file(kind: String, state: FileState, content: Int64?, by sign: Int) {
        if kind == EntryKind.regular.rawValue { files += sign }
        if state == .skipped { skipped += sign }
        if state == .error { errors += sign }
        if let content { filesPerContent[content, default: 0] += sign }
    }

    /// Adds the deltas to the counts row, in the transaction that made them.
    func write(_ db: Database) throws {
        var groups = 0
        let countFiles = try RawStatement(db, "SELECT COUNT(*) FROM files WHERE content_id = ?")
        for (content, delta) in filesPerContent where delta != 0 {
            var now = 0
            try countFiles.query([.int(content)]) { now = Int($0.int(0)) }
            let before = now - delta
            groups += (now >= 2 ? 1 : 0) - (before >= 2 ? 1 : 0)
        }
        guard files != 0 || skipped != 0 || errors != 0 || contents != 0 || groups != 0 else { return }
        try db.execute(
            sql: """
                UPDATE catalog_counts SET files = files + ?, skipped = skipped + ?, errors = errors + ?,
                    contents = contents + ?, duplicate_groups = duplicate_groups + ?
                WHERE id = 1
                """,
            arguments: [files, skipped, errors, contents, groups])
    }
}
