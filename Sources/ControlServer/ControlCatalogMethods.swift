import Catalogue
import ControlWire
import Foundation
import Glibc
import NewsCore

/// The methods answered from the catalogue: `status`, `list`, `errors`, `show`, `duplicates`.
extension ControlHandler {
    func status() async throws -> StatusResult {
        // The engine first, then the catalogue: work that commits in between is then counted
        // twice (in `queue` and in the counts), never in neither, so `queue` 0 comes with
        // counts and a cursor that already hold everything. Neither read waits for the writer.
        let engine = context.hub.status
        let (summary, prunedThrough) = try await context.database.readSummary()
        let clusters = await clusterCount(lastSeq: summary.lastSeq, busy: engine.queue > 0)
        let pending = engine.pending
        var result = StatusResult(
            version: NewsdVersion.string, protocolVersion: ControlProtocol.version,
            state: engine.state.rawValue,
            root: context.tree.root, files: summary.files, skipped: summary.skipped,
            contents: summary.contents,
            duplicateGroups: summary.duplicateGroups, errors: summary.errors, queue: engine.queue,
            cursor: context.cursor(summary.lastSeq).description, lastSeq: summary.lastSeq,
            warnings: engine.warnings, epoch: context.database.epoch, watches: engine.watches,
            watchLimit: engine.watchLimit, polledDirectories: engine.polledDirectories,
            overflows: engine.overflows,
            uptimeSeconds: Date().timeIntervalSince(engine.startedAt),
            lastFullScan: engine.lastFullScan?.timeIntervalSince1970, scanRead: engine.scan?.read ?? 0,
            walBytes: context.database.walBytes, prunedThrough: prunedThrough,
            retentionSeconds: context.settings.retention.components.seconds,
            clients: context.clients.load(ordering: .relaxed), pid: getpid(),
            clusters: clusters,
            backfillRemaining: engine.backfillRemaining,
            pending: PendingRecord(
                events: pending.unreadEvents + pending.draining, settling: pending.settling,
                walking: pending.walking, ingesting: pending.ingesting,
                reconcilesWaiting: pending.reconcilesWaiting),
            transaction: pending.transaction.map { transaction in
                let now = monotonicNanoseconds()
                return TransactionRecord(
                    operations: transaction.operations, applied: transaction.applied,
                    seconds: Double(now > transaction.startedAt ? now - transaction.startedAt : 0) / 1e9)
            })
        // The rest of the full reconcile's progress, in its `scan_` keys.
        result.scan = engine.scan
        return result
    }

    func list(_ params: ListParams, onlyErrors: Bool) async throws -> ListResult {
        var filter = FileFilter()
        if onlyErrors {
            filter.state = .error
        } else if let state = params.state {
            guard let parsed = FileState(rawValue: state) else {
                throw ControlError(.badParams, "state must be ok, error or skipped (got \"\(state)\")")
            }
            filter.state = parsed
        }
        if let b64 = params.prefixB64 {
            filter.prefix = RelativePath(bytes: try Self.base64(b64, "prefix_b64"))
        } else if let prefix = params.prefix {
            filter.prefix = try relativePrefix(prefix)
        }
        filter.language = params.language
        let after = try params.after.map { RelativePath(bytes: try Self.base64($0, "after")) }
        let limit = try Self.pageSize(params.limit)
        var rows = try await context.database.files(matching: filter, after: after, limit: limit + 1)
        let more = rows.count > limit
        if more { rows.removeLast() }
        let next = more ? rows.last.map { Data($0.path.bytes).base64EncodedString() } : nil
        return ListResult(files: rows.map(FileRecord.init), next: next)
    }

    func show(_ params: ShowParams) async throws -> FileDetail {
        let path: RelativePath
        if let b64 = params.pathB64 {
            path = RelativePath(bytes: try Self.base64(b64, "path_b64"))
        } else if let text = params.path {
            path = try relativePath(text)
        } else {
            throw ControlError(.badParams, "show needs \"path\" (or \"path_b64\")")
        }
        guard let (file, duplicates) = try await context.database.file(at: path) else {
            throw ControlError(
                .notFound,
                "\(path.display) is not in the catalogue (paths are relative to the root \(context.tree.root))"
            )
        }
        return try await withAnalysis(FileDetail(file, duplicates: duplicates), path: path)
    }

    func duplicates(_ params: DuplicatesParams) async throws -> DuplicatesResult {
        let after = try params.after.map { token in
            guard let bytes = Hex.decode(token) else {
                throw ControlError(.badParams, "after must be the \"next\" token of the previous page")
            }
            return bytes
        }
        let limit = try Self.pageSize(params.limit)
        var groups = try await context.database.duplicateGroups(after: after, limit: limit + 1)
        let more = groups.count > limit
        if more { groups.removeLast() }
        let records = groups.map { group in
            let hex = Hex.encode(group.sha256)
            return DuplicateGroupRecord(
                group: FileRecord.groupID(sha256: hex), sha256: hex, size: group.size,
                files: group.files.map(FileRecord.init))
        }
        return DuplicatesResult(groups: records, next: more ? records.last?.sha256 : nil)
    }

    // MARK: params

    static func pageSize(_ requested: Int?) throws(ControlError) -> Int {
        guard let requested else { return ControlProtocol.defaultPageSize }
        guard requested >= 1, requested <= ControlProtocol.maxPageSize else {
            throw ControlError(.badParams, "limit must be between 1 and \(ControlProtocol.maxPageSize)")
        }
        return requested
    }

    static func base64(_ text: String, _ key: String) throws(ControlError) -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw ControlError(.badParams, "\(key) must be base64")
        }
        return Array(data)
    }

    /// A user's path: relative to the root (a leading `./` and trailing `/` are dropped), or
    /// absolute under the root.
    func relativePath(_ text: String) throws(ControlError) -> RelativePath {
        if text.hasPrefix("/") {
            guard let relative = context.tree.relative(text) else {
                throw ControlError(.notFound, "\(text) is outside the watched root \(context.tree.root)")
            }
            return relative
        }
        var bytes = Array(text.utf8)
        while bytes.starts(with: Array("./".utf8)) { bytes.removeFirst(2) }
        while bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        if bytes == [UInt8(ascii: ".")] { bytes = [] }
        return RelativePath(bytes: bytes)
    }

    /// A path prefix: like `relativePath`, but a trailing `/` is kept (it limits the prefix to
    /// a directory's contents).
    func relativePrefix(_ text: String) throws(ControlError) -> RelativePath {
        let directoryOnly = text.hasSuffix("/")
        var prefix = try relativePath(text)
        if directoryOnly, !prefix.isRoot { prefix.bytes.append(UInt8(ascii: "/")) }
        return prefix
    }
}
