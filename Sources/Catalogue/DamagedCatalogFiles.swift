import Foundation
import Glibc
import NewsCore

/// Moves a damaged catalogue out of the way of a fresh one, in the same directory and never
/// deleted: `catalog.sqlite` becomes `catalog.sqlite.damaged-20250102T030405Z`, and each file
/// beside it takes the same name plus its own suffix, so that `sqlite3` opened on the kept file
/// still finds its WAL.
public enum DamagedCatalogFiles {
    /// One file moved: where it was and where it is now.
    public struct Move: Sendable, Equatable, CustomStringConvertible {
        public var from: String
        public var to: String

        public var description: String { "\(from) -> \(to)" }
    }

    /// The files kept beside the catalogue: SQLite's WAL and its index (the WAL may hold
    /// committed transactions not yet in the main file), a rollback journal, and newsd's
    /// candidate index. A fresh catalogue must find none of them: SQLite would replay an old
    /// WAL into it.
    static let companionSuffixes = ["-wal", "-shm", "-journal", BandIndexCache.fileSuffix]

    /// Moves the catalogue at `path` and its companions aside, named after `date` (UTC); returns
    /// what moved. The companions move first and the catalogue last, so a failure part-way
    /// never leaves the catalogue's name free beside an old WAL.
    public static func moveAside(catalogue path: String, at date: Date) throws -> [Move] {
        let sources = companionSuffixes.map { path + $0 } + [path]
        let present = sources.filter { source in
            var info = stat()
            return lstat(source, &info) == 0
        }
        let base = freeName(for: path, stamp: stamp(date))
        var moves: [Move] = []
        for source in present {
            let move = Move(from: source, to: base + source.dropFirst(path.count))
            guard rename(move.from, move.to) == 0 else {
                let moved =
                    moves.isEmpty
                    ? "" : " (already moved: \(moves.map(\.description).joined(separator: ", ")))"
                throw CatalogError.cannotOpen(
                    path: path, message: "cannot move \(move): \(SystemError("rename").message)\(moved)")
            }
            moves.append(move)
        }
        // The renames are on disk before the fresh catalogue is: a power loss then cannot bring
        // the damaged file back under the catalogue's name.
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
        return moves
    }

    /// `catalog.sqlite.damaged-STAMP`, or with `-2`, `-3`… added when a file of that name (or
    /// one of its companions) already exists: a second rebuild within the same second.
    static func freeName(for path: String, stamp: String) -> String {
        var attempt = 1
        while true {
            let base = path + ".damaged-" + stamp + (attempt == 1 ? "" : "-\(attempt)")
            let taken = ([""] + companionSuffixes).contains { suffix in
                var info = stat()
                return lstat(base + suffix, &info) == 0
            }
            if !taken { return base }
            attempt += 1
        }
    }

    /// `date` as `20250102T030405Z` (ISO 8601 basic format, UTC): sorts by time, and has no
    /// colon to trouble a shell or a file manager.
    static func stamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
