/// A stable, machine-readable error code. Codes are strings so that a client can carry codes
/// a newer daemon invents; the known ones are the static members.
public struct ControlErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The code as sent on the wire.
    public var rawValue: String

    /// Wraps a code.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The line is not a JSON object with a string `method`.
    public static let badRequest = ControlErrorCode(rawValue: "bad_request")
    /// The line is not valid JSON (or not UTF-8).
    public static let parseError = ControlErrorCode(rawValue: "parse_error")
    /// No such method.
    public static let unknownMethod = ControlErrorCode(rawValue: "unknown_method")
    /// The params do not fit the method.
    public static let badParams = ControlErrorCode(rawValue: "bad_params")
    /// The request line is longer than `ControlProtocol.maxRequestBytes`; the connection closes.
    public static let requestTooLarge = ControlErrorCode(rawValue: "request_too_large")
    /// The request names a protocol version this daemon does not speak.
    public static let protocolMismatch = ControlErrorCode(rawValue: "protocol_mismatch")
    /// The path (or other object) is not in the catalogue.
    public static let notFound = ControlErrorCode(rawValue: "not_found")
    /// The daemon serves its maximum number of clients; the connection closes.
    public static let tooManyClients = ControlErrorCode(rawValue: "too_many_clients")
    /// The peer's user may not use this socket; the connection closes.
    public static let permissionDenied = ControlErrorCode(rawValue: "permission_denied")
    /// The daemon is paused: `resume` first.
    public static let paused = ControlErrorCode(rawValue: "paused")
    /// The watched root is missing.
    public static let rootUnavailable = ControlErrorCode(rawValue: "root_unavailable")
    /// The cursor cannot be followed (another epoch, pruned history, or too far behind):
    /// call `changes` for a fresh listing.
    public static let resyncRequired = ControlErrorCode(rawValue: "resync_required")
    /// The connection was idle too long; it closes.
    public static let idleTimeout = ControlErrorCode(rawValue: "idle_timeout")
    /// The daemon is stopping.
    public static let shuttingDown = ControlErrorCode(rawValue: "shutting_down")
    /// Something failed inside the daemon; its log says more.
    public static let `internal` = ControlErrorCode(rawValue: "internal")
}

/// An error reply's `error` object: a stable code and a message for people.
public struct ControlError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// The stable, machine-readable code.
    public var code: ControlErrorCode
    /// A message for people: what happened and what to do next.
    public var message: String
    /// For `resync_required`: the cursor the stream had reached.
    public var cursor: String?

    /// Creates an error.
    public init(_ code: ControlErrorCode, _ message: String, cursor: String? = nil) {
        self.code = code
        self.message = message
        self.cursor = cursor
    }

    public var description: String { "\(message) (\(code))" }
}
