import ArgumentParser
import ControlWire

/// `newsctl dups`: the sets of files with identical bytes.
struct DupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dups", abstract: "List exact-duplicate groups (files with identical bytes).",
        discussion: "With --json, one group per line: group, sha256, size, files.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let out = Output.standard
        try withDaemon(global) { client in
            var params = DuplicatesParams(limit: ControlProtocol.maxPageSize)
            var groups = 0
            let encoder = ControlCoding.makeEncoder()
            while true {
                let page = try client.call(
                    ControlMethod.duplicates.rawValue, params, as: DuplicatesResult.self)
                for group in page.groups {
                    groups += 1
                    if global.json {
                        out.write(bytes: try encoder.encode(group))
                        out.write("\n")
                        continue
                    }
                    out.line(
                        Terminal.paint("group \(group.group)", .bold)
                            + "  \(group.files.count) files, \(humanBytes(group.size)) each")
                    for file in group.files {
                        out.line("  " + DisplayWidth.isolated(DisplayWidth.printable(file.path.display)))
                    }
                }
                guard let next = page.next else { break }
                params.after = next
            }
            if !global.json, groups == 0 { out.line("no duplicates") }
        }
    }
}
