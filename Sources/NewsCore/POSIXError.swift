import Glibc

/// An OS error with the operation that failed and the `strerror` text.
public struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The failing operation, e.g. `open`.
    public var operation: String
    /// The errno value.
    public var code: Int32

    /// Captures the current `errno`.
    public init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    /// The C library's message for `code`.
    public var message: String { String(cString: strerror(code)) }

    public var description: String { "\(operation): \(message)" }
}
