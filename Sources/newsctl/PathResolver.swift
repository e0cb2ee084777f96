import ControlWire
import Foundation

/// Turns a path typed on newsctl's command line into a path in the catalogue (relative to the
/// watched root), the way the user meant it.
///
/// A path may be read three ways, preferred in this order: absolute (it must lie under the
/// root); relative to the current directory, as tab completion gives it (from the root's parent,
/// `seeds/x.txt`); relative to the root, as newsctl prints paths. A relative path has both of
/// the last two readings unless it starts with `./` or `../`, which a shell reads from the
/// current directory only. The first reading that names something in the catalogue is used;
/// when two name different things, a note on stderr says which was taken. The daemon does not
/// know the client's working directory, so this happens here, and what is sent is always
/// relative to the root.
///
/// Symlinks: the daemon reports its root as it was given (lexically), and `getcwd` is physical,
/// so a path is compared with the root as typed first, then both in their physical forms.
struct PathResolver {
    /// One way of reading a typed path.
    struct Reading {
        enum Origin { case absolute, workingDirectory, root }

        var origin: Origin
        /// The absolute path this reading names, for messages.
        var absolute: [UInt8]
        /// Its path in the catalogue; `nil` when it lies outside the root.
        var path: WirePath?
    }

    /// The root as the daemon reports it.
    let root: [UInt8]
    /// The root with symlinks resolved.
    let physicalRoot: [UInt8]
    /// The working directory (physical); `nil` when it no longer exists.
    let workingDirectory: [UInt8]?

    /// A resolver for the daemon's `root` (from `status`) and this process's working directory.
    init(root: String, workingDirectory: [UInt8]? = AbsolutePath.workingDirectory()) {
        self.root = AbsolutePath.normalized(Array(root.utf8))
        physicalRoot = AbsolutePath.realPath(self.root) ?? self.root
        self.workingDirectory = workingDirectory
    }

    /// A resolver for the root of the daemon `client` talks to.
    init(asking client: ControlClient) throws {
        let status = try client.call(ControlMethod.status.rawValue, NoParams(), as: StatusResult.self)
        self.init(root: status.root)
    }

    /// The readings of `typed`, the preferred first.
    func readings(of typed: TypedPath) -> [Reading] {
        if typed.isAbsolute {
            let absolute = AbsolutePath.normalized(typed.bytes)
            return [Reading(origin: .absolute, absolute: absolute, path: catalogPath(absolute))]
        }
        var readings: [Reading] = []
        if let workingDirectory {
            let absolute = AbsolutePath.joined(workingDirectory, typed.bytes)
            readings.append(
                Reading(origin: .workingDirectory, absolute: absolute, path: catalogPath(absolute)))
        }
        if !typed.isExplicitlyRelative {
            let absolute = AbsolutePath.joined(root, typed.bytes)
            let path = AbsolutePath.relative(absolute, to: root).map(WirePath.init(bytes:))
            if !readings.contains(where: { $0.path != nil && $0.path == path }) {
                readings.append(Reading(origin: .root, absolute: absolute, path: path))
            }
        }
        return readings
    }

    /// The catalogue path `typed` names: the first reading under the root for which `exists`
    /// holds. With none, the preferred reading when it lies under the root and `mustExist` is
    /// false (a prefix that matches nothing lists nothing); otherwise an error that gives every
    /// reading and names the root. Two readings that both exist get a note on stderr.
    func resolve(
        _ typed: TypedPath, mustExist: Bool, exists: (WirePath) throws -> Bool
    ) throws -> WirePath {
        let readings = readings(of: typed)
        let inside = readings.filter { $0.path != nil }
        if inside.count == 1, !mustExist, let only = inside.first?.path, readings.first?.path != nil {
            return only
        }
        let found = try inside.filter { reading in try reading.path.map(exists) ?? false }
        if let chosen = found.first, let path = chosen.path {
            if found.count > 1 {
                printError(ambiguityNote(typed, chosen: chosen, others: Array(found.dropFirst())))
            }
            return path
        }
        if let preferred = readings.first, let path = preferred.path, !mustExist { return path }
        throw failure(typed, readings: readings)
    }

    /// The catalogue path of the normalised absolute `path`: below the root as typed, or as it
    /// is on disk.
    func catalogPath(_ path: [UInt8]) -> WirePath? {
        if let relative = AbsolutePath.relative(path, to: root) { return WirePath(bytes: relative) }
        let physical = AbsolutePath.physical(path)
        return AbsolutePath.relative(physical, to: physicalRoot).map(WirePath.init(bytes:))
    }

    /// `newsctl: note: …` for a path that names something both ways.
    private func ambiguityNote(_ typed: TypedPath, chosen: Reading, others: [Reading]) -> String {
        let alternatives = others.map { "\(describe($0, typed)) is catalogued too" }.joined(separator: "; ")
        return "newsctl: note: \(typed.display) taken as \(describe(chosen, typed)); \(alternatives) "
            + "(start the path with ./ or give it in full to choose)"
    }

    /// Why nothing was found: every reading lies outside the root, or none is catalogued.
    private func failure(_ typed: TypedPath, readings: [Reading]) -> NewsctlFailure {
        let rootText = String(decoding: root, as: UTF8.self)
        guard readings.contains(where: { $0.path != nil }) else {
            let absolute =
                readings.first.map { String(decoding: $0.absolute, as: UTF8.self) } ?? typed.display
            return .failed("\(typed.display) is outside the root \(rootText): it is \(absolute)")
        }
        let looked = readings.map { describe($0, typed) }.joined(separator: " and ")
        return .remote(
            ControlError(
                .notFound,
                "\(typed.display) is not in the catalogue (the root is \(rootText)): looked for \(looked)"))
    }

    /// A reading in words: `/p/seeds/a.txt (from the current directory; a.txt under the root)`,
    /// `seeds/a.txt relative to the root`.
    private func describe(_ reading: Reading, _ typed: TypedPath) -> String {
        let slash = typed.endsWithSlash ? "/" : ""
        let underRoot = reading.path.map {
            $0.isRoot ? "the root itself" : "\($0.display)\(slash) under the root"
        }
        let absolute = String(decoding: reading.absolute, as: UTF8.self)
        switch reading.origin {
        case .absolute:
            return "\(absolute) (\(underRoot ?? "outside the root"))"
        case .workingDirectory:
            return "\(absolute)\(slash) (from the current directory; \(underRoot ?? "outside the root"))"
        case .root:
            return
                "\(reading.path.map { $0.isRoot ? "." : $0.display + slash } ?? absolute) relative to the root"
        }
    }
}
