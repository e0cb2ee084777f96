import Foundation
import TextAnalysis

/// The sample articles in the repository's `seeds/` folder, found by walking up from
/// this file, so the tests need no resources line in Package.swift.
public enum Seeds {
    /// The seeds folder, or nil when the checkout has none.
    public static let directory: URL? = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("seeds")
            if FileManager.default.fileExists(
                atPath: candidate.appendingPathComponent("000_9b9f0b0c4bd5f601.txt").path)
            {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }()

    /// The raw bytes of one seed, by file name.
    public static func bytes(_ name: String) throws -> [UInt8] {
        guard let directory else { throw SeedError.missing(name) }
        return [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The decoded text of one seed.
    public static func text(_ name: String) throws -> String {
        guard let text = TextDecoder.decode(try bytes(name)) else { throw SeedError.invalid(name) }
        return text
    }

    public static let names = [
        "000_9b9f0b0c4bd5f601.txt", "001_5aef100b6d616e8f.txt", "002_1b7f967809f53ab6.txt",
        "003_15e6eb85c3f0274a.txt", "004_f959d564852dad14.txt",
    ]

    public enum SeedError: Error {
        case missing(String)
        case invalid(String)
    }
}
