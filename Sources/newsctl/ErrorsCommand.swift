import ArgumentParser
import ControlWire

/// `newsctl errors`: files that could not be ingested, with the reason.
struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errors", abstract: "List files in error, with the reason.")

    @OptionGroup var global: GlobalOptions

    @Argument(
        help:
            "Only paths starting with this prefix: absolute, relative to the current directory, or to the root."
    )
    var prefix: String?

    func run() throws {
        try withDaemon(global) { client in
            var params = ListParams()
            if let prefix {
                params.setPrefix(try PathResolver(asking: client).prefix(prefix, client: client))
            }
            try listAll(client, method: .errors, params: params, global: global) {
                records, out in
                if records.isEmpty {
                    out.line("no files in error")
                    return
                }
                var table = Table(["PATH", "KIND", "REASON"])
                for record in records {
                    table.add([
                        Table.Cell(record.path.display), Table.Cell(record.kind),
                        Table.Cell(record.reason ?? "", .red),
                    ])
                }
                table.render(to: out)
            }
        }
    }
}
