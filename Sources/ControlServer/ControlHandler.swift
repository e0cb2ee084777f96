import ControlWire
import Foundation
import Logging

/// Answers one request line: decodes it, runs the method, writes the reply (and, for streams,
/// the notifications before it). Every failure becomes an error reply with a stable code; only
/// a failed write (the client is gone) escapes.
struct ControlHandler: Sendable {
    let context: ControlContext

    func handle(_ line: [UInt8], _ out: ControlResponder) async throws {
        if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return }
        if let problem = StrictJSON.violation(in: line) {
            let id = (try? ControlCoding.decode(ControlIDProbe.self, from: line))?.id
            try await out.error(id, ControlError(.parseError, "the request is not valid JSON: \(problem)"))
            return
        }
        let head: ControlRequestHead
        do {
            head = try ControlCoding.decode(ControlRequestHead.self, from: line)
        } catch {
            let id = (try? ControlCoding.decode(ControlIDProbe.self, from: line))?.id
            if case DecodingError.dataCorrupted(let details) = error, details.codingPath.isEmpty {
                try await out.error(id, ControlError(.parseError, "the request is not valid JSON"))
            } else {
                try await out.error(
                    id,
                    ControlError(
                        .badRequest,
                        "a request is a JSON object with a string \"method\", an optional \"id\" (integer or "
                            + "string) and optional \"params\" (\(Self.describe(error)))"))
            }
            return
        }
        let id = head.id
        if let version = head.protocolVersion, version != ControlProtocol.version {
            try await out.error(
                id,
                ControlError(
                    .protocolMismatch,
                    "this newsd speaks control protocol \(ControlProtocol.version), the client \(version); "
                        + "use a newsctl of the same release as the daemon"))
            return
        }
        guard head.paramsAreAnObject else {
            try await out.error(
                id, ControlError(.badParams, "params must be a JSON object (or absent, or null)"))
            return
        }
        guard let method = ControlMethod(rawValue: head.method) else {
            let known = ControlMethod.allCases.map(\.rawValue).joined(separator: ", ")
            try await out.error(
                id,
                ControlError(.unknownMethod, "unknown method \"\(head.method)\"; the methods are \(known)"))
            return
        }
        do {
            try await dispatch(method, id: id, line: line, out)
        } catch let error as ControlError {
            try await out.error(id, error)
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as ResponderError {
            throw error.underlying
        } catch {
            context.logger.error(
                "control request failed", metadata: ["method": "\(method.rawValue)", "error": "\(error)"])
            try await out.error(id, ControlError(.internal, "the request failed inside newsd: \(error)"))
        }
    }

    private func dispatch(_ method: ControlMethod, id: RequestID?, line: [UInt8], _ out: ControlResponder)
        async throws
    {
        // Writes inside a method are wrapped (`send`) so that a client gone mid-stream is not
        // mistaken for a failed request.
        switch method {
        case .status:
            _ = try params(NoParams.self, line)
            let result = try await status()
            try await send { try await out.reply(id, result) }
        case .list:
            let result = try await list(params(ListParams.self, line) ?? ListParams(), onlyErrors: false)
            try await send { try await out.reply(id, result) }
        case .errors:
            let result = try await list(params(ListParams.self, line) ?? ListParams(), onlyErrors: true)
            try await send { try await out.reply(id, result) }
        case .show:
            let result = try await show(params(ShowParams.self, line) ?? ShowParams())
            try await send { try await out.reply(id, result) }
        case .duplicates:
            let result = try await duplicates(params(DuplicatesParams.self, line) ?? DuplicatesParams())
            try await send { try await out.reply(id, result) }
        case .clusters:
            let result = try await clusters(params(ClustersParams.self, line) ?? ClustersParams())
            try await send { try await out.reply(id, result) }
        case .search:
            guard let searchParams = try params(SearchParams.self, line) else {
                throw ControlError(.badParams, "search needs \"query\"")
            }
            let result = try await search(searchParams)
            try await send { try await out.reply(id, result) }
        case .cluster:
            let result = try await cluster(params(ClusterParams.self, line) ?? ClusterParams())
            try await send { try await out.reply(id, result) }
        case .languages:
            _ = try params(NoParams.self, line)
            let result = try await languages()
            try await send { try await out.reply(id, result) }
        case .changes:
            let result = try await changes(params(ChangesParams.self, line) ?? ChangesParams())
            try await send { try await out.reply(id, result) }
        case .follow:
            try await follow(id: id, params(FollowParams.self, line) ?? FollowParams(), out)
        case .sync:
            _ = try params(NoParams.self, line)
            let result = try await sync()
            try await send { try await out.reply(id, result) }
        case .rescan:
            try await rescan(id: id, params(RescanParams.self, line) ?? RescanParams(), out)
        case .pause:
            _ = try params(NoParams.self, line)
            let result = try await pause()
            try await send { try await out.reply(id, result) }
        case .resume:
            _ = try params(NoParams.self, line)
            let result = try await resume()
            try await send { try await out.reply(id, result) }
        }
    }

    /// Runs a write, marking its failure as the connection's (not the request's).
    func send(_ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch {
            throw ResponderError(underlying: error)
        }
    }

    /// The method's params, or `nil` when the request has none.
    private func params<P: Decodable & Sendable>(_ type: P.Type, _ line: [UInt8]) throws(ControlError) -> P? {
        do {
            return try ControlCoding.decode(ControlParamsEnvelope<P>.self, from: line).params
        } catch {
            throw ControlError(.badParams, "bad params: \(Self.describe(error))")
        }
    }

    /// A short account of a decoding error: which key, and what was wrong.
    static func describe(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case DecodingError.typeMismatch(_, let context):
            return "wrong type\(path(context)): \(context.debugDescription)"
        case DecodingError.valueNotFound(_, let context):
            return "missing value\(path(context))"
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\"\(path(context))"
        case DecodingError.dataCorrupted(let context):
            return "invalid value\(path(context)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// A write to the client failed: the connection is gone, not the request.
struct ResponderError: Error {
    var underlying: any Error
}
