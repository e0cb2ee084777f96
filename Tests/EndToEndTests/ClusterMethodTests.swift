import ControlWire
import Foundation
import TestSupport
import Testing

/// The `cluster` and `languages` methods through the real daemon: a cluster by id or by one of
/// its files, paged, with each member's text line by line and the analysis's verdicts.
@Suite struct ClusterMethodTests {
    @Test func aClusterByIDOrByFileWithItsTextLineByLine() throws {
        let f = try DaemonFixture("cluster-method")
        let original = try String(
            contentsOfFile: Project.seeds + "/001_5aef100b6d616e8f.txt", encoding: .utf8)
        try f.write("a/story.txt", original)
        try f.write("b/story.txt", "Home | World | Politics\n" + original + "\nShare this article\n")
        try f.write("c/story.txt", original)
        try f.write(
            "fa.txt", try String(contentsOfFile: Project.seeds + "/004_f959d564852dad14.txt", encoding: .utf8)
        )
        try f.start()
        let client = try f.client()

        let byFile = try client.call(
            ControlMethod.cluster.rawValue, ClusterParams(path: "c/story.txt", limit: 1, text: true),
            as: ClusterDetail.self)
        #expect(byFile.size == 3)
        #expect(byFile.files.map(\.path.display) == ["c/story.txt"])
        let lines = byFile.files.first?.lines ?? []
        #expect(
            lines.first { $0.kind == "title" }?.text == "Iran DM discusses cooperation with China, Russia")
        #expect(lines.contains { $0.kind == "body" })
        #expect(byFile.files.first?.truncated == false)

        let page = try client.call(
            ControlMethod.cluster.rawValue,
            ClusterParams(cluster: byFile.cluster, offset: 1, limit: 5, text: true),
            as: ClusterDetail.self)
        #expect(page.files.map(\.path.display) == ["b/story.txt", "c/story.txt"])
        #expect(page.files.first?.link == "near")
        let chrome = page.files.first?.lines?.filter { $0.kind == "chrome" }.map(\.text) ?? []
        #expect(chrome.contains("Share this article"), "\(page)")

        let bare = try client.call(
            ControlMethod.cluster.rawValue, ClusterParams(cluster: byFile.cluster), as: ClusterDetail.self)
        #expect(bare.files.count == 3 && bare.files.allSatisfy { $0.lines == nil })
        // A page links its members as the whole-cluster listing of `clusters` does: a and c
        // are the same bytes, b a near duplicate with its similarity.
        let listed = try client.call(
            ControlMethod.clusters.rawValue, ClustersParams(), as: ClustersResult.self)
        let record = listed.clusters.first { $0.cluster == byFile.cluster }
        #expect(bare.files.map(\.member) == record?.files)
        #expect(bare.files.map(\.link) == ["exact", "near", "exact"])
        #expect((bare.files[1].jaccard ?? 0) > 0.5)
        #expect(record?.languages == ["en"])
        #expect(record?.links == ["exact": 2, "near": 1])
        // Capped: the first member, and the counts of all three.
        let capped = try client.call(
            ControlMethod.clusters.rawValue, ClustersParams(members: 1), as: ClustersResult.self)
        let first = capped.clusters.first { $0.cluster == byFile.cluster }
        #expect(first?.files == Array(record?.files.prefix(1) ?? []))
        #expect(first?.size == 3 && first?.links == record?.links && first?.languages == ["en"])
        #expect(throws: ControlClientError.self) {
            try client.call(
                ControlMethod.clusters.rawValue, ClustersParams(members: -1), as: ClustersResult.self)
        }

        #expect(throws: ControlClientError.self) {
            try client.call(
                ControlMethod.cluster.rawValue, ClusterParams(cluster: "0000000000000000"),
                as: ClusterDetail.self)
        }
        #expect(throws: ControlClientError.self) {
            try client.call(ControlMethod.cluster.rawValue, ClusterParams(limit: 1), as: ClusterDetail.self)
        }
        #expect(throws: ControlClientError.self) {
            try client.call(
                ControlMethod.cluster.rawValue, ClusterParams(cluster: byFile.cluster, limit: 201),
                as: ClusterDetail.self)
        }

        let languages = try client.call(
            ControlMethod.languages.rawValue, NoParams(), as: LanguagesResult.self)
        #expect(languages.languages == ["en": 3, "fa": 1])
        #expect(languages.lastSeq == (try f.status().lastSeq))
    }
}
