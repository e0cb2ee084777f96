import ArgumentParser
import ControlWire
import Foundation
import Glibc

/// The options every subcommand takes: where the daemon is, and whether to print JSON.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(ControlSocketPath.help, valueName: "path"))
    var socket: String?

    @Flag(help: "Print JSON for scripts instead of a table.")
    var json = false

    /// The socket to use: the option, `$NEWSD_SOCKET`, then the first default that exists.
    var socketPath: String { ControlSocketPath.resolve(socket) }

    /// Connects, or fails with exit status 3 and a word on how to start the daemon.
    func connect() throws -> ControlClient {
        do {
            return try ControlClient(socketPath: socketPath)
        } catch {
            throw NewsctlFailure.unreachable(error.description)
        }
    }
}

/// How newsctl fails, with its documented exit status.
enum NewsctlFailure: Error, CustomStringConvertible {
    /// The daemon answered with an error (exit 1; 4 for a protocol mismatch).
    case remote(ControlError)
    /// The daemon could not be reached (exit 3).
    case unreachable(String)
    /// Anything else that went wrong talking to the daemon (exit 1).
    case failed(String)

    var exitCode: Int32 {
        switch self {
        case .remote(let error): error.code == .protocolMismatch ? 4 : 1
        case .unreachable: 3
        case .failed: 1
        }
    }

    var description: String {
        switch self {
        case .remote(let error): "\(error.message) (\(error.code))"
        case .unreachable(let message) where message.hasSuffix(String(cString: strerror(EACCES))):
            "\(message)\nThe socket's permissions keep this user out: ask to be added to its group "
                + "(newsd --socket-group), or run newsctl as newsd's user."
        case .unreachable(let message):
            "\(message)\nIs newsd running? Start it with `newsd run --root DIR` (or `systemctl start newsd`), "
                + "or point --socket or $NEWSD_SOCKET at its control socket."
        case .failed(let message): message
        }
    }

    /// Maps a client error to a failure.
    init(_ error: any Error) {
        switch error {
        case let failure as NewsctlFailure: self = failure
        case ControlClientError.remote(let remote): self = .remote(remote)
        case ControlClientError.unreachable(let path, let reason):
            self = .unreachable("cannot connect to newsd at \(path): \(reason)")
        case let client as ControlClientError: self = .failed(client.description)
        default: self = .failed("\(error)")
        }
    }
}

/// Runs `body` against the daemon, turning every failure into a `NewsctlFailure`.
func withDaemon<T>(_ options: GlobalOptions, _ body: (ControlClient) throws -> T) throws -> T {
    do {
        let client = try options.connect()
        return try body(client)
    } catch {
        throw NewsctlFailure(error)
    }
}

/// Encodes one value as a compact JSON line.
func jsonLine(_ value: some Encodable) -> [UInt8] {
    ControlCoding.line(value)
}

/// The `result` object of a reply line, re-serialised as one JSON line (keys a newer daemon
/// adds pass through).
func rawResultLine(_ line: [UInt8]) throws -> [UInt8] {
    guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
        let result = object["result"]
    else { throw NewsctlFailure.failed("newsd sent a reply without a result") }
    var bytes = Array(
        try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .withoutEscapingSlashes]))
    bytes.append(UInt8(ascii: "\n"))
    return bytes
}
