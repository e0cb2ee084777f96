import ArgumentParser
import ControlWire
import Foundation

/// `newsctl status`: what the daemon is doing and what the catalogue holds.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the daemon's state, the catalogue's counts and warnings.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let out = Output.standard
        try withDaemon(global) { client in
            let line = try client.callRaw(ControlMethod.status.rawValue, NoParams())
            let status: StatusResult
            do {
                status = try ControlCoding.decode(ControlResultEnvelope<StatusResult>.self, from: line).result
            } catch {
                throw NewsctlFailure.failed("cannot read newsd's status: \(error)")
            }
            guard status.protocolVersion == ControlProtocol.version else {
                throw NewsctlFailure.remote(
                    ControlError(
                        .protocolMismatch,
                        "newsd speaks control protocol \(status.protocolVersion), this newsctl "
                            + "\(ControlProtocol.version); use the newsctl of the daemon's release"))
            }
            if global.json {
                out.write(bytes: try rawResultLine(line))
            } else {
                render(status, to: out)
            }
        }
    }

    private func render(_ status: StatusResult, to out: Output) {
        func row(_ key: String, _ value: String) { out.line(Terminal.paint(key.padding(10), .dim) + value) }
        out.line(
            "newsd \(status.version) (protocol \(status.protocolVersion)), pid \(status.pid), "
                + "up \(humanDuration(status.uptimeSeconds))")
        let stateStyle: Terminal.Style =
            switch status.state {
            case "watching": .green
            case "degraded", "paused": .yellow
            default: .bold
            }
        row("state", Terminal.paint(status.state, stateStyle))
        if let scan = status.scan { row("scan", scan.text) }
        row("root", DisplayWidth.isolated(status.root))
        row("files", "\(status.files) (\(status.errors) in error, \(status.skipped) skipped)")
        row("contents", "\(status.contents) distinct, \(status.duplicateGroups) duplicate groups")
        if let clusters = status.clusters {
            row(
                "clusters",
                "\(clusters) (files that are the same article: exact, normalised or near duplicates)")
        }
        if let pending = status.backfillRemaining, pending > 0 {
            row("analysis", "\(pending) contents from an older catalogue still to analyse")
        }
        row("queue", Self.queue(status))
        if let transaction = status.transaction {
            row(
                "writing",
                "a transaction of \(transaction.operations) operations, \(transaction.applied) applied, "
                    + String(format: "%.1f s", transaction.seconds))
        }
        row("cursor", "\(status.cursor)")
        let limit = status.watchLimit.map { " of \($0)" } ?? ""
        var watching = "\(status.watches) directories\(limit)"
        if status.polledDirectories > 0 { watching += ", \(status.polledDirectories) polled" }
        row("watches", watching)
        row("wal", humanBytes(status.walBytes))
        row("clients", "\(status.clients)")
        if status.warnings.isEmpty {
            row("warnings", "none")
        } else {
            for (index, warning) in status.warnings.enumerated() {
                row(index == 0 ? "warnings" : "", Terminal.paint(warning, .yellow))
            }
        }
    }

    /// The queue, and where its work is when there is any.
    static func queue(_ status: StatusResult) -> String {
        guard status.queue > 0, let pending = status.pending else { return "\(status.queue)" }
        let parts = [
            (pending.events, "events unread"), (pending.settling, "settling"),
            (pending.walking, "being walked"),
            (pending.ingesting, "being ingested"), (pending.reconcilesWaiting, "full reconcile(s) due"),
        ]
        let stages = parts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return "\(status.queue) (\(stages.joined(separator: ", ")))"
    }
}

extension String {
    /// `self` padded with spaces to `width` columns.
    func padding(_ width: Int) -> String {
        let current = DisplayWidth.of(self)
        return current >= width ? self + " " : self + String(repeating: " ", count: width - current)
    }
}
