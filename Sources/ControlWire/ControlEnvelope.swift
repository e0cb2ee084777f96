/// The keys of the protocol's envelopes.
enum EnvelopeKey: String, CodingKey {
    case id, method, params, result, error
    case protocolVersion = "protocol"
}

/// A request as a client sends it: `{"id", "method", "params", "protocol"}`.
public struct ControlRequest<Params: Encodable & Sendable>: Encodable, Sendable {
    /// The request's id, echoed in its reply and notifications.
    public var id: RequestID?
    /// The method (or, for a notification, its kind).
    public var method: String
    /// The method's params.
    public var params: Params
    /// The protocol version the client speaks; the daemon refuses others with
    /// `protocol_mismatch`. Optional: a request without it is served as the current version.
    public var protocolVersion: Int?

    /// Creates a request.
    public init(
        id: RequestID?, method: String, params: Params, protocolVersion: Int? = ControlProtocol.version
    ) {
        self.id = id
        self.method = method
        self.params = params
        self.protocolVersion = protocolVersion
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKey.self)
        try container.encode(id, forKey: .id)
        try container.encode(method, forKey: .method)
        try container.encode(params, forKey: .params)
        try container.encodeIfPresent(protocolVersion, forKey: .protocolVersion)
    }
}

/// Params for methods that take none.
public struct NoParams: Codable, Sendable, Equatable {
    /// No params.
    public init() {}
}

/// The part of a request line every method shares, decoded before the method's params.
public struct ControlRequestHead: Decodable, Sendable {
    /// The request's id, echoed in its reply and notifications.
    public var id: RequestID?
    /// The method (or, for a notification, its kind).
    public var method: String
    /// The protocol version the client speaks, if it says.
    public var protocolVersion: Int?
    /// False when `params` is there and is neither an object nor null: every method's params
    /// are an object, including those of methods that take none.
    public var paramsAreAnObject = true

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        id = try container.decodeIfPresent(RequestID.self, forKey: .id)
        method = try container.decode(String.self, forKey: .method)
        protocolVersion = try container.decodeIfPresent(Int.self, forKey: .protocolVersion)
        if container.contains(.params), try !container.decodeNil(forKey: .params) {
            paramsAreAnObject = (try? container.decode(ObjectProbe.self, forKey: .params)) != nil
        }
    }

    /// Decodes from any JSON object and from nothing else.
    private struct ObjectProbe: Decodable {
        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            _ = try decoder.container(keyedBy: AnyKey.self)
        }
    }
}

/// Just the `id` of a line, to answer a request whose other parts are wrong.
public struct ControlIDProbe: Decodable, Sendable {
    /// The request's id, echoed in its reply and notifications.
    public var id: RequestID?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        id = try? container.decodeIfPresent(RequestID.self, forKey: .id)
    }
}

/// A request's params, decoded for its method (absent params decode as `nil`).
public struct ControlParamsEnvelope<Params: Decodable & Sendable>: Decodable, Sendable {
    /// The method's params.
    public var params: Params?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        guard container.contains(.params), try !container.decodeNil(forKey: .params) else {
            params = nil
            return
        }
        params = try container.decode(Params.self, forKey: .params)
    }
}

/// A successful reply: `{"id", "result"}`.
public struct ControlReply<Result: Encodable & Sendable>: Encodable, Sendable {
    /// The request's id, echoed in its reply and notifications.
    public var id: RequestID?
    /// The method's result.
    public var result: Result

    /// Creates a reply.
    public init(id: RequestID?, result: Result) {
        self.id = id
        self.result = result
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKey.self)
        try container.encode(id, forKey: .id)
        try container.encode(result, forKey: .result)
    }
}

/// An error reply: `{"id", "error": {"code", "message"}}`.
public struct ControlErrorReply: Encodable, Sendable {
    /// The request's id, echoed in its reply and notifications.
    public var id: RequestID?
    /// What went wrong.
    public var error: ControlError

    /// Creates an error reply.
    public init(id: RequestID?, error: ControlError) {
        self.id = id
        self.error = error
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKey.self)
        try container.encode(id, forKey: .id)
        try container.encode(error, forKey: .error)
    }
}

/// A notification sent while a request streams: `{"id", "method", "params"}`, carrying the
/// request's id. The stream ends with an ordinary reply.
public struct ControlNotification<Params: Encodable & Sendable>: Encodable, Sendable {
    /// The request's id, echoed in its reply and notifications.
    public var id: RequestID?
    /// The method (or, for a notification, its kind).
    public var method: String
    /// The method's params.
    public var params: Params

    /// Creates a notification.
    public init(id: RequestID?, method: String, params: Params) {
        self.id = id
        self.method = method
        self.params = params
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: EnvelopeKey.self)
        try container.encode(id, forKey: .id)
        try container.encode(method, forKey: .method)
        try container.encode(params, forKey: .params)
    }
}

/// What a client learns from the envelope of a line the daemon sent.
public struct ControlReplyHead: Decodable, Sendable {
    /// The request's id, echoed in its reply and notifications.
    public var id: RequestID?
    /// Set for a notification.
    public var method: String?
    /// Set for an error reply.
    public var error: ControlError?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        id = try? container.decodeIfPresent(RequestID.self, forKey: .id)
        method = try container.decodeIfPresent(String.self, forKey: .method)
        error = try container.decodeIfPresent(ControlError.self, forKey: .error)
    }
}

/// A reply's `result`, decoded as `Result`.
public struct ControlResultEnvelope<Result: Decodable & Sendable>: Decodable, Sendable {
    /// The method's result.
    public var result: Result

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        result = try container.decode(Result.self, forKey: .result)
    }
}

/// A notification's `params`, decoded as `Params`.
public struct ControlNotificationEnvelope<Params: Decodable & Sendable>: Decodable, Sendable {
    /// The method's params.
    public var params: Params

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: EnvelopeKey.self)
        params = try container.decode(Params.self, forKey: .params)
    }
}
