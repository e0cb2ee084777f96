import ControlWire
import Foundation
import Testing

@Suite struct ControlWireTests {
    @Test func cursorsParseAndPrint() {
        #expect(ChangeCursor("0123abcd:42") == ChangeCursor(epoch: "0123abcd", seq: 42))
        #expect(ChangeCursor(epoch: "e", seq: 7).description == "e:7")
        for bad in ["", ":1", "abc", "abc:", "abc:-1", "abc:x", "abc:99999999999999999999"] {
            #expect(ChangeCursor(bad) == nil, "\(bad)")
        }
    }

    @Test func pathsThatAreNotUTF8TravelAsBase64() throws {
        let bytes: [UInt8] = Array("caf".utf8) + [0xE9]
        let record = FileRecord(
            path: WirePath(bytes: bytes), kind: "file", size: 1, sha256: nil, state: "ok", reason: nil,
            group: nil)
        let json = try #require(String(bytes: ControlCoding.line(record), encoding: .utf8))
        #expect(json.contains("\"path_b64\":\"Y2Fm6Q==\""), "\(json)")
        #expect(json.contains("\"group\":null") && json.contains("\"sha256\":null"), "\(json)")
        #expect(!json.contains("reason"))
        let decoded = try ControlCoding.decode(FileRecord.self, from: Array(json.utf8).dropLast())
        #expect(decoded.path.bytes == bytes)
        let plain = FileRecord(
            path: WirePath("خبر.txt"), kind: "file", size: 1, sha256: "ab", state: "ok", reason: nil,
            group: nil)
        #expect(!String(decoding: ControlCoding.line(plain), as: UTF8.self).contains("path_b64"))
    }

    @Test func hexRoundTrips() {
        let bytes: [UInt8] = [0, 1, 0xAB, 0xFF]
        #expect(Hex.encode(bytes) == "0001abff")
        #expect(Hex.decode("0001ABff") == bytes)
        #expect(Hex.decode("abc") == nil && Hex.decode("zz") == nil)
    }

    @Test func requestsEncodeTheirEnvelopeAndRepliesDecodeIt() throws {
        let request = ControlRequest(id: .string("x"), method: "list", params: ListParams(limit: 5))
        let line = String(decoding: ControlCoding.line(request), as: UTF8.self)
        #expect(line == #"{"id":"x","method":"list","params":{"limit":5},"protocol":1}"# + "\n")
        let head = try ControlCoding.decode(ControlRequestHead.self, from: Array(line.utf8))
        #expect(head.id == .string("x") && head.method == "list" && head.protocolVersion == 1)
        let params = try ControlCoding.decode(ControlParamsEnvelope<ListParams>.self, from: Array(line.utf8))
        #expect(params.params?.limit == 5)
        let none = try ControlCoding.decode(
            ControlParamsEnvelope<ListParams>.self, from: Array(#"{"method":"list","params":null}"#.utf8))
        #expect(none.params == nil)
        let error = String(
            decoding: ControlCoding.line(ControlErrorReply(id: nil, error: ControlError(.notFound, "gone"))),
            as: UTF8.self)
        #expect(error == #"{"error":{"code":"not_found","message":"gone"},"id":null}"# + "\n")
    }
}
