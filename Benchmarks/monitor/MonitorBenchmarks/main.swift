// Monitor benchmarks, the Finch side of Benchmarks/monitor/run_monitor.sh.
//
// detect     --stream S.jsonl --predictions P.jsonl --rules R.json --watchlist W.json [--events E.json]
//            Replays a generated stream through the monitor (watchlist matching, aggregation,
//            detectors, alert engine) with each document's sentiment looked up from the pool
//            predictions of the fine-tuned classifier; prints one JSON line per rule: alerts,
//            false alarms per entity per 30 days, and against the injected events detection
//            rate and delays (buckets from the event's start to the close of the alert's bucket).
// throughput --classifier DIR [--tagger DIR] --stream S.jsonl --rules R.json --watchlist W.json
//            [--count N] [--batch N]
//            Times MonitorService.ingest (redaction off, sentiment + tagger + watchlist +
//            aggregation) on the first N documents, and the bucket close that evaluates the rules.
import FinchApps
import FinchSupport
import FinchTrain
import Foundation

/// The mode and the `--key value` options of the command line.
func parseArguments() -> (String, [String: String]) {
    var parsed: [String: String] = [:]
    var arguments = CommandLine.arguments.dropFirst()
    let mode = arguments.popFirst() ?? ""
    while let key = arguments.popFirst() {
        guard key.hasPrefix("--"), let value = arguments.popFirst() else {
            FileHandle.standardError.write(Data("usage: MonitorBenchmarks detect|throughput --option value ...\n".utf8))
            exit(64)
        }
        parsed[String(key.dropFirst(2))] = value
    }
    return (mode, parsed)
}

let (mode, options) = parseArguments()

func option(_ key: String) -> String {
    guard let v = options[key] else {
        FileHandle.standardError.write(Data("missing --\(key)\n".utf8))
        exit(64)
    }
    return v
}

func printJSON(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The stream's documents and their pool indices.
func readStream(_ path: String, limit: Int = .max) throws -> [(MonitorDocument, Int)] {
    var out: [(MonitorDocument, Int)] = []
    let url = URL(fileURLWithPath: path)
    try JSONLines.forEachRecord(in: url, file: url.lastPathComponent) { r in
        guard out.count < limit else { return }
        out.append((try MonitorStreamReader.document(r), Int(try r.number("pool"))))
    }
    return out
}

func readRules(_ path: String) throws -> [AlertRule] {
    try JSONDecoder().decode([AlertRule].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
}

func readWatchlist(_ path: String) throws -> Watchlist {
    try JSONDecoder().decode(Watchlist.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
}

/// An injected event of the generator.
struct InjectedEvent: Decodable {
    var entity: String
    var type: String
    var start: String
    var end: String
}

func median(_ xs: [Double]) -> Double? {
    guard !xs.isEmpty else { return nil }
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func detect() async throws {
    let t0 = now()
    let stream = try readStream(option("stream"))
    var predictions: [ClassPrediction] = []
    let decoder = JSONDecoder()
    for line in try String(contentsOfFile: option("predictions"), encoding: .utf8).split(separator: "\n") {
        predictions.append(try decoder.decode(ClassPrediction.self, from: Data(line.utf8)))
    }
    var poolOfText: [String: Int] = [:]
    for (d, i) in stream { poolOfText[d.text] = i }
    let rules = try readRules(option("rules"))
    let config = MonitorConfig(
        name: "bench", sentimentModel: "pool-predictions", watchlist: try readWatchlist(option("watchlist")), bucket: .hour)
    let repository = StreamRepository()
    try await repository.putMonitor(config)
    for rule in rules { try await repository.putRule(rule, monitor: config.name) }
    let service = MonitorService(
        pipeline: MonitorPipeline(config: config, sentiment: LookupClassifier(predictions: predictions, poolOfText: poolOfText)),
        repository: repository)
    let t1 = now()
    var alerts: [Alert] = []
    let summary = try await MonitorReplay.run(stream.map(\.0), service: service, batchSize: 4096) { alerts.append($0) }
    let t2 = now()
    var events: [InjectedEvent] = []
    if let path = options["events"] {
        events = try JSONDecoder().decode([InjectedEvent].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
    let entities = config.watchlist.entities.count
    let days = Double(summary.buckets) / 24
    for rule in rules {
        let mine = alerts.filter { $0.rule == rule.name }
        let family: Set<String> = rule.metric == .volume ? ["spike"] : ["jump", "drift"]
        var matched = Set<String>(), delays: [Double] = [], detected = 0, total = 0
        for e in events where family.contains(e.type) {
            total += 1
            let start = MonitorStreamReader.parseTime(e.start)!, end = MonitorStreamReader.parseTime(e.end)!
            let grace = e.type == "drift" ? 0.0 : 2 * 3600
            let hits = mine.filter { $0.entity == e.entity && $0.bucketStart >= start && $0.bucketStart < end.addingTimeInterval(grace) }
            for h in hits { matched.insert(h.id) }
            if let first = hits.map(\.bucketStart).min() {
                detected += 1
                delays.append(first.timeIntervalSince(start) / 3600 + 1)
            }
        }
        let falseAlarms = mine.filter { !matched.contains($0.id) }.count
        var row: [String: Any] = [
            "rule": rule.name, "metric": rule.metric.rawValue, "detector": rule.detector.rawValue, "alerts": mine.count,
            "false_alarms": falseAlarms, "false_alarms_per_entity_30d": Double(falseAlarms) / Double(entities) / (days / 30),
            "events": total, "detected": detected,
        ]
        if total > 0 { row["detection_rate"] = Double(detected) / Double(total) }
        if let m = median(delays) { row["median_delay_buckets"] = m }
        printJSON(row)
    }
    printJSON([
        "documents": summary.documents, "buckets": summary.buckets, "read_seconds": t1 - t0, "replay_seconds": t2 - t1,
        "documents_per_second": Double(summary.documents) / (t2 - t1),
    ])
}

func throughput() async throws {
    let count = Int(options["count"] ?? "") ?? 2000, batch = Int(options["batch"] ?? "") ?? 256
    let stream = try readStream(option("stream"), limit: count).map(\.0)
    let sentiment = try FineTunedDocumentModel(directory: URL(fileURLWithPath: option("classifier")), batchSize: 64)
    let tagger = try options["tagger"].map { try FineTunedDocumentModel(directory: URL(fileURLWithPath: $0), batchSize: 64) }
    let config = MonitorConfig(
        name: "bench", sentimentModel: sentiment.name, tagger: tagger?.name, entityTypes: [],
        watchlist: try readWatchlist(option("watchlist")),
        bucket: .hour)
    let repository = InMemoryMonitorRepository()
    try await repository.putMonitor(config)
    for rule in try readRules(option("rules")) { try await repository.putRule(rule, monitor: config.name) }
    let service = MonitorService(pipeline: MonitorPipeline(config: config, sentiment: sentiment, tagger: tagger), repository: repository)
    // Warm-up: one small batch (first-call allocations), not counted; its ids are new to nobody else.
    _ = try await service.pipeline.score(Array(stream.prefix(16)))
    let t0 = now()
    var stored = 0
    var i = 0
    while i < stream.count {
        let part = Array(stream[i..<min(i + batch, stream.count)])
        stored += try await service.ingest(part).filter(\.isNew).count
        i += part.count
    }
    let t1 = now()
    let last = stream.map(\.time).max() ?? Date()
    let events = try await service.closeBuckets(upTo: BucketWidth.hour.next(after: BucketWidth.hour.start(of: last)))
    let t2 = now()
    printJSON([
        "documents": stored, "ingest_seconds": t1 - t0, "documents_per_second": Double(stored) / (t1 - t0),
        "close_seconds": t2 - t1, "alerts": events.count, "batch": batch, "tagger": tagger != nil,
    ])
}

do {
    switch mode {
    case "detect": try await detect()
    case "throughput": try await throughput()
    default:
        FileHandle.standardError.write(Data("usage: MonitorBenchmarks detect|throughput --option value ...\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("MonitorBenchmarks: \(error)\n".utf8))
    exit(1)
}
