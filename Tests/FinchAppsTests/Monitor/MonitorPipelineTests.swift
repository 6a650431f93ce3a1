import FinchApps
import FinchText
import Foundation
import Testing

@Suite struct MonitorPipelineTests {
    static let config = MonitorConfig(
        name: "markets", sentimentModel: "keyword-sentiment", polarity: ["NEG": .negative, "NEU": .neutral, "POS": .positive],
        tagger: "capitalized-tagger", entityTypes: ["ORG"], watchlist: WatchlistMatchingTests.watchlist)

    func documents(_ texts: [String]) -> [MonitorDocument] {
        texts.enumerated().map { MonitorDocument(id: "d\($0.offset)", text: $0.element, time: MonitorFixtures.hour(0)) }
    }

    @Test func scoresPolarityScoreAndEntitiesInOneBatch() async throws {
        let sentiment = KeywordSentiment()
        let pipeline = MonitorPipeline(config: Self.config, sentiment: sentiment, tagger: CapitalizedTagger())
        let scored = try await pipeline.score(
            documents(["Facebook faces a lawsuit in Paris", "great quarter for 苹果", "Nothing about Pineapple here"]))
        #expect(sentiment.calls == 1 && sentiment.textsSeen == 3)
        #expect(scored.map(\.polarity) == [.negative, .positive, .neutral])
        // 0.05·(+1) + 0.05·0 + 0.9·(−1)
        #expect(abs(scored[0].sentimentScore - -0.85) < 1e-12)
        #expect(abs(scored[1].sentimentScore - 0.85) < 1e-12)
        #expect(scored[0].confidence == 0.9)
        // Facebook is tagged ORG and normalized to Meta; Paris is a LOC and not counted.
        #expect(scored[0].entities == ["Meta"])
        #expect(scored[0].mentions.count == 1 && scored[0].mentions[0].origin == .tagger && scored[0].mentions[0].type == "ORG")
        #expect(scored[1].entities == ["Apple"] && scored[1].mentions[0].origin == .watchlist)
        // Capitalized words the watchlist does not know count under their own name.
        #expect(scored[2].entities == ["Nothing", "Pineapple"])
    }

    @Test func textsAreRedactedBeforeScoringAndStorage() async throws {
        let redaction = StoredTextRedaction(redactor: try PIIRedactor.standard())
        let pipeline = MonitorPipeline(config: Self.config, sentiment: KeywordSentiment(), redaction: redaction)
        let scored = try await pipeline.score(documents(["AAPL is bad, mail jane.doe@example.com"]))
        #expect(!scored[0].document.text.contains("jane.doe@example.com"))
        #expect(scored[0].entities == ["Apple"] && scored[0].polarity == .negative)
    }

    @Test func unmappedLabelIsAnErrorNamingIt() async throws {
        var config = Self.config
        config.polarity = [:]
        let pipeline = MonitorPipeline(config: config, sentiment: KeywordSentiment(labels: ("angry", "calm", "happy")))
        await #expect(throws: MonitorError.unmappedLabel(model: "keyword-sentiment", label: "angry")) {
            _ = try await pipeline.score(documents(["bad"]))
        }
        // Labels named like negative/neutral/positive need no map; a mapped label uses its map.
        config.polarity = ["angry": .negative, "calm": .neutral, "happy": .positive]
        let mapped = MonitorPipeline(config: config, sentiment: KeywordSentiment(labels: ("angry", "calm", "happy")))
        #expect(try await mapped.score(documents(["bad"]))[0].polarity == .negative)
        #expect(try config.polarity(of: "negative") == .negative && config.polarity(of: "Positive") == .positive)
    }
}

@Suite struct MonitorStreamReaderTests {
    @Test func timesParseWithAndWithoutTheFastPath() {
        let f = ISO8601DateFormatter()
        for text in ["2026-03-02T00:00:00Z", "2024-02-29T23:59:59Z", "1999-12-31T12:30:05Z", "2026-01-05T09:07:41Z"] {
            #expect(MonitorStreamReader.parseTime(text) == f.date(from: text), "\(text)")
        }
        #expect(MonitorStreamReader.parseTime("2026-03-02T01:00:00+01:00") == f.date(from: "2026-03-02T00:00:00Z"))
        #expect(MonitorStreamReader.parseTime("2026-03-02T00:00:00.250Z")?.timeIntervalSince1970 == 1_772_409_600.25)
        #expect(MonitorStreamReader.parseTime("yesterday") == nil)
    }
}
