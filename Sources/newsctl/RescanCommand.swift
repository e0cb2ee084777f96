import ArgumentParser
import ControlWire
import Foundation
import Glibc

/// `newsctl rescan [--wait]`: reconcile the whole tree now.
struct RescanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescan",
        abstract: "Reconcile the whole tree with the catalogue now.",
        discussion: "With --wait, show progress (a bar on a terminal) and answer when it is done.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Wait for the rescan to finish.")
    var wait = false

    @Flag(
        help: ArgumentHelp(
            "Take the root as it is now, even if it looks unmounted or emptied: what is not there is deleted.",
            discussion:
                "newsd keeps the catalogue when the root's filesystem is unmounted, when the root is found "
                + "empty, or when a filesystem mounted inside the tree goes away. Use this when the archive "
                + "really was emptied or moved."))
    var acceptRoot = false

    func run() throws {
        let out = Output.standard
        let bar = Terminal.stderrIsTerminal && !global.json
        let encoder = ControlCoding.makeEncoder()
        try withDaemon(global) { client in
            let line = try client.callRaw(
                ControlMethod.rescan.rawValue, RescanParams(wait: wait, acceptRoot: acceptRoot ? true : nil)
            ) {
                method, line in
                guard method == ControlNotificationMethod.progress else { return }
                let step = try ControlCoding.decode(
                    ControlNotificationEnvelope<RescanReport>.self, from: line
                ).params
                if global.json {
                    out.write(bytes: try encoder.encode(step))
                    out.write("\n")
                    out.flush()
                } else if bar {
                    printProgress(step)
                }
            }
            if bar { printError("") }
            let report = try ControlCoding.decode(ControlResultEnvelope<RescanReport>.self, from: line).result
            if global.json {
                out.write(bytes: jsonLine(report))
            } else if report.done {
                out.line(
                    "rescan done: \(report.read) files read, \(report.directories) directories, "
                        + "\(report.changes) changes in \(String(format: "%.2f", report.seconds)) s; cursor "
                        + (report.cursor ?? "-"))
            } else {
                out.line("rescan started (run with --wait to follow it)")
            }
        }
    }

    /// `\r[#######.......] 1234/5678 read, 12 changes` on stderr.
    private func printProgress(_ step: RescanReport) {
        let width = 30
        let total = max(step.total, step.read, 1)
        let filled = min(width, step.read * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let text = "\r[\(bar)] \(step.read)/\(total) read, \(step.changes) changes"
        text.utf8CString.withUnsafeBufferPointer { buffer in
            _ = write(2, buffer.baseAddress, buffer.count - 1)
        }
    }
}
