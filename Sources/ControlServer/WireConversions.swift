import Catalogue
import ControlWire
import Foundation
import SyncCore

/// From catalogue values to wire records (kept apart so the wire types stay free of the catalogue).
extension FileRecord {
    init(_ file: CatalogFile) {
        let hex = file.sha256.map(Hex.encode)
        self.init(
            path: WirePath(bytes: file.path.bytes), kind: file.kind.rawValue, size: file.size, sha256: hex,
            state: file.state.rawValue, reason: file.reason,
            group: file.copies > 1 ? hex.map(FileRecord.groupID(sha256:)) : nil, lang: file.language,
            title: file.title, published: file.published.map(WireDate.iso8601),
            norm: file.normalizedHash.map(Hex.encode), cluster: file.cluster)
    }
}

extension FileDetail {
    init(_ file: CatalogFile, duplicates: [CatalogFile]) {
        self.init(
            file: FileRecord(file), mtimeNanoseconds: file.mtimeNanoseconds, device: file.device,
            inode: file.inode, copies: file.copies, duplicates: duplicates.map(FileRecord.init))
    }
}

extension ChangeRecord {
    init(_ entry: ChangeEntry, cursor: String? = nil) {
        self.init(
            seq: entry.seq, op: entry.op.rawValue, path: WirePath(bytes: entry.path.bytes),
            from: entry.from.map { WirePath(bytes: $0.bytes) }, sha256: entry.sha256.map(Hex.encode),
            state: entry.state.rawValue, atNanoseconds: entry.atNanoseconds, cursor: cursor)
    }
}

extension ControlError {
    /// The wire error for an engine failure.
    init(_ error: EngineError) {
        switch error {
        case .paused: self.init(.paused, "the daemon is paused; run `newsctl resume` first")
        case .rootUnavailable(let message): self.init(.rootUnavailable, message)
        case .stopping: self.init(.shuttingDown, "the daemon is shutting down")
        case .failed(let message): self.init(.internal, message)
        }
    }
}

/// Dates on the wire: ISO 8601 in UTC, to the second.
enum WireDate {
    static func iso8601(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                .timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
