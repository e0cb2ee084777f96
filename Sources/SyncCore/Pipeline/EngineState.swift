/// Why the engine follows the tree less well than it should (`EngineState.degraded`).
struct DegradedCauses: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    /// The root cannot be trusted (missing, emptied, unmounted): nothing is read as deleted.
    static let rootUntrusted = DegradedCauses(rawValue: 1 << 0)
    /// Directories are polled instead of watched (watch limit, no inotify, remote filesystem).
    static let polling = DegradedCauses(rawValue: 1 << 1)
    /// A filesystem mounted inside the tree went away; its mount point is polled.
    static let unmounted = DegradedCauses(rawValue: 1 << 2)
    /// The catalogue cannot be written (or is damaged): changes are not recorded.
    static let catalogueFailing = DegradedCauses(rawValue: 1 << 3)
}

/// Something that moves the engine from one state to another.
enum EngineEvent: Equatable, Sendable {
    /// A full reconcile begins (start-up, resume, overflow, rescan, periodic).
    case scanBegan
    /// The full reconcile ended (done, failed or cancelled); `health` as it is now.
    case scanEnded(health: DegradedCauses)
    /// What the engine knows about the tree's health changed, or was looked at again.
    case healthChanged(DegradedCauses)
    /// `pause`: stop ingesting events.
    case pauseRequested
    /// `resume`: ingest again (a full reconcile follows); `health` as it is now.
    case resumeRequested(health: DegradedCauses)
    /// A stop command, or the pass in flight saw the stop request.
    case stopRequested

    /// A client's request, which may come at any time (a second `pause`): refusing it is
    /// ordinary. Any other refused event is an engine bug.
    var isRequest: Bool {
        switch self {
        case .pauseRequested, .resumeRequested, .stopRequested: true
        case .scanBegan, .scanEnded, .healthChanged: false
        }
    }
}

/// The engine's state: one value instead of flags whose combinations would have to be
/// interpreted, with every transition in `next(on:)`.
///
/// ```
/// starting ──scanBegan──▶ scanning ──scanEnded──▶ watching ⇄ degraded(causes)
///                            ▲                      │  (healthChanged)
///                            └────── scanBegan ─────┤
///                                                   ├─pauseRequested─▶ paused
///                 watching / degraded ◀─resumeRequested─────────────────┘
/// any state ──stopRequested──▶ stopping (final)
/// ```
///
/// - `starting`: before the start-up scan; health changes wait for the scan's verdict.
/// - `scanning`: a full reconcile runs; health changes are kept for its end. Commands are
///   taken only between passes, so a pause cannot arrive while scanning.
/// - `watching` / `degraded(causes)`: following the tree; `healthChanged` moves between them.
/// - `paused`: events are not ingested. A requested rescan still runs and the state stays
///   `paused` (the status says so); health changes wait for `resume`.
/// - `stopping`: final. The pass that the stop cancelled ends here, and health updates are
///   absorbed; nothing else is accepted.
enum EngineState: Equatable, Sendable {
    case starting
    case scanning
    case watching
    case degraded(DegradedCauses)
    case paused
    case stopping

    /// The state after `event`, or `nil` when the event is impossible in this state.
    func next(on event: EngineEvent) -> EngineState? {
        switch (self, event) {
        case (_, .stopRequested):
            return .stopping
        case (.stopping, .scanEnded), (.stopping, .healthChanged):
            return .stopping
        case (.stopping, _):
            return nil

        case (.starting, .scanBegan):
            return .scanning
        case (.starting, .healthChanged):
            return .starting
        case (.starting, _):
            return nil

        case (.scanning, .scanEnded(let health)):
            return Self.following(health)
        case (.scanning, .healthChanged):
            return .scanning
        case (.scanning, _):
            return nil

        case (.watching, .scanBegan), (.degraded, .scanBegan):
            return .scanning
        case (.watching, .healthChanged(let health)), (.degraded, .healthChanged(let health)):
            return Self.following(health)
        case (.watching, .pauseRequested), (.degraded, .pauseRequested):
            return .paused
        case (.watching, _), (.degraded, _):
            return nil

        case (.paused, .scanBegan), (.paused, .scanEnded), (.paused, .healthChanged):
            return .paused
        case (.paused, .resumeRequested(let health)):
            return Self.following(health)
        case (.paused, .pauseRequested):
            return nil
        }
    }

    /// Following the tree: `watching` when nothing is wrong, `degraded` otherwise.
    static func following(_ health: DegradedCauses) -> EngineState {
        health.isEmpty ? .watching : .degraded(health)
    }

    /// What `status` reports.
    var reported: DaemonState {
        switch self {
        case .starting: .starting
        case .scanning: .scanning
        case .watching: .watching
        case .degraded: .degraded
        case .paused: .paused
        case .stopping: .stopping
        }
    }

    /// Events are not ingested.
    var isPaused: Bool { self == .paused }
    /// The engine is shutting down.
    var isStopping: Bool { self == .stopping }
}

extension DegradedCauses: CustomStringConvertible {
    var description: String {
        let names: [(DegradedCauses, String)] = [
            (.rootUntrusted, "root"), (.polling, "polling"), (.unmounted, "unmounted"),
            (.catalogueFailing, "catalogue"),
        ]
        return names.filter { contains($0.0) }.map(\.1).joined(separator: ",")
    }
}

extension EngineState: CustomStringConvertible {
    var description: String {
        if case .degraded(let causes) = self { return "degraded(\(causes))" }
        return reported.rawValue
    }
}
