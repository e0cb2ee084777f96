import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// Every `newsctl` subcommand against a real daemon, in human and `--json` output.
@Suite struct NewsctlEndToEndTests {
    static let arabicName = "أخبار/خبر عاجل.txt"
    static let persianName = "اخبار ایران.txt"

    /// A tree with plain files, an exact duplicate pair, Arabic and Persian names, a file in
    /// error, a symlink and a name that is not UTF-8.
    static func populatedFixture(_ label: String) throws -> DaemonFixture {
        let fixture = try DaemonFixture(label)
        try fixture.write("a.txt", "first article\n")
        try fixture.write("b.txt", "second article\n")
        try fixture.write("copies/a-again.txt", "first article\n")
        try fixture.write(arabicName, "خبر\n")
        try fixture.write(persianName, "خبر فارسی\n")
        try fixture.scratch.write("tree/bad.txt", bytes: [0x62, 0x61, 0x64, 0xFF, 0x0A])
        symlink("a.txt", fixture.path("link.txt"))
        // A name with an invalid UTF-8 byte.
        let rawName = Array("tree/latin1-".utf8) + [0xE9] + Array(".txt".utf8)
        let full = Array(fixture.scratch.path.utf8) + [UInt8(ascii: "/")] + rawName + [0]
        let fd = full.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        }
        if fd >= 0 {
            _ = write(fd, "latin\n", 6)
            close(fd)
        }
        try fixture.start()
        return fixture
    }

    @Test func statusAnswersInHumanAndJSONWithTheDocumentedKeys() throws {
        let fixture = try Self.populatedFixture("ctl-status")
        let human = try fixture.newsctl(["status"])
        #expect(human.status == 0, "\(human)")
        #expect(human.stdout.contains("state") && human.stdout.contains("watching"), "\(human)")
        #expect(human.stdout.contains("cursor"), "\(human)")

        let result = try fixture.newsctl(["status", "--json"])
        #expect(result.status == 0, "\(result)")
        let json = try result.json()
        for key in [
            "version", "protocol", "state", "root", "files", "contents", "duplicate_groups", "errors",
            "queue",
            "cursor", "last_seq", "warnings",
        ] {
            #expect(json[key] != nil, "status --json lacks \(key): \(result.stdout)")
        }
        #expect(json["protocol"] as? Int == ControlProtocol.version)
        #expect(json["state"] as? String == "watching")
        #expect(json["files"] as? Int == 7, "\(result.stdout)")
        #expect(json["duplicate_groups"] as? Int == 1)
        #expect(json["errors"] as? Int == 1)
        #expect((json["warnings"] as? [Any])?.isEmpty == true)
        let cursor = try #require(json["cursor"] as? String)
        #expect(ChangeCursor(cursor)?.seq == Int64(json["last_seq"] as? Int ?? -1))

        // The global options may also come before the subcommand.
        let before = try run(
            Binaries.newsctl, ["--socket", fixture.socket, "--json", "status"], in: fixture.scratch)
        #expect(before.status == 0, "\(before)")
        #expect(try before.json()["state"] as? String == "watching")
    }

    @Test func lsListsEveryEntryAsJSONLinesAndAsAnAlignedTable() throws {
        let fixture = try Self.populatedFixture("ctl-ls")
        let result = try fixture.newsctl(["ls", "--json"])
        #expect(result.status == 0, "\(result)")
        let lines = try result.jsonLines()
        #expect(lines.count == 8, "\(result.stdout)")
        var byPath: [String: [String: Any]] = [:]
        for line in lines {
            for key in ["path", "size", "sha256", "state", "group"] {
                #expect(line.keys.contains(key), "ls --json line lacks \(key): \(line)")
            }
            byPath[line["path"] as? String ?? ""] = line
        }
        let a = try #require(byPath["a.txt"])
        let again = try #require(byPath["copies/a-again.txt"])
        let sha = try #require(a["sha256"] as? String)
        #expect(a["group"] as? String == String(sha.prefix(16)))
        #expect(again["group"] as? String == a["group"] as? String)
        #expect(byPath["b.txt"]?["group"] is NSNull)
        #expect(byPath["bad.txt"]?["state"] as? String == "error")
        #expect((byPath["bad.txt"]?["reason"] as? String)?.contains("UTF-8") == true)
        #expect(byPath["link.txt"]?["state"] as? String == "skipped")
        #expect(byPath[Self.arabicName]?["state"] as? String == "ok")
        #expect(a["reason"] == nil)
        // The name that is not UTF-8: a lossy path and the exact bytes in path_b64.
        let latin = try #require(lines.first { $0["path_b64"] != nil })
        let bytes = try #require(Data(base64Encoded: latin["path_b64"] as? String ?? ""))
        #expect(Array(bytes) == Array("latin1-".utf8) + [0xE9] + Array(".txt".utf8))

        let filtered = try fixture.newsctl(["ls", "--json", "--state", "error"])
        #expect(try filtered.jsonLines().map { $0["path"] as? String } == ["bad.txt"])
        let prefixed = try fixture.newsctl(["ls", "--json", "copies/"])
        #expect(try prefixed.jsonLines().map { $0["path"] as? String } == ["copies/a-again.txt"])

        let table = try fixture.newsctl(["ls"])
        #expect(table.status == 0, "\(table)")
        let rows = table.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 9, "\(table.stdout)")
        // Right-to-left names are isolated, and every row's SIZE column ends at the same column.
        let arabicRow = try #require(rows.first { $0.contains("خبر عاجل") })
        #expect(arabicRow.contains("\u{2068}") && arabicRow.contains("\u{2069}"), "\(arabicRow)")
        let persianRow = try #require(rows.first { $0.contains("ایران") })
        #expect(persianRow.hasPrefix("\u{2068}"), "\(persianRow)")
        let sizeEnds = rows.map { row -> Int in
            // Display columns up to the end of the size cell (the path is followed by spaces,
            // then the size, which ends with "B" or "KiB").
            let scalars = Array(row.unicodeScalars)
            var column = 0
            var end = 0
            var seenGap = false
            var index = 0
            while index < scalars.count {
                let scalar = scalars[index]
                let category = scalar.properties.generalCategory
                if category != .nonspacingMark && category != .format { column += 1 }
                if scalar == " ", index + 1 < scalars.count, scalars[index + 1] == " " { seenGap = true }
                if seenGap, scalar == "B" || scalar == "E" {  // "B" of a size, "E" of the SIZE header
                    end = column
                    break
                }
                index += 1
            }
            return end
        }
        #expect(Set(sizeEnds).count == 1, "columns are not aligned:\n\(table.stdout)\n\(sizeEnds)")
        #expect(!table.stdout.contains("\u{1B}["), "colour with NO_COLOR set")
    }

    @Test func showDupsAndErrorsAnswerInHumanAndJSON() throws {
        let fixture = try Self.populatedFixture("ctl-show")
        let show = try fixture.newsctl(["show", "--json", "a.txt"])
        #expect(show.status == 0, "\(show)")
        let detail = try show.json()
        #expect(detail["path"] as? String == "a.txt")
        #expect(detail["copies"] as? Int == 2)
        let duplicates = try #require(detail["duplicates"] as? [[String: Any]])
        #expect(duplicates.map { $0["path"] as? String } == ["copies/a-again.txt"])
        let absolute = try fixture.newsctl(["show", fixture.path("a.txt")])
        #expect(absolute.status == 0, "\(absolute)")
        #expect(absolute.stdout.contains("copies/a-again.txt"), "\(absolute)")
        let missing = try fixture.newsctl(["show", "nope.txt"])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("not_found"), "\(missing)")

        let dups = try fixture.newsctl(["dups", "--json"])
        #expect(dups.status == 0, "\(dups)")
        let groups = try dups.jsonLines()
        #expect(groups.count == 1)
        #expect((groups.first?["files"] as? [[String: Any]])?.count == 2)
        for key in ["group", "sha256", "size", "files"] { #expect(groups.first?[key] != nil) }
        let dupsHuman = try fixture.newsctl(["dups"])
        #expect(dupsHuman.stdout.contains("a.txt") && dupsHuman.stdout.contains("copies/a-again.txt"))

        let errors = try fixture.newsctl(["errors", "--json"])
        #expect(errors.status == 0, "\(errors)")
        let errorLines = try errors.jsonLines()
        #expect(errorLines.map { $0["path"] as? String } == ["bad.txt"])
        #expect((errorLines.first?["reason"] as? String)?.isEmpty == false)
        let errorsHuman = try fixture.newsctl(["errors"])
        #expect(
            errorsHuman.stdout.contains("bad.txt") && errorsHuman.stdout.contains("UTF-8"), "\(errorsHuman)")
    }

    @Test func changesSyncRescanPauseAndResumeAnswerInHumanAndJSON() throws {
        let fixture = try Self.populatedFixture("ctl-engine")
        let all = try fixture.newsctl(["changes", "--json"])
        #expect(all.status == 0, "\(all)")
        let page = try all.json()
        for key in ["changes", "cursor", "fresh_instance"] {
            #expect(page[key] != nil, "changes lacks \(key)")
        }
        #expect(page["fresh_instance"] as? Bool == false)
        let entries = try #require(page["changes"] as? [[String: Any]])
        #expect(entries.count == 8, "\(all.stdout)")
        for key in ["seq", "op", "path", "sha256"] { #expect(entries.first?[key] != nil) }
        let cursor = try #require(page["cursor"] as? String)

        try fixture.write("c.txt", "third\n")
        rename(fixture.path("b.txt"), fixture.path("b2.txt"))
        let sync = try fixture.newsctl(["sync", "--json"])
        #expect(sync.status == 0, "\(sync)")
        #expect(try sync.json()["cursor"] as? String != nil)
        let since = try fixture.newsctl(["changes", "--since", cursor, "--json"])
        let next = try #require(try since.json()["changes"] as? [[String: Any]])
        let ops = Set(next.map { "\($0["op"] ?? "") \($0["path"] ?? "")" })
        #expect(ops == ["add c.txt", "rename b2.txt"], "\(since.stdout)")
        #expect(next.first { $0["op"] as? String == "rename" }?["from"] as? String == "b.txt")
        let human = try fixture.newsctl(["changes", "--since", cursor])
        #expect(human.stdout.contains("rename") && human.stdout.contains("cursor"), "\(human)")

        let rescan = try fixture.newsctl(["rescan", "--wait", "--json"])
        #expect(rescan.status == 0, "\(rescan)")
        let final = try #require(try rescan.jsonLines().last)
        #expect(final["done"] as? Bool == true)
        #expect(final["cursor"] != nil)
        let rescanHuman = try fixture.newsctl(["rescan", "--wait"])
        #expect(rescanHuman.stdout.contains("rescan done"), "\(rescanHuman)")
        let queued = try fixture.newsctl(["rescan"])
        #expect(queued.status == 0 && queued.stdout.contains("started"), "\(queued)")

        let pause = try fixture.newsctl(["pause", "--json"])
        #expect(try pause.json()["state"] as? String == "paused", "\(pause)")
        #expect(try fixture.status().state == "paused")
        let refused = try fixture.newsctl(["sync"])
        #expect(refused.status == 1 && refused.stderr.contains("paused"), "\(refused)")
        try fixture.write("while-paused.txt", "written while paused\n")
        let resume = try fixture.newsctl(["resume"])
        #expect(resume.status == 0 && resume.stdout.contains("resumed"), "\(resume)")
        // Resume reconciled what happened meanwhile before answering.
        let show = try fixture.newsctl(["show", "while-paused.txt"])
        #expect(show.status == 0, "\(show)")
    }

    @Test func exitStatusesSayWhatWentWrong() throws {
        let scratch = try Scratch("ctl-exit")
        let unreachable = try run(
            Binaries.newsctl, ["status", "--socket", scratch.url("none.sock")], in: scratch)
        #expect(unreachable.status == 3, "\(unreachable)")
        #expect(unreachable.stderr.contains("newsd run"), "\(unreachable)")
        let usage = try run(Binaries.newsctl, ["ls", "--state", "bogus"], in: scratch)
        #expect(usage.status == 2, "\(usage)")
        let unknown = try run(Binaries.newsctl, ["frobnicate"], in: scratch)
        #expect(unknown.status == 2, "\(unknown)")
        let help = try run(Binaries.newsctl, ["--help"], in: scratch)
        #expect(help.status == 0 && help.stdout.contains("Exit status"), "\(help)")
    }
}
