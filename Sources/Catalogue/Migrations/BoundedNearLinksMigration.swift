import GRDB

/// `v10-bounded-near-links`: near links bounded per content and clusters kept as the
/// connected components of those links (`ClusterMaintainer`), with each cluster's size in
/// identity groups recorded in `cluster_groups` (clusters of one group have no row); chrome
/// evidence rows carry their content's cluster (`ChromeEvidenceIndex`).
///
/// A catalogue this migration finds holds a link for every verified pair (a story republished
/// n times has n² of them), between any two contents; those links do not keep the invariants
/// (links only inside a cluster, only from an identity group's holder), so they go, every
/// content starts in its identity group's cluster, and `ContentAnalysis.currentVersion` 3 has
/// the backfill analyse every content again, which rebuilds the links and clusters.
enum BoundedNearLinksMigration {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE cluster_groups (
                    cluster TEXT PRIMARY KEY,
                    group_count INTEGER NOT NULL CHECK (group_count > 1)
                ) WITHOUT ROWID;
                DELETE FROM near_edges;
                -- Each evidence row carries its content's cluster: a line's distinct clusters
                -- are then a few seeks of this index, not a pass over every copy of the line.
                ALTER TABLE line_evidence ADD COLUMN cluster TEXT;
                CREATE INDEX line_evidence_cluster ON line_evidence(key, cluster);
                UPDATE contents SET cluster = lower(hex(substr(sha256, 1, 8))) WHERE norm_hash IS NULL;
                UPDATE contents SET cluster = lower(hex(substr(
                    (SELECT min(t.sha256) FROM contents t WHERE t.norm_hash = contents.norm_hash), 1, 8)))
                WHERE norm_hash IS NOT NULL;
                UPDATE line_evidence SET cluster = (SELECT c.cluster FROM contents c WHERE c.id = content_id);
                """)
    }
}
