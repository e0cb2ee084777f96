import ArgumentParser
import Glibc

/// Prints `newsd: error: …` to stderr and exits with status 1.
func fail(_ message: String) -> ExitCode {
    var line = "newsd: error: \(message)\n"
    line.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    return ExitCode.failure
}
