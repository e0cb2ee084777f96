import Foundation
import Glibc
import Logging
import TestSupport
import Testing

@testable import Daemon

@Suite struct LogLineFormatterTests {
    /// 2025-01-02T03:04:05.678Z
    let date = Date(timeIntervalSince1970: 1_735_787_045.678)

    @Test func journalLinesCarryThePriorityAndNoTimestamp() {
        let formatter = LogLineFormatter(style: .journal)
        let expected: [(Logger.Level, String)] = [
            (.trace, "<7>TRACE"), (.debug, "<7>DEBUG"), (.info, "<6>INFO"), (.notice, "<5>NOTICE"),
            (.warning, "<4>WARNING"), (.error, "<3>ERROR"), (.critical, "<2>CRITICAL"),
        ]
        for (level, prefix) in expected {
            #expect(formatter.format(level: level, message: "hello", date: date) == "\(prefix) hello")
        }
    }

    @Test func otherLinesStartWithAnISO8601Timestamp() {
        let formatter = LogLineFormatter(style: .timestamped)
        #expect(
            formatter.format(level: .warning, message: "watch limit reached", date: date)
                == "2025-01-02T03:04:05.678Z WARNING watch limit reached")
        #expect(LogLineFormatter.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(
            LogLineFormatter.timestamp(Date(timeIntervalSince1970: 951_782_400.999_4))
                == "2000-02-29T00:00:00.999Z")
        #expect(
            LogLineFormatter.timestamp(Date(timeIntervalSince1970: 951_868_799.999_6))
                == "2000-03-01T00:00:00.000Z")
        #expect(LogLineFormatter.timestamp(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
    }

    @Test func metadataIsSortedByKeyAndQuotedWhenNeeded() {
        let formatter = LogLineFormatter(style: .journal)
        let metadata: Logger.Metadata = [
            "root": "/srv/news",
            "files": .stringConvertible(5),
            "error": "No such file or directory",
            "a.b": "x",
            "empty": "",
            "quote": "say \"hi\"",
            "multi": "one\ntwo",
            "pair": "k=v",
            "list": .array(["1", "2"]),
        ]
        #expect(
            formatter.format(level: .info, message: "scan done", metadata: metadata)
                == #"<6>INFO scan done a.b=x empty="" error="No such file or directory" files=5 "#
                + #"list="[\"1\", \"2\"]" multi="one\ntwo" pair="k=v" quote="say \"hi\"" root=/srv/news"#)
    }

    @Test func aMessageStaysOnOneLine() {
        let formatter = LogLineFormatter(style: .journal)
        #expect(
            formatter.format(level: .error, message: "first\nsecond\r\nthird")
                == #"<3>ERROR first\nsecond\r\nthird"#)
    }

    @Test func syslogPrioritiesFollowRFC5424() {
        #expect(Logger.Level.allCases.map(LogLineFormatter.syslogPriority) == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test func journalStreamMustMatchTheDescriptor() throws {
        let scratch = try Scratch("journal")
        let path = try scratch.write("stream", "")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        var st = stat()
        try #require(fstat(fd, &st) == 0)
        let matching = "\(st.st_dev):\(st.st_ino)"
        #expect(JournalStream.isConnected(fileDescriptor: fd, environment: ["JOURNAL_STREAM": matching]))
        // Inherited by a child whose stderr went elsewhere: the variable alone is not enough.
        #expect(
            !JournalStream.isConnected(
                fileDescriptor: fd, environment: ["JOURNAL_STREAM": "\(st.st_dev):\(st.st_ino + 1)"]))
        #expect(!JournalStream.isConnected(fileDescriptor: fd, environment: [:]))
        #expect(!JournalStream.isConnected(fileDescriptor: fd, environment: ["JOURNAL_STREAM": "garbage"]))
        #expect(!JournalStream.isConnected(fileDescriptor: -1, environment: ["JOURNAL_STREAM": matching]))
        #expect(JournalStream.parse("8:12345").map { [$0.device, $0.inode] } == [8, 12_345])
        #expect(JournalStream.parse("8:") == nil)
        #expect(JournalStream.parse("8:1:2") == nil)
    }
}
