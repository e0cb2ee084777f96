import Catalogue
import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// The cursor is the sync contract: it survives restarts, and a cursor the daemon cannot serve
/// gets a fresh listing, never a silent gap.
@Suite struct ControlCursorTests {
    @Test func syncMakesTheCatalogueReflectABurstWrittenJustBeforeIt() throws {
        let fixture = try DaemonFixture("ctl-sync")
        // A long settle time: without the barrier these would wait a second to be ingested.
        try fixture.start(["--settle", "1000", "--settle-cap", "5000"])
        let before = try fixture.status()
        for index in 0..<200 { try fixture.write("burst/\(index).txt", "burst \(index)\n") }
        rename(fixture.path("burst/0.txt"), fixture.path("burst/renamed.txt"))
        unlink(fixture.path("burst/1.txt"))
        let sync = try fixture.newsctl(["sync", "--json"])
        #expect(sync.status == 0, "\(sync)")
        // No waiting: the catalogue already holds the burst.
        let status = try fixture.status()
        #expect(status.files == before.files + 199, "\(status)")
        #expect(try fixture.newsctl(["show", "burst/renamed.txt"]).status == 0)
        #expect(try fixture.newsctl(["show", "burst/1.txt"]).status == 1)
        fixture.waitForConvergence()
    }

    @Test func aConsumerLoopingChangesAcrossRestartsNeverMissesOrRepeats() throws {
        let fixture = try DaemonFixture("ctl-restart")
        try fixture.write("seed.txt", "seed\n")
        try fixture.start()
        var seen: [Int64] = []
        var paths: [String] = []
        var cursor: String?
        func consume() throws {
            let page = try fixture.changes(since: cursor)
            #expect(!page.freshInstance, "a served cursor must not give a fresh listing")
            seen += page.changes.map(\.seq)
            paths += page.changes.map { "\($0.op) \($0.path.display)" }
            cursor = page.cursor
        }
        try consume()
        for round in 0..<3 {
            try fixture.write("live-\(round).txt", "written while running \(round)\n")
            try fixture.sync()
            try consume()
            if round == 1 {
                fixture.daemon?.kill9()
            } else {
                try fixture.daemon?.stop()
            }
            try fixture.write("down-\(round).txt", "written while stopped \(round)\n")
            try fixture.start()
            try fixture.sync()
            try consume()
        }
        #expect(seen == seen.sorted() && Set(seen).count == seen.count, "repeated or out of order: \(seen)")
        var expected = ["add seed.txt"]
        for round in 0..<3 { expected += ["add live-\(round).txt", "add down-\(round).txt"] }
        #expect(paths == expected)
    }

    @Test func aRebuiltCatalogueAnswersAFreshInstanceWithAFullListing() throws {
        let fixture = try DaemonFixture("ctl-rebuilt")
        try fixture.write("one.txt", "one\n")
        try fixture.write("two.txt", "two\n")
        try fixture.start()
        let old = try fixture.changes(since: nil)
        try fixture.daemon?.stop()
        for suffix in ["", "-wal", "-shm"] { unlink(fixture.state + "/" + AppDatabase.fileName + suffix) }
        try fixture.start()
        let result = try fixture.newsctl(["changes", "--since", old.cursor, "--json"])
        #expect(result.status == 0, "\(result)")
        let json = try result.json()
        #expect(json["fresh_instance"] as? Bool == true, "\(result.stdout)")
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(Set(files.compactMap { $0["path"] as? String }) == ["one.txt", "two.txt"])
        let cursor = try #require(ChangeCursor(json["cursor"] as? String ?? ""))
        #expect(cursor.epoch != ChangeCursor(old.cursor)?.epoch)
        // The new cursor is served normally from then on.
        try fixture.write("three.txt", "three\n")
        try fixture.sync()
        let next = try fixture.changes(since: cursor.description)
        #expect(!next.freshInstance)
        #expect(next.changes.map(\.path.display) == ["three.txt"])
        let human = try fixture.newsctl(["changes", "--since", old.cursor])
        #expect(human.stdout.contains("fresh instance"), "\(human)")
    }

    @Test func aCursorOlderThanTheKeptHistoryAnswersAFreshInstance() throws {
        let fixture = try DaemonFixture("ctl-retention")
        try fixture.write("old.txt", "old\n")
        try fixture.start(["--retention", "1s"])
        let start = ChangeCursor(epoch: try fixture.status().epoch, seq: 0).description
        #expect(try fixture.changes(since: start).changes.count == 1)
        // A newer entry, so the old one is not the newest (the newest is always kept); the
        // pruner, running every second, drops the old one once it is a second old.
        try fixture.write("new.txt", "new\n")
        try fixture.sync()
        var answer: ChangesResult?
        let pruned = waitUntil(timeout: 20) {
            answer = try? fixture.changes(since: start)
            return answer?.freshInstance == true
        }
        #expect(pruned, "the history was not pruned: \(String(describing: answer))")
        #expect(Set(answer?.files?.map(\.path.display) ?? []) == ["old.txt", "new.txt"])
        #expect(try fixture.status().prunedThrough >= 1)
        // A follower from the pruned cursor is told to resync.
        let follow = try fixture.newsctl(["follow", "--since", start])
        #expect(follow.status == 1 && follow.stderr.contains("resync_required"), "\(follow)")
    }

    @Test func followStreamsLiveChangesInHumanAndJSON() throws {
        let fixture = try DaemonFixture("ctl-follow")
        try fixture.start()
        let cursor = try fixture.status().cursor
        let environment = ["NEWSD_SOCKET": fixture.socket, "NO_COLOR": "1"]
        let json = try BackgroundProcess(
            Binaries.newsctl, ["follow", "--json", "--since", cursor], environment: environment,
            scratch: fixture.scratch, label: "follow-json")
        let human = try BackgroundProcess(
            Binaries.newsctl, ["follow", "--since", cursor], environment: environment,
            scratch: fixture.scratch,
            label: "follow-human")
        try fixture.write("x.txt", "x\n")
        try fixture.sync()
        rename(fixture.path("x.txt"), fixture.path("y.txt"))
        try fixture.sync()
        unlink(fixture.path("y.txt"))
        try fixture.sync()
        let streamed = waitUntil(timeout: 20) { json.stdout.split(separator: "\n").count >= 3 }
        #expect(streamed, "follow --json printed: \(json.stdout)\n\(json.stderr)")
        let lines = try json.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(lines.map { $0["op"] as? String } == ["add", "rename", "delete"], "\(json.stdout)")
        #expect(lines[1]["from"] as? String == "x.txt")
        for line in lines {
            for key in ["seq", "op", "path", "sha256", "cursor"] { #expect(line[key] != nil, "\(line)") }
        }
        #expect(waitUntil(timeout: 20) { human.stdout.contains("delete y.txt") }, "\(human.stdout)")
        // The stream ends when the daemon stops, saying why.
        try fixture.daemon?.stop()
        #expect(try json.waitForExit() == 1)
        #expect(json.stderr.contains("shutting_down"), "\(json.stderr)")
    }
}
