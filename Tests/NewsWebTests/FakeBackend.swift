import ControlWire
import Synchronization

@testable import newsweb

/// A catalogue in memory behind the backend protocol, for route tests: it records the
/// requests it was given and fails every call with `failure` when set.
final class FakeBackend: CatalogueBackend {
    let socketPath = "/run/test/newsd.sock"
    let failure: BackendError?
    let statusResult: StatusResult
    let clusterList: [ClusterRecord]
    let members: [ClusterMemberDetail]
    let files: [FileDetail]
    let hits: [SearchHitRecord]
    let requests = Mutex<[String]>([])

    init(
        failure: BackendError? = nil, clusters: [ClusterRecord] = [], members: [ClusterMemberDetail] = [],
        files: [FileDetail] = [], hits: [SearchHitRecord] = []
    ) {
        self.failure = failure
        self.clusterList = clusters
        self.members = members
        self.files = files
        self.hits = hits
        statusResult = StatusResult(
            version: "test", protocolVersion: 1, state: "watching", root: "/srv/news", files: files.count,
            skipped: 0, contents: files.count, duplicateGroups: 0, errors: 0, queue: 0, cursor: "e:3",
            lastSeq: 3,
            warnings: [], epoch: "e", watches: 1, watchLimit: 100, polledDirectories: 0, overflows: 0,
            uptimeSeconds: 5, lastFullScan: nil, scanRead: 0, walBytes: 0, prunedThrough: 0,
            retentionSeconds: 60,
            clients: 1, pid: 1, clusters: clusters.count, backfillRemaining: 0)
    }

    private func record(_ request: String) throws(BackendError) {
        requests.withLock { $0.append(request) }
        if let failure { throw failure }
    }

    func status() async throws(BackendError) -> StatusResult {
        try record("status")
        return statusResult
    }

    func languages() async throws(BackendError) -> LanguagesResult {
        try record("languages")
        return LanguagesResult(languages: ["ar": 2, "fa": 1, "en": 4], lastSeq: 3)
    }

    func clusters(offset: Int, limit: Int) async throws(BackendError) -> ClustersResult {
        try record("clusters \(offset) \(limit)")
        return ClustersResult(
            clusters: Array(clusterList.dropFirst(offset).prefix(limit)), total: clusterList.count)
    }

    func cluster(_ params: ClusterParams) async throws(BackendError) -> ClusterDetail {
        try record(
            "cluster \(params.cluster ?? params.pathB64 ?? "") \(params.offset ?? 0) \(params.limit ?? 0)")
        guard !members.isEmpty else { throw .notFound("no such cluster") }
        let offset = params.offset ?? 0
        return ClusterDetail(
            cluster: "00112233aabbccdd", size: members.count,
            files: Array(members.dropFirst(offset).prefix(params.limit ?? 20)))
    }

    func show(_ path: WirePath) async throws(BackendError) -> FileDetail {
        try record("show")
        guard let file = files.first(where: { $0.file.path == path }) else {
            throw .notFound("not catalogued")
        }
        return file
    }

    func search(_ params: SearchParams) async throws(BackendError) -> SearchResult {
        try record("search \(params.query) \(params.offset ?? 0) \(params.limit ?? 0)")
        return SearchResult(tokens: params.query.split(separator: " ").map(String.init), hits: hits)
    }

    func changes(since: String?, limit: Int) async throws(BackendError) -> ChangesResult {
        try record("changes \(since ?? "")")
        let changes = files.enumerated().map { index, file in
            ChangeRecord(
                seq: Int64(index + 1), op: "add", path: file.file.path, from: nil, sha256: nil, state: "ok",
                atNanoseconds: 0)
        }
        return ChangesResult(changes: changes, cursor: "e:3", freshInstance: false, files: nil, more: false)
    }

    func errors(limit: Int) async throws(BackendError) -> ListResult {
        try record("errors")
        return ListResult(files: [], next: nil)
    }

    func follow(since: String?) -> AsyncThrowingStream<ChangeRecord, any Error> {
        AsyncThrowingStream { $0.finish() }
    }
}
