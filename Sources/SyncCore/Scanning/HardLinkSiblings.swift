import NewsCore

extension Reconciler {
    /// A write through one path of a multiply-linked file changes every path of the inode, but
    /// inotify reports only the path written to: the catalogued siblings (outside the pass's
    /// scopes, which the survey covered) of every multiply-linked file to be read are read too.
    func addHardLinkSiblings(to survey: inout TreeSurvey, scopes: [RelativePath]) throws {
        var added: Set<RelativePath> = []
        for index in survey.toRead.indices {
            let stat = survey.toRead[index].stat
            guard stat.linkCount > 1 else { continue }
            for sibling in try database.entries(device: stat.device, inode: stat.inode)
            where !added.contains(sibling.path) && !scopes.contains(where: { sibling.path.isWithin($0) }) {
                guard case .success(let siblingStat) = FileStat.lstat(tree.cPath(sibling.path)),
                    siblingStat.inode == stat.inode, siblingStat.device == stat.device
                else { continue }
                added.insert(sibling.path)
                survey.toRead.append(
                    SurveyedChange(
                        walked: WalkedEntry(path: sibling.path, stat: siblingStat),
                        catalogued: InodeKey(sibling.stat)))
            }
        }
    }
}
