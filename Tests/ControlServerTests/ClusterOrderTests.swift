import Testing

@testable import ControlServer

/// The cached order of `clusters`: ids come back as they went in (leading zeros kept), pages
/// are cut within it, and an id that is not 16 lowercase hex digits keeps the order from being cached.
@Suite struct ClusterOrderTests {
    @Test func pagesGiveBackTheIdsInOrder() throws {
        let ids = ["ffffffffffffffff", "000e73af574217dc", "0000000000000001", "2b6de4e297226a73"]
        let order = try #require(ClusterOrder(seq: 7, at: 0, ids: ids))
        #expect(order.count == 4)
        #expect(order.page(offset: 0, limit: 10) == ids)
        #expect(order.page(offset: 1, limit: 2) == Array(ids[1...2]))
        #expect(order.page(offset: 4, limit: 2).isEmpty)
        #expect(order.page(offset: 9, limit: 2).isEmpty)
        #expect(ClusterOrder(seq: 7, at: 0, ids: []).map(\.count) == 0)
    }

    @Test func anIdThatIsNotSixteenHexDigitsIsRefused() {
        #expect(ClusterOrder(seq: 1, at: 0, ids: ["abc"]) == nil)
        #expect(ClusterOrder(seq: 1, at: 0, ids: ["000e73af574217dg"]) == nil)
        #expect(ClusterOrder(seq: 1, at: 0, ids: ["+00e73af574217dc"]) == nil)
        #expect(ClusterOrder(seq: 1, at: 0, ids: ["000E73AF574217DC"]) == nil)
    }
}
