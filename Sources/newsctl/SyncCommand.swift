import ArgumentParser
import ControlWire

/// `newsctl sync`: wait until every change made before it is in the catalogue.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Wait until every change made to the tree before this command is in the catalogue.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try engineCommand(.sync, global: global) { result in
            "in sync: cursor \(result.cursor) (state \(result.state))"
        }
    }
}

/// `newsctl pause`: stop ingesting until `resume`.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Stop ingesting changes until `newsctl resume`.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try engineCommand(.pause, global: global) { _ in
            "paused; `newsctl resume` catches up with what changed"
        }
    }
}

/// `newsctl resume`: ingest again, after reconciling what changed meanwhile.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Ingest again, after reconciling what changed while paused.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try engineCommand(.resume, global: global) { result in
            "resumed and caught up: cursor \(result.cursor) (state \(result.state))"
        }
    }
}

/// Sends a method whose result is a `SyncResult` and prints it.
func engineCommand(_ method: ControlMethod, global: GlobalOptions, human: (SyncResult) -> String) throws {
    let out = Output.standard
    try withDaemon(global) { client in
        let line = try client.callRaw(method.rawValue, NoParams())
        if global.json {
            out.write(bytes: try rawResultLine(line))
        } else {
            out.line(
                human(try ControlCoding.decode(ControlResultEnvelope<SyncResult>.self, from: line).result))
        }
    }
}
