import Foundation
import Testing

@testable import Catalogue
@testable import SyncCore

/// The engine's state machine: every documented transition, and the refusal of the rest.
@Suite struct EngineStateTests {
    static let healthy: DegradedCauses = []
    static let polling: DegradedCauses = [.polling]
    static let broken: DegradedCauses = [.rootUntrusted, .catalogueFailing]

    /// One of every event (with the health each may carry), for the exhaustive checks.
    static let events: [EngineEvent] = [
        .scanBegan, .scanEnded(health: healthy), .scanEnded(health: polling), .healthChanged(healthy),
        .healthChanged(broken), .pauseRequested, .resumeRequested(health: healthy),
        .resumeRequested(health: polling), .stopRequested,
    ]

    /// One of every state.
    static let states: [EngineState] = [
        .starting, .scanning, .watching, .degraded(polling), .degraded(broken), .paused, .stopping,
    ]

    /// The documented transitions: (from, event, to).
    static let allowed: [(EngineState, EngineEvent, EngineState)] = [
        // Start-up: health waits for the start-up scan's verdict.
        (.starting, .scanBegan, .scanning),
        (.starting, .healthChanged(broken), .starting),
        // A full reconcile: health waits for its end, which decides between the two.
        (.scanning, .healthChanged(broken), .scanning),
        (.scanning, .scanEnded(health: healthy), .watching),
        (.scanning, .scanEnded(health: polling), .degraded(polling)),
        // Following the tree.
        (.watching, .healthChanged(healthy), .watching),
        (.watching, .healthChanged(broken), .degraded(broken)),
        (.degraded(broken), .healthChanged(polling), .degraded(polling)),
        (.degraded(polling), .healthChanged(healthy), .watching),
        (.watching, .scanBegan, .scanning),
        (.degraded(polling), .scanBegan, .scanning),
        (.watching, .pauseRequested, .paused),
        (.degraded(broken), .pauseRequested, .paused),
        // Paused: a requested rescan runs and the state stays paused; resume decides.
        (.paused, .scanBegan, .paused),
        (.paused, .scanEnded(health: healthy), .paused),
        (.paused, .healthChanged(broken), .paused),
        (.paused, .resumeRequested(health: healthy), .watching),
        (.paused, .resumeRequested(health: polling), .degraded(polling)),
        // Stopping, from anywhere; the pass the stop cancelled ends there.
        (.starting, .stopRequested, .stopping),
        (.scanning, .stopRequested, .stopping),
        (.watching, .stopRequested, .stopping),
        (.degraded(broken), .stopRequested, .stopping),
        (.paused, .stopRequested, .stopping),
        (.stopping, .stopRequested, .stopping),
        (.stopping, .scanEnded(health: healthy), .stopping),
        (.stopping, .healthChanged(broken), .stopping),
    ]

    @Test(arguments: 0..<allowed.count)
    func aDocumentedTransitionLeadsWhereDocumented(index: Int) {
        let (from, event, to) = Self.allowed[index]
        #expect(from.next(on: event) == to, "\(from) on \(event)")
    }

    /// Every pair the table does not list (up to the health carried) is refused.
    @Test func everyOtherTransitionIsRefused() {
        func sameShape(_ a: EngineEvent, _ b: EngineEvent) -> Bool {
            switch (a, b) {
            case (.scanBegan, .scanBegan), (.scanEnded, .scanEnded), (.healthChanged, .healthChanged),
                (.pauseRequested, .pauseRequested), (.resumeRequested, .resumeRequested),
                (.stopRequested, .stopRequested):
                true
            default: false
            }
        }
        func sameShape(_ a: EngineState, _ b: EngineState) -> Bool {
            a.reported == b.reported
        }
        var refused = 0
        for state in Self.states {
            for event in Self.events {
                let documented = Self.allowed.contains { sameShape($0.0, state) && sameShape($0.1, event) }
                if documented {
                    #expect(state.next(on: event) != nil, "\(state) on \(event) is documented")
                } else {
                    #expect(state.next(on: event) == nil, "\(state) on \(event) is not documented")
                    refused += 1
                }
            }
        }
        #expect(refused > 0)
    }

    /// The refusals that matter: no second pass inside a pass, no pause before the start-up
    /// scan or during a pass, no resume unless paused, nothing after stopping but its end.
    @Test func impossibleTransitionsAreRefused() {
        #expect(EngineState.scanning.next(on: .scanBegan) == nil)
        #expect(EngineState.starting.next(on: .pauseRequested) == nil)
        #expect(EngineState.scanning.next(on: .pauseRequested) == nil)
        #expect(EngineState.paused.next(on: .pauseRequested) == nil)
        #expect(EngineState.watching.next(on: .resumeRequested(health: Self.healthy)) == nil)
        #expect(EngineState.watching.next(on: .scanEnded(health: Self.healthy)) == nil)
        #expect(EngineState.starting.next(on: .scanEnded(health: Self.healthy)) == nil)
        #expect(EngineState.stopping.next(on: .scanBegan) == nil)
        #expect(EngineState.stopping.next(on: .resumeRequested(health: Self.healthy)) == nil)
        #expect(EngineState.stopping.next(on: .pauseRequested) == nil)
    }

    /// What `status` reports: the strings of the protocol, one per state.
    @Test func statesReportTheProtocolsStrings() {
        #expect(
            Self.states.map(\.reported.rawValue) == [
                "starting", "scanning", "watching", "degraded", "degraded", "paused", "stopping",
            ])
        #expect(Set(Self.states.map(\.reported)) == Set(DaemonState.allCases))
    }

    /// A client's requests may be refused in ordinary use; any other refusal is a bug.
    @Test func onlyRequestsAreOrdinaryToRefuse() {
        #expect(EngineEvent.pauseRequested.isRequest)
        #expect(EngineEvent.resumeRequested(health: Self.healthy).isRequest)
        #expect(EngineEvent.stopRequested.isRequest)
        #expect(!EngineEvent.scanBegan.isRequest)
        #expect(!EngineEvent.scanEnded(health: Self.healthy).isRequest)
        #expect(!EngineEvent.healthChanged(Self.healthy).isRequest)
    }

    /// Warnings keep their topics' order and texts, and one topic holds one warning.
    @Test func warningsAreKeptOnePerTopicInTheTopicsOrder() {
        var warnings = EngineWarnings()
        func set(_ warning: EngineWarning) -> [Bool] {
            let outcome = warnings.set(warning)
            return [outcome.changed, outcome.firstOfTopic]
        }
        #expect(set(.remoteFilesystem(name: "NFS", pollSeconds: 5)) == [true, true])
        #expect(set(.catalogueUnwritable(error: "disk full")) == [true, true])
        #expect(set(.catalogueUnwritable(error: "disk full")) == [false, false])
        #expect(set(.rootIdentityUnreadable(error: "busy")) == [true, false])
        #expect(
            warnings.messages == [
                "cannot read the root's identity from the catalogue: busy; retrying",
                "the root is on NFS, where inotify does not see changes made by other hosts; polling every 5 s as well",
            ])
        let cleared = warnings.clear(.catalogue)
        let clearedAgain = warnings.clear(.catalogue)
        #expect(cleared && !clearedAgain)
        #expect(warnings.messages.count == 1)
    }

    /// Remote and FUSE filesystems are told by their statfs magic numbers.
    @Test func remoteFilesystemsAreToldByTheirMagic() {
        #expect(RemoteFilesystem.name(ofType: 0x6969) == "NFS")
        #expect(RemoteFilesystem.name(ofType: 0x6573_5546) == "FUSE")
        // A negative `long` (the C type) from a 32-bit magic with its high bit set.
        #expect(RemoteFilesystem.name(ofType: Int(Int32(bitPattern: 0xFF53_4D42))) == "CIFS")
        #expect(RemoteFilesystem.name(ofType: 0xEF53) == nil)  // ext4
    }
}
