import Catalogue
import NewsCore

/// The catalogue's rows of one scope in path order, read a page at a time, the next page on
/// another thread while the caller works through the current one: a pass merges them with
/// the walk and never holds the catalogue's rows whole.
struct CatalogRowStream {
    /// Rows read per page.
    static let pageSize = 2048

    private let database: AppDatabase
    /// The first path after the scope (none for the root).
    private let upper: [UInt8]?
    private var page: [CatalogEntry] = []
    private var index = 0
    private var nextPage: BackgroundWork<[CatalogEntry]>?
    /// Seconds spent waiting for a page that was not read yet.
    private(set) var waitSeconds = 0.0

    /// The rows at `scope` and beneath it (every row for the root).
    init(database: AppDatabase, scope: RelativePath) throws {
        self.database = database
        if scope.isRoot {
            upper = nil
            nextPage = Self.read(database, after: [], before: nil)
        } else {
            // The scope's own row sorts before its descendants' (`scope` < `scope/…`), and no
            // path is `scope/` itself, so the descendants are the paths after `scope/`.
            let range = scope.descendantKeyRange
            upper = range.upper
            page = try database.entry(at: scope).map { [$0] } ?? []
            nextPage = Self.read(database, after: range.lower, before: range.upper)
        }
    }

    /// The next row in path order, or `nil` after the last.
    mutating func next() throws -> CatalogEntry? {
        while index == page.count {
            guard let pending = nextPage else { return nil }
            var clock = Stopwatch()
            page = try pending.wait()
            waitSeconds += clock.lap()
            index = 0
            nextPage =
                page.count < Self.pageSize
                ? nil : page.last.map { Self.read(database, after: $0.path.bytes, before: upper) }
        }
        defer { index += 1 }
        return page[index]
    }

    private static func read(_ database: AppDatabase, after: [UInt8], before: [UInt8]?)
        -> BackgroundWork<[CatalogEntry]>
    {
        BackgroundWork { try database.entries(after: after, before: before, limit: pageSize) }
    }
}
