import Glibc

/// A path argument as the user typed it: absolute, relative to the current directory (as tab
/// completion gives it), or relative to the watched root (as newsctl prints paths).
/// `PathResolver` decides which it names.
struct TypedPath {
    /// The argument's bytes as the shell passed them, so a name that is not UTF-8 survives.
    let bytes: [UInt8]

    /// The argument `argument`, with its exact bytes from the command line when it is there.
    init(_ argument: String) {
        bytes = Self.commandLineBytes(of: argument) ?? Array(argument.utf8)
    }

    /// The path from exact bytes (tests, and arguments not on the command line).
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The path for messages.
    var display: String { String(decoding: bytes, as: UTF8.self) }

    /// Starts with `/`.
    var isAbsolute: Bool { bytes.first == UInt8(ascii: "/") }

    /// Starts with `./` or `../` (or is `.` or `..`): relative to the current directory and
    /// nothing else, the way a shell reads it.
    var isExplicitlyRelative: Bool {
        let first = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).first ?? []
        return first.elementsEqual(".".utf8) || first.elementsEqual("..".utf8)
    }

    /// Ends with `/`: as a prefix, only a directory's contents.
    var endsWithSlash: Bool { bytes.count > 1 && bytes.last == UInt8(ascii: "/") }

    /// The command-line argument that `argument` was decoded from. Swift decodes arguments as
    /// UTF-8, replacing bytes that are not with U+FFFD; the raw `argv` still has them.
    private static func commandLineBytes(of argument: String) -> [UInt8]? {
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let raw = UnsafeBufferPointer(start: pointer, count: strlen(pointer)).map {
                UInt8(bitPattern: $0)
            }
            if String(decoding: raw, as: UTF8.self) == argument { return raw }
        }
        return nil
    }
}
