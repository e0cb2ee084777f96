import NewsCore
import Testing

@testable import Catalogue
@testable import SyncCore

@Suite struct IgnoreRulesTests {
    @Test(arguments: [
        "a/.hidden", ".git", "a/b~", "a/.b.swp", "a/.#lock", "x.tmp", "download.part",
    ])
    func builtInRulesIgnoreTemporariesAndHiddenEntries(path: String) {
        #expect(IgnoreRules().isIgnored(RelativePath(path), isDirectory: false))
    }

    @Test(arguments: ["a.txt", "dir/b.md", "tmp/c.txt", "part.txt"])
    func articlesAreNotIgnored(path: String) {
        #expect(!IgnoreRules().isIgnored(RelativePath(path), isDirectory: false))
    }

    @Test func userPatternsMatchNamesPathsAndDirectories() {
        let rules = IgnoreRules(
            patterns: """
                # comments and blank lines are skipped

                *.html
                /drafts
                archive/**/old-*
                cache/
                """)
        #expect(rules.patternCount == 4)
        #expect(rules.isIgnored(RelativePath("x/y/page.html"), isDirectory: false))
        #expect(rules.isIgnored(RelativePath("drafts"), isDirectory: true))
        #expect(!rules.isIgnored(RelativePath("x/drafts"), isDirectory: true))
        #expect(rules.isIgnored(RelativePath("archive/2024/old-1.txt"), isDirectory: false))
        #expect(!rules.isIgnored(RelativePath("archive/2024/new-1.txt"), isDirectory: false))
        #expect(rules.isIgnored(RelativePath("a/cache"), isDirectory: true))
        #expect(!rules.isIgnored(RelativePath("a/cache"), isDirectory: false))
    }

    @Test func aStateDirectoryInsideTheTreeIsExcluded() {
        let settings = Settings(
            tree: Tree(root: "/srv/news"), stateDirectory: "/srv/news/state", ignore: IgnoreRules())
        #expect(settings.ignore.isIgnored(RelativePath("state"), isDirectory: true))
        #expect(settings.ignore.isIgnored(RelativePath("state/catalog.sqlite"), isDirectory: false))
        #expect(!settings.ignore.isIgnored(RelativePath("statement.txt"), isDirectory: false))
    }
}
