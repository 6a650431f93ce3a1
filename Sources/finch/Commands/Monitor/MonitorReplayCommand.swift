import ArgumentParser
import FinchApps
import FinchSupport
import Foundation

/// `finch monitor replay`: the whole monitor pipeline offline on a time-stamped stream.
struct MonitorReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a monitor offline on a time-stamped stream; print one JSON line per alert.",
        discussion: """
            Reads --input as JSON Lines {"id", "text", "time"} (ISO 8601 times; optional "source", "url") \
            and replays it by stream time: each text is scored by --classifier (and --topic-classifier), \
            tagged by --tagger, matched against --watchlist ({"ENTITY": ["alias", ...]}), and counted per \
            entity per bucket; when a bucket closes, the rules of --rules (a JSON array of \
            {"name", "entity", "metric", "detector", "halflife", "z", "threshold", "min_count", "cooldown"}) \
            are evaluated. Each alert that opens is printed as {"rule", "entity", "bucket_start", "value", \
            "baseline", "score", "documents"}. Classifier labels named like negative/neutral/positive map \
            themselves; --negative-labels names the ones that count as negative otherwise (the other labels \
            then count as positive for a two-label classifier, neutral for more).
            """)

    @Option(help: "Sentiment classifier folder (a fine-tuned classifier).") var classifier: String
    @Option(
        name: .customLong("negative-labels"), help: "Classifier labels that count as negative, comma-separated.",
        transform: { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
    var negativeLabels: [String] = []
    @Option(name: .customLong("topic-classifier"), help: "Topic classifier folder; its top label is a document's topic.")
    var topicClassifier: String?
    @Option(help: "Tagger (NER) folder; the entities it finds are counted too.") var tagger: String?
    @Option(help: "Watchlist JSON: {\"ENTITY\": [\"alias\", ...]}.") var watchlist: String?
    @Option(help: "Alert rules JSON: an array of rules.") var rules: String
    @Option(help: "The stream: JSON Lines with id, text and ISO 8601 time.") var input: String
    @Option(help: "Bucket width: 1m, 1h or 1d (minute, hour, day).", transform: Self.parseBucket) var bucket: BucketWidth = .hour
    @Option(help: "Write {\"documents\", \"buckets\", \"alerts\"} to this JSON file.") var summary: String?
    @Option(name: .customLong("batch-size"), help: "Texts scored together.") var batchSize = 64

    static func parseBucket(_ text: String) throws -> BucketWidth {
        guard let width = BucketWidth(parsing: text) else { throw ValidationError("--bucket must be 1m, 1h or 1d (got '\(text)')") }
        return width
    }

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        if negativeLabels.contains(where: \.isEmpty) { throw ValidationError("--negative-labels has an empty label") }
    }

    func run() async throws {
        let sentiment = try FineTunedDocumentModel(directory: try ModelLocation.resolve(classifier), batchSize: batchSize)
        guard sentiment.isClassifier else { throw MonitorReplayFailure("--classifier \(classifier) is a tagger, not a classifier") }
        if let unknown = negativeLabels.first(where: { !sentiment.labels.contains($0) }) {
            throw MonitorReplayFailure(
                "--negative-labels: '\(unknown)' is not a label of \(classifier) (\(sentiment.labels.joined(separator: ", ")))")
        }
        let topic = try topicClassifier.map { try FineTunedDocumentModel(directory: try ModelLocation.resolve($0), batchSize: batchSize) }
        if let topic, !topic.isClassifier { throw MonitorReplayFailure("--topic-classifier \(topicClassifier!) is a tagger") }
        let entityTagger = try tagger.map { try FineTunedDocumentModel(directory: try ModelLocation.resolve($0), batchSize: batchSize) }
        if let entityTagger, entityTagger.isClassifier { throw MonitorReplayFailure("--tagger \(tagger!) is a classifier, not a tagger") }
        let config = MonitorConfig(
            name: "replay", sentimentModel: classifier,
            polarity: ReplayPolarity.map(labels: sentiment.labels, negative: negativeLabels, classifier: classifier),
            topicModel: topicClassifier, tagger: tagger, watchlist: try readWatchlist(), bucket: bucket)
        let ruleList = try ReplayRules.read(URL(fileURLWithPath: rules))
        let documents = try MonitorStreamReader.read(URL(fileURLWithPath: input))
        let repository = InMemoryMonitorRepository()
        try await repository.putMonitor(config)
        for rule in ruleList { try await repository.putRule(rule, monitor: config.name) }
        let service = MonitorService(
            pipeline: MonitorPipeline(config: config, sentiment: sentiment, topic: topic, tagger: entityTagger), repository: repository)
        let result = try await MonitorReplay.run(documents, service: service, batchSize: batchSize) { alert in
            try StandardOutput.json(ReplayAlertLine(alert))
        }
        if let summary {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(try encoder.encode(result), to: URL(fileURLWithPath: summary))
        }
    }

    func readWatchlist() throws -> Watchlist {
        guard let watchlist else { return .empty }
        let url = URL(fileURLWithPath: watchlist)
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw MonitorReplayFailure("\(watchlist): cannot read the watchlist") }
        let list: Watchlist
        do { list = try JSONDecoder().decode(Watchlist.self, from: data) } catch {
            throw MonitorReplayFailure("\(watchlist): not a JSON object of entity → list of aliases")
        }
        do { try list.validate() } catch { throw MonitorReplayFailure("\(watchlist): \(error)") }
        return list
    }
}

/// One printed alert: `{"rule", "entity", "bucket_start", "value", "baseline", "score", "documents"}`.
struct ReplayAlertLine: Encodable {
    var rule: String
    var entity: String
    var bucketStart: String
    var value: Double
    var baseline: Double
    var score: Double
    var documents: [String]

    init(_ alert: Alert) {
        rule = alert.rule
        entity = alert.entity
        bucketStart = MonitorStreamReader.format(alert.bucketStart)
        value = alert.value
        baseline = alert.baseline
        score = alert.score
        documents = alert.documents
    }

    enum CodingKeys: String, CodingKey {
        case rule, entity, value, baseline, score, documents
        case bucketStart = "bucket_start"
    }
}

/// A replay that cannot start: one line on standard error.
struct MonitorReplayFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
