import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Catalogue
@testable import ControlWire
@testable import SyncCore

/// A full pass's progress: counted by the walk and the readers as they go, shown as one line.
@Suite struct ScanProgressTests {
    /// The walk counts directories and what they hold, the plan the files to read, the readers
    /// each file; the phase changes are announced, and nothing is counted outside a pass.
    @Test func aPassCountsItsWalkAndItsReads() throws {
        var f = try ReconcilerFixture()
        for i in 0..<30 { try f.write("d\(i % 3)/\(i).txt", "article \(i)\n") }
        try f.write("top.txt", "top\n")
        let phases = Mutex(0)
        let counters = ScanCounters(phaseChanged: { phases.withLock { $0 += 1 } })
        f.reconciler.counters = counters
        #expect(counters.snapshot() == nil)

        counters.begin()
        let walking = try #require(counters.snapshot())
        #expect(walking == ScanProgress(directories: 0, walked: 0, toRead: nil, read: 0) && walking.isWalking)
        try f.scan()
        let cold = try #require(counters.snapshot())
        #expect(cold.directories == 4 && cold.walked == 31, "\(cold)")
        #expect(cold.toRead == 31 && cold.read == 31, "\(cold)")
        #expect(phases.withLock { $0 } == 2)
        counters.end()
        #expect(counters.snapshot() == nil)

        // Outside a pass (the daemon's event batches) nothing is counted.
        try f.write("d0/new.txt", "new\n")
        try f.scan()
        counters.begin()
        #expect(counters.snapshot() == ScanProgress(directories: 0, walked: 0, toRead: nil, read: 0))

        // A warm pass walks everything and reads only what changed.
        try f.write("d1/other.txt", "other\n")
        try f.scan()
        let warm = try #require(counters.snapshot())
        #expect(warm.walked == 33 && warm.toRead == 1 && warm.read == 1, "\(warm)")
    }

    /// The rate is the writer's, measured from the end of the walk and given (with the time
    /// left) only once the pass has run a while past it; it stops when the last file is written.
    @Test func theRateAndTheTimeLeftComeFromTheWritesOnceThePassHasRunAWhile() {
        let counters = ScanCounters()
        counters.begin()
        counters.listed(entries: 1_000)
        let walkEnded: UInt64 = 5_000_000_000
        counters.planned(toRead: 1_000, at: walkEnded)
        for _ in 0..<300 { counters.fileRead() }
        let early = counters.snapshot(at: walkEnded + 400_000_000)
        #expect(early?.read == 300 && early?.filesPerSecond == nil && early?.etaSeconds == nil)
        // Read, and nothing written yet: the writer is stuck, and no time left can be told.
        let stuck = counters.snapshot(at: walkEnded + 1_000_000_000)
        #expect(stuck?.filesPerSecond == 0 && stuck?.etaSeconds == nil, "\(String(describing: stuck))")
        counters.written(100, at: walkEnded + 1_500_000_000)
        let later = counters.snapshot(at: walkEnded + 2_000_000_000)
        #expect(later?.read == 300 && later?.filesPerSecond == 50 && later?.etaSeconds == 18)
        for _ in 300..<1_000 { counters.fileRead() }
        counters.written(1_000, at: walkEnded + 10_000_000_000)
        let done = counters.snapshot(at: walkEnded + 60_000_000_000)
        #expect(done?.filesPerSecond == 100 && done?.etaSeconds == 0, "\(String(describing: done))")
    }

    /// The line: the walk's counts while it runs, then the reads against the plan.
    @Test func theLineSaysWhatIsWalkedAndReadAndWhatIsLeft() {
        #expect(
            ScanProgress(directories: 678, walked: 12_345, toRead: nil, read: 0).text
                == "walking: 12,345 files in 678 directories")
        #expect(
            ScanProgress(directories: 1_200, walked: 64_000, toRead: 48_000, read: 12_345).text
                == "64,000 files walked; 12,345 of 48,000 read (25%)")
        #expect(
            ScanProgress(
                directories: 1_200, walked: 64_000, toRead: 48_000, read: 12_345, filesPerSecond: 1_480.4,
                etaSeconds: 23.9
            ).text == "64,000 files walked; 12,345 of 48,000 read (25%), 1,480 files/s, about 24 s left")
        #expect(
            ScanProgress(
                directories: 1, walked: 3, toRead: 3, read: 3, filesPerSecond: 6, etaSeconds: 0
            ).text == "3 files walked; 3 of 3 read (100%), 6 files/s")
        // Read, and not all written yet: the time left is the writer's.
        #expect(
            ScanProgress(
                directories: 1, walked: 3_000, toRead: 3_000, read: 3_000, filesPerSecond: 500,
                etaSeconds: 2.5
            ).text == "3,000 files walked; 3,000 of 3,000 read (100%), 500 files/s, about 3 s left")
        #expect(
            ScanProgress(directories: 10, walked: 1_000_000, toRead: 0, read: 0).text
                == "1,000,000 files walked; nothing to read")
        #expect(ScanProgress.duration(88.2) == "89 s")
        #expect(ScanProgress.duration(95) == "2 min")
        #expect(ScanProgress.duration(5_400) == "1 h 30 min")
        #expect(ScanProgress.grouped(999) == "999" && ScanProgress.grouped(-1_000) == "-1,000")
    }
}
