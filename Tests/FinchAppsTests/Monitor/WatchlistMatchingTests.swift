import FinchApps
import Foundation
import Testing

@Suite struct WatchlistMatchingTests {
    static let watchlist = Watchlist([
        WatchlistEntity(name: "Apple", aliases: ["AAPL", "Apple Inc.", "苹果"]),
        WatchlistEntity(name: "Tencent", aliases: ["腾讯", "0700.HK"]),
        WatchlistEntity(name: "Meta", aliases: ["Facebook"]),
    ])

    func entities(_ text: String) -> [String] { WatchlistMatcher(Self.watchlist).mentions(in: text).map(\.entity) }

    @Test func aliasesAndCaseMatch() {
        #expect(entities("AAPL fell; apple said nothing, APPLE INC. too") == ["Apple", "Apple", "Apple"])
        #expect(entities("facebook and META") == ["Meta", "Meta"])
        // Punctuation is a boundary.
        #expect(entities("($AAPL) up") == ["Apple"])
        #expect(entities("0700.HK rallied") == ["Tencent"])
    }

    @Test func latinAliasesNeedWordBoundaries() {
        #expect(entities("Pineapple juice") == [])
        #expect(entities("Apples and applet") == [])
        #expect(entities("metadata") == [])
        #expect(entities("AAPL2") == [])
        // A CJK neighbour is a boundary for a Latin alias.
        #expect(entities("我买了Apple的股票") == ["Apple"])
    }

    @Test func chineseMatchesOnCharacterBoundaries() {
        #expect(entities("我喜欢苹果手机") == ["Apple"])
        #expect(entities("腾讯控股今日上涨，苹果下跌") == ["Tencent", "Apple"])
    }

    @Test func offsetsAreUnicodeScalarsOfTheOriginalText() {
        let text = "Ünïcode: 苹果 and Apple Inc. rose"
        let found = WatchlistMatcher(Self.watchlist).mentions(in: text)
        #expect(found.map(\.text) == ["苹果", "Apple Inc."])
        let scalars = Array(text.unicodeScalars)
        for m in found {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[m.start..<m.end])
            #expect(String(view) == m.text)
        }
        // "Apple Inc." is longer than "Apple" and starts at the same place: it wins.
        #expect(found[1].end - found[1].start == 10)
    }

    @Test func taggedSpansNormalizeToWatchlistEntities() {
        let matcher = WatchlistMatcher(Self.watchlist)
        #expect(matcher.entity(forTagged: "apple inc.") == "Apple")
        #expect(matcher.entity(forTagged: " Facebook ") == "Meta")
        #expect(matcher.entity(forTagged: "Apple Computer") == "Apple")
        #expect(matcher.entity(forTagged: "Pineapple Corp") == nil)
    }

    @Test func watchlistJSONIsAnObjectOfAliases() throws {
        let data = Data(#"{"Tencent": ["腾讯"], "Apple": ["AAPL"]}"#.utf8)
        let list = try JSONDecoder().decode(Watchlist.self, from: data)
        #expect(list.entities.map(\.name) == ["Apple", "Tencent"])
        #expect(list.entities[1].allAliases == ["Tencent", "腾讯"])
        let again = try JSONDecoder().decode(Watchlist.self, from: JSONEncoder().encode(list))
        #expect(again == list)
        #expect(throws: MonitorError.invalidConfig(field: "watchlist.Apple", reason: "an alias is empty")) {
            try Watchlist([WatchlistEntity(name: "Apple", aliases: [" "])]).validate()
        }
    }
}
