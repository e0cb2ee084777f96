import ControlWire
import Foundation
import Glibc
import SyncCore
import TestSupport
import Testing

/// Bad input, limits and slow clients: nothing a client does can crash, hang or stall the daemon.
@Suite struct ControlRobustnessTests {
    /// Sends `line` and returns the error code of the reply.
    static func errorCode(_ client: ControlClient, _ line: String) throws -> (RequestID?, String?) {
        try errorCode(client, bytes: Array(line.utf8))
    }

    static func errorCode(_ client: ControlClient, bytes: [UInt8]) throws -> (RequestID?, String?) {
        try client.send(bytes + [UInt8(ascii: "\n")])
        let reply = try #require(try client.readLine())
        let head = try ControlCoding.decode(ControlReplyHead.self, from: reply)
        return (head.id, head.error?.code.rawValue)
    }

    @Test func malformedUnknownAndBadRequestsGetStableErrorCodes() throws {
        let fixture = try DaemonFixture("ctl-bad")
        try fixture.start()
        let client = try fixture.client()
        let cases: [(String, RequestID?, String)] = [
            ("{not json", nil, "parse_error"),
            ("\u{FF}", nil, "parse_error"),
            ("[1, 2]", nil, "bad_request"),
            (#"{"id": 1}"#, .number(1), "bad_request"),
            (#"{"id": 2, "method": 5}"#, .number(2), "bad_request"),
            (#"{"id": 3, "method": "frobnicate"}"#, .number(3), "unknown_method"),
            (#"{"id": "four", "method": "list", "params": {"limit": "ten"}}"#, .string("four"), "bad_params"),
            (#"{"id": 5, "method": "list", "params": {"limit": 0}}"#, .number(5), "bad_params"),
            (#"{"id": 6, "method": "list", "params": {"state": "weird"}}"#, .number(6), "bad_params"),
            (#"{"id": 7, "method": "changes", "params": {"since": "no-colon"}}"#, .number(7), "bad_params"),
            (#"{"id": 8, "method": "show", "params": {}}"#, .number(8), "bad_params"),
            (#"{"id": 9, "method": "show", "params": {"path": "missing.txt"}}"#, .number(9), "not_found"),
            (#"{"id": 10, "method": "status", "protocol": 99}"#, .number(10), "protocol_mismatch"),
            (#"{"id": 11, "method": "list", "params": {"language": 5}}"#, .number(11), "bad_params"),
            (#"{"id": 12, "method": "follow", "params": {"max_lag": -1}}"#, .number(12), "bad_params"),
            // Not JSON, though Foundation's decoder takes them: a trailing comma, a bare leading
            // zero, a second value. Params that are not an object, for any method.
            (#"{"id":27,"method":"status",}"#, .number(27), "parse_error"),
            (#"{"id":28,"method":"status","params":{"limit":01}}"#, .number(28), "parse_error"),
            (#"{"id":29,"method":"status"} {}"#, nil, "parse_error"),
            (#"{"id":20,"method":"status","params":"x"}"#, .number(20), "bad_params"),
            (#"{"id":21,"method":"list","params":[1]}"#, .number(21), "bad_params"),
            (#"{"id":22,"method":"status","params":null}"#, .number(22), ""),
        ]
        for (line, id, code) in cases {
            let (gotID, gotCode) = try Self.errorCode(client, line)
            #expect((gotCode ?? "") == code, "\(line) → \(String(describing: gotCode))")
            #expect(gotID == id, "\(line) → id \(String(describing: gotID))")
        }
        // Bytes that are not UTF-8 inside a string no method reads.
        let invalid =
            Array(#"{"id":1,"method":"status","params":{"x":""#.utf8) + [0xFF, 0xFE] + Array(#""}}"#.utf8)
        let (invalidID, invalidCode) = try Self.errorCode(client, bytes: invalid)
        #expect(invalidCode == "parse_error")
        #expect(invalidID == .number(1))
        // The connection survives all of that.
        #expect(try client.call("status", NoParams(), as: StatusResult.self).state == "watching")

        // An oversized line is refused and the connection closed.
        let big = try fixture.client()
        try? big.send(Array(repeating: UInt8(ascii: "x"), count: ControlProtocol.maxRequestBytes + 2))
        let reply = try #require(try big.readLine())
        #expect(try ControlCoding.decode(ControlReplyHead.self, from: reply).error?.code == .requestTooLarge)
        #expect(try big.readLine() == nil)
        #expect(try fixture.status().state == "watching")
    }

    @Test func sixtyFourClientsAreServedAndTheSixtyFifthIsPolitelyRefused() throws {
        let fixture = try DaemonFixture("ctl-clients")
        try fixture.start()
        var clients: [ControlClient] = []
        for _ in 0..<64 {
            let client = try fixture.client()
            _ = try client.call("status", NoParams(), as: StatusResult.self)
            clients.append(client)
        }
        #expect(try clients[0].call("status", NoParams(), as: StatusResult.self).clients == 64)
        let extra = try fixture.newsctl(["status"])
        #expect(extra.status == 1, "\(extra)")
        #expect(extra.stderr.contains("too_many_clients"), "\(extra)")
        // Every one of the 64 is still served.
        for client in clients { _ = try client.call("status", NoParams(), as: StatusResult.self) }
        clients.removeLast()
        #expect(waitUntil(timeout: 10) { (try? fixture.newsctl(["status"]).status) == 0 })
    }

    @Test func aFollowerThatStopsReadingStallsNeitherIngestionNorOtherClients() throws {
        let fixture = try DaemonFixture("ctl-slow")
        try fixture.start()
        let cursor = try fixture.status().cursor
        let patient = try fixture.client()
        try patient.send(
            ControlCoding.line(
                ControlRequest(id: .number(1), method: "follow", params: FollowParams(since: cursor))))
        let lagging = try fixture.client()
        try lagging.send(
            ControlCoding.line(
                ControlRequest(
                    id: .number(1), method: "follow", params: FollowParams(since: cursor, maxLag: 200))))
        // Neither reads while thousands of files arrive.
        let count = 3_000
        for index in 0..<count {
            try fixture.write("d\(index % 10)/article-\(index)-with-a-longer-name.txt", "article \(index)\n")
        }
        var slowest = 0.0
        let ingested = waitUntil(timeout: 60) {
            let started = Date()
            let files = (try? fixture.status().files) ?? 0
            slowest = max(slowest, Date().timeIntervalSince(started))
            return files == count
        }
        #expect(ingested, "ingestion stalled behind the non-reading followers")
        #expect(slowest < 2, "a status round trip took \(slowest) s while followers lagged")
        let last = try fixture.sync().lastSeq

        // Reading again, the patient follower catches up (or is told to resync).
        var seenLast = false
        var resync = false
        while !seenLast && !resync, let line = try patient.readLine() {
            let head = try ControlCoding.decode(ControlReplyHead.self, from: line)
            if head.error?.code == .resyncRequired { resync = true }
            if head.method == ControlNotificationMethod.change {
                let change = try ControlCoding.decode(
                    ControlNotificationEnvelope<ChangeRecord>.self, from: line)
                seenLast = change.params.seq == last
            }
        }
        #expect(seenLast || resync)
        // The one with a small bound is told to resync, with the cursor it reached.
        var lagError: ControlError?
        while lagError == nil, let line = try lagging.readLine() {
            lagError = try ControlCoding.decode(ControlReplyHead.self, from: line).error
        }
        #expect(lagError?.code == .resyncRequired, "\(String(describing: lagError))")
        #expect(lagError?.cursor.flatMap(ChangeCursor.init) != nil)
        fixture.waitForConvergence()
    }

    @Test func fuzzedBytesAndJSONNeitherCrashNorHangTheDaemon() throws {
        let fixture = try DaemonFixture("ctl-fuzz")
        try fixture.write("a.txt", "a\n")
        try fixture.start(["--max-clients", "16"])
        let (rng, seed) = TestSeed.generator("fuzzedBytesAndJSONNeitherCrashNorHangTheDaemon")
        var fuzzer = Fuzzer(rng: rng)
        let deadline = Date().addingTimeInterval(8)
        var connections: [Int32] = []
        var sent = 0
        while Date() < deadline {
            if connections.count < 8 || fuzzer.next(10) == 0 {
                if connections.count >= 8 { close(connections.removeFirst()) }
                if let fd = Fuzzer.connect(fixture.socket) { connections.append(fd) }
            }
            guard !connections.isEmpty else { continue }
            let fd = connections[Int(fuzzer.next(UInt64(connections.count)))]
            let payload = fuzzer.payload()
            let written = payload.withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if written < 0, errno != EAGAIN {
                close(fd)
                connections.removeAll { $0 == fd }
            }
            sent += 1
            // Drain replies so the daemon is not simply blocked on every connection.
            var sink = [UInt8](repeating: 0, count: 65_536)
            for other in connections {
                while sink.withUnsafeMutableBytes({
                    recv(other, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
                }) > 0 {}
            }
        }
        for fd in connections { close(fd) }
        #expect(fixture.daemon?.process.isRunning == true, "newsd died (fuzz seed \(seed))")
        _ = try? fixture.newsctl(["resume"])
        let answered = waitUntil(timeout: 20) { (try? fixture.newsctl(["status", "--json"]).status) == 0 }
        #expect(answered, "newsd stopped answering after \(sent) fuzzed sends (seed \(seed))")
        #expect(try fixture.newsctl(["sync"]).status == 0)
        fixture.waitForConvergence()
    }
}

/// Random request lines: raw bytes, broken JSON, and well-formed JSON with random methods and
/// params of every type.
struct Fuzzer {
    var rng: SplitMix64

    mutating func next(_ bound: UInt64) -> UInt64 { bound == 0 ? 0 : rng.next() % bound }

    mutating func payload() -> [UInt8] {
        switch next(6) {
        case 0:
            return (0..<Int(next(300))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        case 1:
            var json = Array(requestJSON().utf8)
            if !json.isEmpty { json.removeLast(Int(next(UInt64(json.count)))) }
            return json + [UInt8(ascii: "\n")]
        case 2:
            let depth = Int(next(2_000)) + 1
            return Array(
                (String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n").utf8)
        default:
            return Array((requestJSON() + "\n").utf8)
        }
    }

    mutating func requestJSON() -> String {
        let methods =
            ControlMethod.allCases.map(\.rawValue).filter { $0 != "pause" } + ["", "nope", "STATUS"]
        var fields: [String] = []
        if next(4) != 0 { fields.append("\"id\": \(value(depth: 0))") }
        if next(8) != 0 {
            let method = methods[Int(next(UInt64(methods.count)))]
            fields.append(next(10) == 0 ? "\"method\": \(value(depth: 0))" : "\"method\": \"\(method)\"")
        }
        if next(3) != 0 { fields.append("\"params\": \(params())") }
        if next(10) == 0 { fields.append("\"protocol\": \(value(depth: 0))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    mutating func params() -> String {
        let keys = [
            "limit", "since", "path", "path_b64", "prefix", "prefix_b64", "after", "state", "max_lag", "wait",
            "language",
        ]
        var fields: [String] = []
        for _ in 0..<Int(next(4)) {
            let key = keys[Int(next(UInt64(keys.count)))]
            fields.append("\"\(key)\": \(value(depth: 1))")
        }
        return next(8) == 0 ? value(depth: 0) : "{" + fields.joined(separator: ", ") + "}"
    }

    mutating func value(depth: Int) -> String {
        let strings = [
            "", "a.txt", "../../etc/passwd", "/", "abc:-1", "x:99999999999999999999", "deadbeef:1", "ok",
            "error",
            "\\u0000", "\\ud800", "\u{2068}خبر", "AAAA", "%%%", String(repeating: "z", count: 2_000),
        ]
        switch next(depth > 2 ? 6 : 9) {
        case 0: return "\(Int64(bitPattern: rng.next()))"
        case 1:
            return ["0", "-1", "1", "10000", "10001", "9223372036854775807", "1e400", "-0.5"][Int(next(8))]
        case 2: return "\"\(strings[Int(next(UInt64(strings.count)))])\""
        case 3: return ["true", "false", "null"][Int(next(3))]
        case 4:
            return
                "\"\(Data((0..<8).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).base64EncodedString())\""
        case 5: return "\(Double(rng.next() % 1000) / 7)"
        case 6:
            return "[" + (0..<Int(next(4))).map { _ in value(depth: depth + 1) }.joined(separator: ",") + "]"
        default: return "{\"k\": \(value(depth: depth + 1))}"
        }
    }

    /// A non-blocking connection, or `nil` (for example while the daemon refuses new clients).
    static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in Array(path.utf8).prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
