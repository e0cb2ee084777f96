import ControlWire

/// The two kinds of path argument newsctl takes, resolved with `PathResolver` against what the
/// daemon catalogues, and the params that send them (as text when UTF-8, else as base64).
extension PathResolver {
    /// The catalogued file `argument` names (`show`).
    func file(_ argument: String, client: ControlClient) throws -> WirePath {
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
    func prefix(_ argument: String, client: ControlClient) throws -> WirePath {
        let typed = TypedPath(argument)
        func withSlash(_ path: WirePath) -> WirePath {
            guard typed.endsWithSlash, !path.isRoot else { return path }
            return WirePath(bytes: path.bytes + [UInt8(ascii: "/")])
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

extension WirePath {
    /// The root itself (the empty path).
    var isRoot: Bool { bytes.isEmpty }
}

extension ShowParams {
    /// Params naming the catalogue path `path`.
    init(catalogPath path: WirePath) {
        self.init(path: path.isUTF8 ? path.display : nil, pathB64: path.base64)
    }
}

extension ListParams {
    /// Lists only paths starting with `path`.
    mutating func setPrefix(_ path: WirePath) {
        prefix = path.isUTF8 ? path.display : nil
        prefixB64 = path.base64
    }
}
