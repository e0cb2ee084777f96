import ControlWire
import Testing

/// The request-line check: RFC 8259 JSON in UTF-8, nothing Foundation's decoder merely tolerates.
@Suite struct StrictJSONTests {
    @Test func acceptsJSONAndOnlyJSON() {
        let valid = [
            #"{"id":1,"method":"status"}"#, #" {"a":[1,-2.5e+3,0,true,false,null,"\u00e9\n\/"],"b":{}} "#,
            "[]",
            #""x""#, "1e999999", #"{"k":"ی ک"}"#,
            String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        ]
        for line in valid { #expect(StrictJSON.violation(in: Array(line.utf8)) == nil, "\(line)") }
        let invalid = [
            #"{"id":27,"method":"status",}"#, "[1,]", #"{"a":01}"#, "{} {}", "{'a':1}", #"{"a":1"#, "tru",
            #"{"a":"\x"}"#, "\"tab\there\"", "-", "1.", "{a:1}", "", String(repeating: "[", count: 100_000),
        ]
        for line in invalid { #expect(StrictJSON.violation(in: Array(line.utf8)) != nil, "\(line)") }
        #expect(StrictJSON.violation(in: Array(#"{"x":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)) != nil)
    }
}
