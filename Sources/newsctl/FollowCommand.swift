import ArgumentParser
import ControlWire

/// `newsctl follow`: a live stream of changes.
struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Print changes as they are committed, until interrupted.",
        discussion: """
            With --json, one change object per line (each with the cursor that resumes after it). If the \
            stream falls too far behind, or the cursor cannot be served, newsctl exits 1 with \
            resync_required: run `newsctl changes --since CURSOR` to catch up.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Start after this cursor (default: now).", valueName: "cursor"))
    var since: String?

    @Option(help: ArgumentHelp("Stop with resync_required when this many changes behind.", valueName: "n"))
    var maxLag: Int64?

    func validate() throws {
        if let since, ChangeCursor(since) == nil {
            throw ValidationError("--since must be a cursor such as 3f2a…:42")
        }
        if let maxLag, maxLag < 1 { throw ValidationError("--max-lag must be at least 1") }
    }

    func run() throws {
        let out = Output.standard
        let json = global.json
        let encoder = ControlCoding.makeEncoder()
        try withDaemon(global) { client in
            _ = try client.callRaw(
                ControlMethod.follow.rawValue, FollowParams(since: since, maxLag: maxLag)
            ) { method, line in
                guard method == ControlNotificationMethod.change else { return }
                let change = try ControlCoding.decode(
                    ControlNotificationEnvelope<ChangeRecord>.self, from: line
                ).params
                if json {
                    out.write(bytes: try encoder.encode(change))
                    out.write("\n")
                } else {
                    let cells = changeCells(change)
                    let from = change.from.map {
                        " (from \(DisplayWidth.isolated(DisplayWidth.printable($0.display))))"
                    }
                    out.write("\(change.seq) \(Terminal.paint(change.op, cells[1].style ?? .dim)) ")
                    out.line(
                        DisplayWidth.isolated(DisplayWidth.printable(change.path.display)) + (from ?? ""))
                }
                out.flush()
            }
        }
    }
}
