import Dedup
import GRDB
import TextAnalysis

/// Keeps `line_evidence` and the chrome verdicts current inside one write transaction.
///
/// Every stored analysis replaces its content's evidence rows; a removed content's rows go
/// with it; a content whose cluster changed moves its lines' counts. Each row carries its
/// content's cluster label (the empty label while it has none), and the table is ordered by
/// `(key, cluster, content_id)`, so the distinct clusters of a line are found by seeking it
/// from one label to the next: at most `countedClusters` seeks however many copies of one
/// story repeat the line (counting the rows of a line that a story republished 8,000 times
/// repeats cost every new copy a pass over 8,000 rows). At the end of the transaction the
/// lines touched are recounted and their verdicts updated, with hysteresis: a line becomes
/// chrome at `ChromeEvidence.minimumClusters` and stops being chrome only below one less, so
/// a re-analysis that moves one cluster cannot flip a verdict back and forth.
struct ChromeEvidenceIndex {
    private let verdicts: ChromeVerdicts
    /// The verdicts as this transaction has left them (committed ones plus its changes).
    private var chrome: Set<UInt64>
    private var changedVerdicts = false
    /// Contents whose stored analysis disagrees with the verdicts as this transaction leaves them.
    private var mismatched: Set<Int64> = []
    private var touchedKeys: Set<UInt64> = []
    /// Contents stored in this transaction, with their lines.
    private var stored: [(id: Int64, lines: [EvidenceLine])] = []
    /// Contents whose rows must take their content's cluster label before the recount.
    private var relabel: Set<Int64> = []
    /// Distinct clusters counted per line, at most: enough for the verdicts (and their
    /// hysteresis) with room to spare; `chrome_lines.clusters` says "at least" past it.
    static let countedClusters = 4 * ChromeEvidence.minimumClusters

    private let selectKeys: RawStatement
    private let deleteRows: RawStatement
    private let insertRow: RawStatement
    private let selectNextCluster: RawStatement
    private let updateLabel: RawStatement
    private let upsertVerdict: RawStatement
    private let deleteVerdict: RawStatement
    private let selectDisagreeing: RawStatement
    private let enqueue: RawStatement
    private let dequeue: RawStatement

    init(db: Database, verdicts: ChromeVerdicts) throws {
        self.verdicts = verdicts
        chrome = verdicts.snapshot
        selectKeys = try RawStatement(db, "SELECT key FROM line_evidence WHERE content_id = ?")
        deleteRows = try RawStatement(db, "DELETE FROM line_evidence WHERE content_id = ?")
        insertRow = try RawStatement(
            db,
            """
            INSERT INTO line_evidence(key, content_id, as_chrome, cluster)
            VALUES (?1, ?2, ?3, coalesce((SELECT cluster FROM contents WHERE id = ?2), ''))
            """)
        selectNextCluster = try RawStatement(
            db, "SELECT cluster FROM line_evidence WHERE key = ?1 AND cluster > ?2 ORDER BY cluster LIMIT 1")
        updateLabel = try RawStatement(
            db,
            "UPDATE line_evidence SET cluster = coalesce((SELECT cluster FROM contents WHERE id = ?1), '') WHERE content_id = ?1"
        )
        upsertVerdict = try RawStatement(
            db,
            "INSERT INTO chrome_lines(key, clusters) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET clusters = ?2"
        )
        deleteVerdict = try RawStatement(db, "DELETE FROM chrome_lines WHERE key = ?")
        selectDisagreeing = try RawStatement(
            db,
            "SELECT content_id FROM line_evidence WHERE key = ? AND as_chrome IS NOT NULL AND as_chrome <> ?")
        // Only a content still catalogued: one removed later in the transaction leaves with
        // its queue row (the cascade), one removed earlier must not get one.
        enqueue = try RawStatement(
            db, "INSERT OR IGNORE INTO analysis_queue(content_id) SELECT id FROM contents WHERE id = ?")
        dequeue = try RawStatement(db, "DELETE FROM analysis_queue WHERE content_id = ?")
    }

    /// Content `id`'s analysis was stored; `isNew`: it has no evidence rows yet.
    mutating func store(_ analysis: ContentAnalysis, for id: Int64, isNew: Bool) throws {
        if !isNew {
            // Analysed again: off the queue (`finish` puts it back if it still disagrees).
            try dequeue.run([.int(id)])
            try removeRows(of: id)
            // Detached from its cluster while it is analysed again: labelled at the end.
            relabel.insert(id)
        }
        for line in analysis.evidence { touchedKeys.insert(line.key) }
        // Its rows are written in `finish`, once its cluster is known: written now, each would
        // be written again with the label, in an index ordered by line, not by content.
        stored.removeAll { $0.id == id }
        stored.append((id, analysis.evidence))
    }

    /// Content `id` is about to be deleted.
    mutating func willRemove(_ id: Int64) throws {
        try removeRows(of: id)
        stored.removeAll { $0.id == id }
    }

    /// Content `id` has another cluster label: its rows take it at the end of the transaction.
    mutating func relabelled(_ id: Int64) {
        relabel.insert(id)
    }

    /// Content `id` moved between clusters in a way that may change how many clusters hold
    /// its lines (a merge or a split, not a rename): they are recounted.
    mutating func recount(_ id: Int64) throws {
        try selectKeys.query([.int(id)]) { touchedKeys.insert(UInt64(bitPattern: $0.int(0))) }
    }

    private mutating func removeRows(of id: Int64) throws {
        try recount(id)  // its lines lose this content's cluster
        try deleteRows.run([.int(id)])
    }

    /// The distinct clusters among the contents with line `key`, up to `countedClusters`:
    /// one index seek each, from one label to the next.
    private func distinctClusters(of key: UInt64) throws -> Int {
        var count = 0
        var last: String? = ""
        while count < ChromeEvidenceIndex.countedClusters, let after = last {
            last = nil
            try selectNextCluster.query([.int(Int64(bitPattern: key)), .text(after)]) { last = $0.text(0) }
            if last != nil { count += 1 }
        }
        return count
    }

    /// Recounts the touched lines, updates their verdicts and, on commit, publishes them and
    /// asks for the affected contents to be analysed again. Runs once, after the clusters.
    mutating func finish(_ db: Database) throws {
        var rows: [(key: UInt64, id: Int64, asChrome: Bool?)] = []
        for item in stored {
            for line in item.lines { rows.append((line.key, item.id, line.treatedAsChrome)) }
        }
        // In the index's order (by line), so each of its pages is visited once.
        rows.sort { ($0.key, $0.id) < ($1.key, $1.id) }
        for row in rows {
            try insertRow.run([
                .int(Int64(bitPattern: row.key)), .int(row.id),
                row.asChrome.map { .int($0 ? 1 : 0) } ?? .null,
            ])
        }
        let inserted = Set(stored.map(\.id))
        for id in relabel.sorted() where !inserted.contains(id) { try updateLabel.run([.int(id)]) }
        relabel.removeAll()
        for key in touchedKeys.sorted() {
            let clusters = Int64(try distinctClusters(of: key))
            let was = chrome.contains(key)
            let isChrome =
                was
                ? clusters >= Int64(ChromeEvidence.minimumClusters - 1)
                : clusters >= Int64(ChromeEvidence.minimumClusters)
            if isChrome {
                try upsertVerdict.run([.int(Int64(bitPattern: key)), .int(clusters)])
            } else if was {
                try deleteVerdict.run([.int(Int64(bitPattern: key))])
            }
            if isChrome != was {
                changedVerdicts = true
                if isChrome { chrome.insert(key) } else { chrome.remove(key) }
                // Only texts whose analysis this verdict changes are analysed again.
                try selectDisagreeing.query([.int(Int64(bitPattern: key)), .int(isChrome ? 1 : 0)]) {
                    mismatched.insert($0.int(0))
                }
            }
        }
        touchedKeys.removeAll()
        // Analysed (on a worker) under verdicts older than this transaction's.
        for item in stored
        where item.lines.contains(where: { line in
            line.treatedAsChrome.map { $0 != chrome.contains(line.key) } ?? false
        }) {
            mismatched.insert(item.id)
        }
        stored.removeAll()
        guard changedVerdicts || !mismatched.isEmpty else { return }
        for id in mismatched.sorted() { try enqueue.run([.int(id)]) }
        let verdicts = self.verdicts
        let published = changedVerdicts ? chrome : nil
        let due = mismatched
        db.afterNextTransaction(onCommit: { _ in
            if let published { verdicts.replace(with: published) }
            if !due.isEmpty { verdicts.queueReanalysis(due) }
        })
    }
}
