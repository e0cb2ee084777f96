import Foundation
import NewsCore

/// A problem the operator should know about, as `status` lists it.
///
/// Each warning has a topic: a newer warning of the same topic replaces the older one, and
/// `status` lists them in the order of their topics' keys.
enum EngineWarning: Equatable, Sendable {
    /// No inotify instance: the whole tree is polled.
    case inotifyUnavailable(error: String, pollSeconds: UInt64)
    /// Events were lost to a full inotify queue (a full reconcile followed).
    case overflow(count: Int, maxQueuedEvents: Int?, at: Date)
    /// The analysis backfill failed.
    case backfillFailed(error: String)
    /// Analysing texts again after a chrome verdict changed failed.
    case reanalysisFailed(error: String)
    /// The catalogue was found damaged while running.
    case catalogueDamaged(reason: String, remedy: String)
    /// The catalogue could not be written.
    case catalogueUnwritable(error: String)
    /// The root's identity could not be read from the catalogue.
    case rootIdentityUnreadable(error: String)
    /// The inotify watch limit is reached: `polled` directories are polled.
    case watchLimit(maxUserWatches: String, polled: Int, pollSeconds: UInt64)
    /// One directory could not be watched for another reason.
    case unwatchable(RelativePath, error: String)
    /// The root cannot be trusted.
    case rootUntrusted(RootUnavailable)
    /// A filesystem mounted inside the tree went away.
    case unmounted(RelativePath, absolute: String, files: Int, pollSeconds: UInt64)
    /// The root is on a filesystem whose changes inotify does not all see.
    case remoteFilesystem(name: String, pollSeconds: UInt64)

    /// What a warning is about.
    enum Topic: Hashable, Comparable, Sendable {
        case inotify
        case overflow
        case backfill
        case catalogue
        case watchLimit
        case unwatchable(RelativePath)
        case root
        case unmounted(RelativePath)
        case filesystem

        /// The topic's name in the log, which also orders `status`'s list.
        var key: String {
            switch self {
            case .inotify: "inotify"
            case .overflow: "overflow"
            case .backfill: "backfill"
            case .catalogue: "catalogue"
            case .watchLimit: "watch-limit"
            case .unwatchable(let directory): "watch-\(directory.display)"
            case .root: "root"
            case .unmounted(let directory): "unmounted \(directory.display)"
            case .filesystem: "filesystem"
            }
        }

        static func < (lhs: Topic, rhs: Topic) -> Bool { lhs.key < rhs.key }
    }

    var topic: Topic {
        switch self {
        case .inotifyUnavailable: .inotify
        case .overflow: .overflow
        case .backfillFailed, .reanalysisFailed: .backfill
        case .catalogueDamaged, .catalogueUnwritable, .rootIdentityUnreadable: .catalogue
        case .watchLimit: .watchLimit
        case .unwatchable(let directory, _): .unwatchable(directory)
        case .rootUntrusted: .root
        case .unmounted(let directory, _, _, _): .unmounted(directory)
        case .remoteFilesystem: .filesystem
        }
    }

    /// The text `status` shows.
    var message: String {
        switch self {
        case .inotifyUnavailable(let error, let pollSeconds):
            "cannot create an inotify instance (\(error)); the fs.inotify.max_user_instances limit "
                + "may be reached (raise it with sysctl); polling the whole tree every "
                + "\(pollSeconds) s instead"
        case .overflow(let count, let maxQueuedEvents, let at):
            "the inotify queue overflowed \(count) time(s)"
                + (maxQueuedEvents.map { " (fs.inotify.max_queued_events = \($0))" } ?? "") + ", last at "
                + "\(ISO8601DateFormatter().string(from: at)); events were lost and a full "
                + "reconcile brought the catalogue back in step"
        case .backfillFailed(let error):
            "the analysis backfill failed: \(error); it resumes on the next start"
        case .reanalysisFailed(let error):
            "analysing texts again after a chrome verdict failed: \(error); the next start does it"
        case .catalogueDamaged(let reason, let remedy):
            "the catalogue is damaged (\(reason)); changes are not recorded; \(remedy)"
        case .catalogueUnwritable(let error):
            "cannot update the catalogue: \(error); retrying with a full reconcile"
        case .rootIdentityUnreadable(let error):
            "cannot read the root's identity from the catalogue: \(error); retrying"
        case .watchLimit(let limit, let polled, let pollSeconds):
            "the inotify watch limit is reached (fs.inotify.max_user_watches = \(limit)); "
                + "\(polled) directories are polled every \(pollSeconds) s "
                + "instead; raise the limit with sysctl -w fs.inotify.max_user_watches=N"
        case .unwatchable(let directory, let error):
            "cannot watch \(directory.display) (\(error)); polling it"
        case .rootUntrusted(let error):
            "\(error); the catalogue is kept as it was (nothing is read as deleted); \(error.remedy)"
        case .unmounted(_, let absolute, let files, let pollSeconds):
            "the filesystem mounted at \(absolute) was unmounted; its "
                + "\(files) catalogued file(s) are kept (nothing is read as deleted) and the directory is "
                + "polled every \(pollSeconds) s until a filesystem is "
                + "mounted there again; if the files really are gone, run `newsctl rescan --accept-root`"
        case .remoteFilesystem(let name, let pollSeconds):
            "the root is on \(name), where inotify does not see changes made by other hosts; polling "
                + "every \(pollSeconds) s as well"
        }
    }
}

/// The warnings in force, one per topic.
struct EngineWarnings {
    private var byTopic: [EngineWarning.Topic: EngineWarning] = [:]

    /// Records `warning`; true when what `status` shows changed. `firstOfTopic` says whether
    /// the topic had no warning (the log reports a topic once, not each refresh of its text).
    mutating func set(_ warning: EngineWarning) -> (changed: Bool, firstOfTopic: Bool) {
        let previous = byTopic.updateValue(warning, forKey: warning.topic)
        return (previous?.message != warning.message, previous == nil)
    }

    /// Drops the warning of `topic`; true when there was one.
    mutating func clear(_ topic: EngineWarning.Topic) -> Bool {
        byTopic.removeValue(forKey: topic) != nil
    }

    subscript(topic: EngineWarning.Topic) -> EngineWarning? { byTopic[topic] }

    /// The texts, in the order of their topics.
    var messages: [String] { byTopic.keys.sorted().compactMap { byTopic[$0]?.message } }
}
