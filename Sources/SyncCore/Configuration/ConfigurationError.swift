/// A problem with the options or the environment, reported to the user as is.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// Creates an error with a message that says what is wrong and what to do.
    public init(_ description: String) { self.description = description }
}
