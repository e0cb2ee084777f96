import Dispatch
import Foundation
import Glibc
import TestSupport
import Testing

@testable import Daemon

@Suite struct SystemdNotifierTests {
    @Test func sendsExactPayloadsToAFilesystemSocket() throws {
        let scratch = try Scratch("notify")
        let listener = try NotifyListener(path: scratch.url("notify.sock"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.isEnabled)

        #expect(notifier.ready(status: "watching 5 files"))
        #expect(listener.receive() == "READY=1\nSTATUS=watching 5 files")
        #expect(notifier.status("scanning"))
        #expect(listener.receive() == "STATUS=scanning")
        #expect(notifier.reloading())
        #expect(listener.receive() == "RELOADING=1")
        #expect(notifier.stopping())
        #expect(listener.receive() == "STOPPING=1")
        #expect(notifier.watchdog())
        #expect(listener.receive() == "WATCHDOG=1")
        #expect(notifier.extendTimeout(by: .seconds(90)))
        #expect(listener.receive() == "EXTEND_TIMEOUT_USEC=90000000")
        #expect(notifier.notify("STATUS=a\nERRNO=2"))
        #expect(listener.receive() == "STATUS=a\nERRNO=2")
    }

    @Test func sendsToAnAbstractSocket() throws {
        let name = "newsd-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try NotifyListener(abstractName: name)
        #expect(listener.address == "@" + name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.isEnabled)
        #expect(notifier.ready(status: "ready"))
        #expect(listener.receive() == "READY=1\nSTATUS=ready")
        #expect(notifier.stopping())
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test func aStatusStaysOnOneLine() throws {
        let scratch = try Scratch("notify")
        let listener = try NotifyListener(path: scratch.url("n.sock"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        // A newline would otherwise smuggle in a second assignment.
        notifier.status("two\nREADY=1")
        #expect(listener.receive() == "STATUS=two READY=1")
    }

    @Test func isSafeToCallFromManyThreadsAtOnce() throws {
        let scratch = try Scratch("notify")
        let listener = try NotifyListener(path: scratch.url("n.sock"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        let count = 200
        // Send from many threads while this one reads: the datagram queue holds only
        // `net.unix.max_dgram_qlen` messages, so the senders wait for the reader.
        let senders = DispatchGroup()
        DispatchQueue.global().async(group: senders) {
            DispatchQueue.concurrentPerform(iterations: count) { index in
                notifier.status("message \(index)")
            }
        }
        var messages: [String] = []
        while messages.count < count, let message = listener.receive(timeout: 20) {
            messages.append(message)
        }
        senders.wait()
        #expect(Set(messages) == Set((0..<count).map { "STATUS=message \($0)" }))
    }

    @Test func isDisabledWithoutAUsableAddress() {
        for environment in [
            [:], ["NOTIFY_SOCKET": ""], ["NOTIFY_SOCKET": "relative/path"], ["NOTIFY_SOCKET": "@"],
            ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)], ["NOTIFY_SOCKET": "vsock:2:1234"],
        ] {
            let notifier = SystemdNotifier(environment: environment)
            #expect(!notifier.isEnabled, "\(environment)")
            #expect(!notifier.ready(status: "x"), "\(environment)")
            #expect(!notifier.watchdog(), "\(environment)")
        }
    }

    @Test func aMissingSocketIsReportedNotFatal() throws {
        let scratch = try Scratch("notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": scratch.url("nobody-listens.sock")])
        #expect(notifier.isEnabled)
        #expect(!notifier.ready(status: "x"))
        #expect(!notifier.watchdog())
        #expect(!notifier.stopping())
        let abstract = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@newsd-nobody-\(getpid())"])
        #expect(!abstract.watchdog())
    }

    @Test func longestAddressesFitExactly() {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        // A path needs room for its terminating NUL; an abstract name does not.
        let longestPath = "/" + String(repeating: "p", count: capacity - 2)
        #expect(SystemdNotifier.socketAddress(longestPath)?.count == capacity)
        #expect(SystemdNotifier.socketAddress(longestPath + "p") == nil)
        let longestAbstract = "@" + String(repeating: "a", count: capacity - 1)
        #expect(SystemdNotifier.socketAddress(longestAbstract)?.count == capacity)
        #expect(SystemdNotifier.socketAddress(longestAbstract + "a") == nil)
        #expect(SystemdNotifier.socketAddress("@abc") == [0] + Array("abc".utf8))
    }

    @Test func watchdogIntervalIsHalfTheTimeoutForThisProcess() {
        let us = "30000000"
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": us]).watchdogInterval == .seconds(15))
        #expect(
            SystemdNotifier(environment: ["WATCHDOG_USEC": us, "WATCHDOG_PID": "\(getpid())"])
                .watchdogInterval
                == .seconds(15))
        #expect(
            SystemdNotifier(environment: ["WATCHDOG_USEC": us, "WATCHDOG_PID": "\(getpid() + 1)"])
                .watchdogInterval == nil)
        #expect(SystemdNotifier(environment: [:]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_PID": "\(getpid())"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "soon"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "3"]).watchdogInterval == .microseconds(1))
    }
}
