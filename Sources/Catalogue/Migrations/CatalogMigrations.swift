import GRDB

/// The catalogue's schema history, one migration per file in this folder. Never edit a
/// migration that has shipped: add a new one. The identifiers are stored in every catalogue
/// (GRDB's `grdb_migrations`), so they stay as they shipped, two of them starting `v2-`.
enum CatalogMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(
            "v1-files-contents-changes", migrate: FilesContentsChangesMigration.migrate)
        migrator.registerMigration("v2-analysis", migrate: AnalysisMigration.migrate)
        // Independent of the other v2 migrations: it only adds a table and triggers.
        migrator.registerMigration("v2-control-counts", migrate: CatalogCountsMigration.migrate)
        migrator.registerMigration("v3-content-bands", migrate: ContentBandsMigration.migrate)
        migrator.registerMigration("v4-check-lists", migrate: CheckListsMigration.migrate)
        migrator.registerMigration("v5-search-ascii-tokenizer", migrate: SearchTokenizerMigration.migrate)
        migrator.registerMigration("v6-counts-kept-by-writer", migrate: CountsByWriterMigration.migrate)
        migrator.registerMigration("v7-chrome-evidence", migrate: ChromeEvidenceMigration.migrate)
        migrator.registerMigration(
            "v8-search-merges-when-idle", migrate: SearchMergesWhenIdleMigration.migrate)
        migrator.registerMigration("v9-search-crisis-merge-64", migrate: SearchCrisisMergeMigration.migrate)
        migrator.registerMigration("v10-bounded-near-links", migrate: BoundedNearLinksMigration.migrate)
        migrator.registerMigration("v11-content-sketches", migrate: ContentSketchMigration.migrate)
        migrator.registerMigration(
            "v12-content-shingle-counts", migrate: ContentShingleCountMigration.migrate)
        migrator.registerMigration("v13-band-totals", migrate: BandTotalsMigration.migrate)
        migrator.registerMigration("v14-analysis-queue", migrate: AnalysisQueueMigration.migrate)
        migrator.registerMigration("v15-evidence-by-cluster", migrate: EvidenceByClusterMigration.migrate)
        return migrator
    }
}
