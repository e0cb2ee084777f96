/// A problem with the options or the environment, reported to the user as is.
struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    var description: String
    /// Creates an error with a message that says what is wrong and what to do.
    init(_ description: String) { self.description = description }
}
