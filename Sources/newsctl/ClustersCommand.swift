import ArgumentParser
import ControlWire
import Foundation

/// `newsctl clusters`: files that are the same article, largest clusters first.
struct ClustersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "List clusters of the same article: exact, normalised and near duplicates, largest first.",
        discussion: """
            Each member shows how it is linked to the rest: exact (same bytes), normalised (same text \
            once letters, digits, marks and spacing are folded) or near (a verified near duplicate, with \
            its Jaccard similarity). With --json, one cluster per line: cluster, size, languages, links \
            (members per link), files.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "At most this many clusters.")
    var limit: Int = 100

    @Option(help: "List at most this many members of each cluster (the first in path order; default: all).")
    var members: Int?

    func validate() throws {
        guard limit >= 1, limit <= ControlProtocol.maxPageSize else {
            throw ValidationError("--limit must be between 1 and \(ControlProtocol.maxPageSize)")
        }
        if let members, members < 0 {
            throw ValidationError("--members must be 0 or more")
        }
    }

    func run() throws {
        let out = Output.standard
        try withDaemon(global) { client in
            let result = try client.call(
                ControlMethod.clusters.rawValue, ClustersParams(limit: limit, members: members),
                as: ClustersResult.self)
            if global.json {
                let encoder = ControlCoding.makeEncoder()
                for cluster in result.clusters {
                    out.write(bytes: try encoder.encode(cluster))
                    out.write("\n")
                }
                return
            }
            if result.clusters.isEmpty {
                out.line("no clusters (no two files are the same article)")
                return
            }
            for cluster in result.clusters {
                out.line(Terminal.paint("cluster \(cluster.cluster)", .bold) + "  \(cluster.size) files")
                var table = Table(["", "LINK", "LANG", "PATH", "TITLE"])
                for member in cluster.files {
                    let link = member.jaccard.map { member.link + String(format: " %.2f", $0) } ?? member.link
                    table.add([
                        Table.Cell(" "), Table.Cell(link, .dim), Table.Cell(member.lang ?? "-"),
                        Table.Cell(member.path.display), Table.Cell(truncated(member.title ?? "", width: 50)),
                    ])
                }
                table.render(to: out)
                if cluster.size > cluster.files.count {
                    out.line(Terminal.paint("  (\(cluster.size - cluster.files.count) more members)", .dim))
                }
            }
            if result.total > result.clusters.count {
                out.line(Terminal.paint("(\(result.total - result.clusters.count) more; use --limit)", .dim))
            }
        }
    }
}
