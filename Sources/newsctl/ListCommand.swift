import ArgumentParser
import ControlWire

/// `newsctl ls`: the catalogued files.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List catalogued files.",
        discussion:
            "With --json, one object per line: path, size, sha256, state, reason (when not ok), group, lang, "
            + "title, published, norm, cluster.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only files in this state: ok, error or skipped.")
    var state: String?

    @Option(
        name: [.customLong("lang"), .customLong("language")],
        help: ArgumentHelp("Only files in this language: ar, fa, sw, en or und.", valueName: "code"))
    var language: String?

    @Argument(
        help: ArgumentHelp(
            "Only paths starting with this prefix: absolute, relative to the current directory, or relative to "
                + "the root; a trailing / means a directory."))
    var prefix: String?

    func validate() throws {
        if let state, !["ok", "error", "skipped"].contains(state) {
            throw ValidationError("--state must be ok, error or skipped")
        }
    }

    func run() throws {
        try withDaemon(global) { client in
            var params = ListParams(state: state, language: language)
            if let prefix {
                params.setPrefix(try PathResolver(asking: client).prefix(prefix, client: client))
            }
            try listAll(client, method: .list, params: params, global: global) { records, out in
                var table = Table(
                    ["PATH", "SIZE", "STATE", "LANG", "TITLE", "GROUP", "REASON"], rightAligned: [1])
                for record in records {
                    table.add([
                        Table.Cell(record.path.display), Table.Cell(humanBytes(record.size)),
                        Table.Cell(record.state, stateStyle(record.state)),
                        Table.Cell(record.lang ?? "-"),
                        Table.Cell(truncated(record.title ?? "", width: 40)),
                        Table.Cell(record.group ?? "-", .dim),
                        Table.Cell(record.reason ?? ""),
                    ])
                }
                table.render(to: out)
            }
        }
    }
}

/// The colour of a file state.
func stateStyle(_ state: String) -> Terminal.Style {
    switch state {
    case "ok": .green
    case "error": .red
    default: .yellow
    }
}

/// Pages through `list` or `errors`: JSON lines as they come, or one table at the end.
func listAll(
    _ client: ControlClient, method: ControlMethod, params: ListParams, global: GlobalOptions,
    render: ([FileRecord], Output) -> Void
) throws {
    let out = Output.standard
    var params = params
    params.limit = ControlProtocol.maxPageSize
    var all: [FileRecord] = []
    let encoder = ControlCoding.makeEncoder()
    while true {
        let line = try client.callRaw(method.rawValue, params)
        if global.json, let (records, next) = RawListReply.split(line) {
            // The records exactly as the daemon encoded them, one per line.
            for record in records {
                out.write(bytes: record)
                out.write("\n")
            }
            guard let next else { break }
            params.after = next
            continue
        }
        let page: ListResult
        do {
            page = try ControlCoding.decode(ControlResultEnvelope<ListResult>.self, from: line).result
        } catch {
            throw NewsctlFailure.failed("cannot read newsd's listing: \(error)")
        }
        if global.json {
            for record in page.files {
                out.write(bytes: try encoder.encode(record))
                out.write("\n")
            }
        } else {
            all += page.files
        }
        guard let next = page.next else { break }
        params.after = next
    }
    if !global.json { render(all, out) }
}

/// `text` cut to at most `width` terminal cells, with an ellipsis when cut.
func truncated(_ text: String, width: Int) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    guard DisplayWidth.of(flat) > width else { return flat }
    var result = ""
    var used = 0
    for character in flat {
        let cells = DisplayWidth.of(String(character))
        if used + cells > width - 1 { break }
        result.append(character)
        used += cells
    }
    return result + "…"
}
