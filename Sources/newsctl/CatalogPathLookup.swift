import Foundation
import SyncCore

/// The two kinds of path argument newsctl takes, resolved with `PathResolver` against what the
/// daemon catalogues, and the params that send them (as text when UTF-8, else as base64).
extension PathResolver {
    /// The catalogued file `argument` names (`show`).
    func file(_ argument: String, client: ControlClient) throws -> RelativePath {
        try resolve(TypedPath(argument), mustExist: true) { path in
            do {
                _ = try client.callRaw(ControlMethod.show.rawValue, ShowParams(catalogPath: path))
                return true
            } catch ControlClientError.remote(let error) where error.code == .notFound {
                return false
            }
        }
    }

    /// The prefix `argument` names (`ls`, `errors`): a reading that some catalogued path starts
    /// with, its trailing slash kept (only a directory's contents then).
    func prefix(_ argument: String, client: ControlClient) throws -> RelativePath {
        let typed = TypedPath(argument)
        func withSlash(_ path: RelativePath) -> RelativePath {
            guard typed.endsWithSlash, !path.isRoot else { return path }
            return RelativePath(bytes: path.bytes + [UInt8(ascii: "/")])
        }
        let path = try resolve(typed, mustExist: false) { path in
            var params = ListParams(limit: 1)
            params.setPrefix(withSlash(path))
            let page = try client.call(ControlMethod.list.rawValue, params, as: ListResult.self)
            return !page.files.isEmpty
        }
        return withSlash(path)
    }
}

extension ShowParams {
    /// Params naming the catalogue path `path`.
    init(catalogPath path: RelativePath) {
        self.init(
            path: path.string, pathB64: path.string == nil ? Data(path.bytes).base64EncodedString() : nil)
    }
}

extension ListParams {
    /// Lists only paths starting with `path`.
    mutating func setPrefix(_ path: RelativePath) {
        prefix = path.string
        prefixB64 = path.string == nil ? Data(path.bytes).base64EncodedString() : nil
    }
}
