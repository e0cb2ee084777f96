import ControlWire
import Foundation
import Logging
import NewsCore
import Synchronization

/// What the request handler needs from the rest of the daemon.
final class ControlContext: Sendable {
    let hub: EngineHub
    let database: AppDatabase
    let tree: Tree
    let settings: ControlSettings
    let logger: Logger
    /// Connections open now.
    let clients = Atomic<Int>(0)
    /// `status`'s cluster count and the sequence number it was counted at.
    let clusterCountCache = Mutex<(seq: Int64, count: Int, at: UInt64)?>(nil)

    init(hub: EngineHub, database: AppDatabase, tree: Tree, settings: ControlSettings, logger: Logger) {
        self.hub = hub
        self.database = database
        self.tree = tree
        self.settings = settings
        self.logger = logger
    }

    /// A cursor in this catalogue's epoch.
    func cursor(_ seq: Int64) -> ChangeCursor { ChangeCursor(epoch: database.epoch, seq: seq) }
}
