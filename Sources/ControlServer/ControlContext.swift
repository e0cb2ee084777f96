import Catalogue
import ControlWire
import Foundation
import Logging
import NewsCore
import SyncCore
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
    /// The clusters in `clusters`' order, for `status`'s count and `clusters`' pages.
    let clusterOrderCache = Mutex<ClusterOrder?>(nil)

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
