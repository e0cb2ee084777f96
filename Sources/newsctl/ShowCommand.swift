import ArgumentParser
import ControlWire
import Foundation

/// `newsctl show PATH`: one file's metadata, state and duplicates.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one catalogued file: metadata, state, reason and its duplicates."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(
        help: ArgumentHelp(
            "The file: absolute, relative to the current directory, or relative to the root.",
            discussion:
                "A relative path that names a file both ways is read from the current directory (a note says so)."
        ))
    var path: String

    func run() throws {
        let out = Output.standard
        try withDaemon(global) { client in
            let catalogPath = try PathResolver(asking: client).file(path, client: client)
            let line = try client.callRaw(ControlMethod.show.rawValue, ShowParams(catalogPath: catalogPath))
            if global.json {
                out.write(bytes: try rawResultLine(line))
                return
            }
            let detail = try ControlCoding.decode(ControlResultEnvelope<FileDetail>.self, from: line).result
            let file = detail.file
            func row(_ key: String, _ value: String) {
                out.line(Terminal.paint(key.padding(10), .dim) + value)
            }
            row("path", DisplayWidth.isolated(DisplayWidth.printable(file.path.display)))
            row("kind", file.kind)
            row("state", Terminal.paint(file.state, stateStyle(file.state)))
            if let reason = file.reason { row("reason", reason) }
            row("size", "\(file.size) bytes (\(humanBytes(file.size)))")
            row("sha256", file.sha256 ?? "-")
            let mtime = Date(timeIntervalSince1970: Double(detail.mtimeNanoseconds) / 1e9)
            row("modified", ISO8601DateFormatter().string(from: mtime))
            row("inode", "\(detail.inode) on device \(detail.device)")
            row("group", file.group ?? "none (no other file has these bytes)")
            if let lang = file.lang {
                let confidence = detail.languageConfidence.map { String(format: " (%.0f%%)", $0 * 100) } ?? ""
                row("language", lang + confidence + (detail.script.map { ", script \($0)" } ?? ""))
            }
            if let title = file.title {
                let source =
                    detail.titleSource == "firstSentence" ? Terminal.paint(" (first sentence)", .dim) : ""
                row("title", DisplayWidth.isolated(title) + source)
            }
            if let published = file.published { row("published", published) }
            if let norm = file.norm { row("normalised", norm) }
            if let cluster = file.cluster { row("cluster", cluster) }
            if detail.related.isEmpty {
                row("duplicates", file.lang == nil ? "-" : "none")
            }
            for (index, related) in detail.related.enumerated() {
                var link = related.link
                if let jaccard = related.jaccard {
                    link += String(format: " %.2f", jaccard)
                    if let containment = related.containment { link += String(format: "/%.2f", containment) }
                }
                row(
                    index == 0 ? "duplicates" : "",
                    Terminal.paint(link.padding(16), .dim)
                        + DisplayWidth.isolated(DisplayWidth.printable(related.path.display)))
            }
        }
    }
}
