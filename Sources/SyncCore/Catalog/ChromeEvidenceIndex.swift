import GRDB

/// Keeps `line_evidence` and the chrome verdicts current inside one write transaction.
///
/// Every stored analysis replaces its content's evidence rows; a removed content's rows go
/// with it; a content whose cluster changed moves its lines' counts. At the end of the
/// transaction the lines touched are recounted (distinct clusters, one indexed query per
/// line) and their verdicts updated, with hysteresis: a line becomes chrome at
/// `ChromeEvidence.minimumClusters` and stops being chrome only below one less, so a
/// re-analysis that moves one cluster cannot flip a verdict back and forth.
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

    private let selectKeys: RawStatement
    private let deleteRows: RawStatement
    private let insertRow: RawStatement
    private let selectClusters: RawStatement
    private let upsertVerdict: RawStatement
    private let deleteVerdict: RawStatement
    private let selectDisagreeing: RawStatement

    init(db: Database, verdicts: ChromeVerdicts) throws {
        self.verdicts = verdicts
        chrome = verdicts.snapshot
        selectKeys = try RawStatement(db, "SELECT key FROM line_evidence WHERE content_id = ?")
        deleteRows = try RawStatement(db, "DELETE FROM line_evidence WHERE content_id = ?")
        insertRow = try RawStatement(
            db, "INSERT INTO line_evidence(key, content_id, as_chrome) VALUES (?, ?, ?)")
        // The clusters themselves, counted here: COUNT(DISTINCT) builds an ephemeral B-tree per
        // call, and nearly every line is in one text.
        selectClusters = try RawStatement(
            db, "SELECT c.cluster FROM line_evidence e JOIN contents c ON c.id = e.content_id WHERE e.key = ?"
        )
        upsertVerdict = try RawStatement(
            db,
            "INSERT INTO chrome_lines(key, clusters) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET clusters = ?2"
        )
        deleteVerdict = try RawStatement(db, "DELETE FROM chrome_lines WHERE key = ?")
        selectDisagreeing = try RawStatement(
            db,
            "SELECT content_id FROM line_evidence WHERE key = ? AND as_chrome IS NOT NULL AND as_chrome <> ?")
    }

    /// Content `id`'s analysis was stored; `isNew`: it has no evidence rows yet.
    mutating func store(_ analysis: ContentAnalysis, for id: Int64, isNew: Bool) throws {
        if !isNew { try removeRows(of: id) }
        for line in analysis.evidence {
            try insertRow.run([
                .int(Int64(bitPattern: line.key)), .int(id),
                line.treatedAsChrome.map { .int($0 ? 1 : 0) } ?? .null,
            ])
            touchedKeys.insert(line.key)
        }
        stored.append((id, analysis.evidence))
    }

    /// Content `id` is about to be deleted.
    mutating func willRemove(_ id: Int64) throws {
        try removeRows(of: id)
        stored.removeAll { $0.id == id }
    }

    /// Content `id` moved to another cluster: its lines' counts may have changed.
    mutating func clusterChanged(_ id: Int64) throws {
        try selectKeys.query([.int(id)]) { touchedKeys.insert(UInt64(bitPattern: $0.int(0))) }
    }

    private mutating func removeRows(of id: Int64) throws {
        try clusterChanged(id)  // its lines lose this content's cluster: recount them too
        try deleteRows.run([.int(id)])
    }

    /// Recounts the touched lines, updates their verdicts and, on commit, publishes them and
    /// asks for the affected contents to be analysed again. Runs once, after the clusters.
    mutating func finish(_ db: Database) throws {
        for key in touchedKeys.sorted() {
            var distinct: Set<String> = []
            try selectClusters.query([.int(Int64(bitPattern: key))]) { distinct.insert($0.text(0)) }
            let clusters = Int64(distinct.count)
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
        let verdicts = self.verdicts
        let published = changedVerdicts ? chrome : nil
        let due = mismatched
        db.afterNextTransaction(onCommit: { _ in
            if let published { verdicts.replace(with: published) }
            if !due.isEmpty { verdicts.queueReanalysis(due) }
        })
    }
}
