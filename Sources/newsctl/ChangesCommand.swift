import ArgumentParser
import ControlWire

/// `newsctl changes --since CURSOR`: what changed since a cursor, and the cursor to use next.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Show the changes since a cursor, and the next cursor.",
        discussion: """
            Without --since, lists the whole kept history. If the cursor cannot be served (the catalogue \
            was rebuilt, or the history was pruned), the answer is a fresh instance: every catalogued file, \
            and a new cursor. With --json: one object with changes, cursor, fresh_instance (and files).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The cursor from a previous answer (\"<epoch>:<seq>\").", valueName: "cursor"))
    var since: String?

    @Option(help: "At most this many changes (default: all).")
    var limit: Int?

    func validate() throws {
        if let since, ChangeCursor(since) == nil {
            throw ValidationError(
                "--since must be a cursor such as 3f2a…:42, as printed by a previous answer")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let out = Output.standard
        try withDaemon(global) { client in
            var params = ChangesParams(
                since: since, limit: min(limit ?? Int.max, ControlProtocol.maxPageSize))
            var merged = ChangesResult(
                changes: [], cursor: since ?? "", freshInstance: false, files: nil, more: false)
            while true {
                let page = try client.call(ControlMethod.changes.rawValue, params, as: ChangesResult.self)
                merged.changes += page.changes
                merged.cursor = page.cursor
                if page.freshInstance {
                    merged.freshInstance = true
                    merged.files = page.files
                }
                let wanted = limit.map { $0 - merged.changes.count } ?? Int.max
                guard page.more, wanted > 0 else {
                    merged.more = page.more
                    break
                }
                params.since = page.cursor
                params.limit = min(wanted, ControlProtocol.maxPageSize)
            }
            if global.json {
                out.write(bytes: jsonLine(merged))
                return
            }
            if merged.freshInstance {
                out.line(
                    Terminal.paint("fresh instance:", .yellow)
                        + " the cursor could not be served (the catalogue was rebuilt or its history pruned); "
                        + "\(merged.files?.count ?? 0) files are catalogued now")
                var table = Table(["PATH", "SIZE", "STATE"], rightAligned: [1])
                for file in merged.files ?? [] {
                    table.add([
                        Table.Cell(file.path.display), Table.Cell(humanBytes(file.size)),
                        Table.Cell(file.state, stateStyle(file.state)),
                    ])
                }
                table.render(to: out)
            } else if merged.changes.isEmpty {
                out.line("no changes")
            } else {
                var table = Table(["SEQ", "OP", "PATH", "FROM"], rightAligned: [0])
                for change in merged.changes { table.add(changeCells(change)) }
                table.render(to: out)
            }
            out.line(Terminal.paint("cursor ", .dim) + merged.cursor + (merged.more ? " (more follow)" : ""))
        }
    }
}

/// The table cells of one change.
func changeCells(_ change: ChangeRecord) -> [Table.Cell] {
    let style: Terminal.Style =
        switch change.op {
        case "add": .green
        case "delete": .red
        default: .yellow
        }
    return [
        Table.Cell("\(change.seq)"), Table.Cell(change.op, style), Table.Cell(change.path.display),
        Table.Cell(change.from?.display ?? ""),
    ]
}
