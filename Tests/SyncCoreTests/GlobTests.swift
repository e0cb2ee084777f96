import Testing

@testable import Catalogue
@testable import SyncCore

@Suite struct GlobTests {
    @Test(arguments: [
        ("*.txt", "a.txt", true),
        ("*.txt", "a.txt.bak", false),
        ("*.txt", "dir/a.txt", false),
        ("?.md", "a.md", true),
        ("?.md", "ab.md", false),
        ("**/*.txt", "a.txt", true),
        ("**/*.txt", "x/y/a.txt", true),
        ("**/b", "xb", false),
        ("**/b", "x/b", true),
        ("drafts/**", "drafts/a/b.txt", true),
        ("drafts/**", "other/a.txt", false),
        ("[ab]*.txt", "b1.txt", true),
        ("[!ab]*.txt", "b1.txt", false),
        ("[a-c]x", "cx", true),
        ("[a-c]x", "dx", false),
        ("\\*lit", "*lit", true),
        ("\\*lit", "xlit", false),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXbYY", false),
    ])
    func matches(pattern: String, subject: String, expected: Bool) {
        #expect(Glob(pattern).matches(Array(subject.utf8)) == expected, "\(pattern) vs \(subject)")
    }

    @Test func matchesBytesThatAreNotUTF8() {
        #expect(Glob("bad*").matches([0x62, 0x61, 0x64, 0xFF, 0xFE]))
    }
}
