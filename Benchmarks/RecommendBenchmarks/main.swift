import FinchRecommend
import FinchTensor
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// Recommender benchmarks (run by Benchmarks/run_recommend.sh next to
// Benchmarks/recommend_reference.py). Each mode prints JSON lines on stdout.
//
//   RecommendBenchmarks ml100k --ratings CSV --folds JSON [--algorithms a,b] [--repeat N]
//       5-fold CV on the folds Python wrote: mean RMSE/MAE and wall seconds for all folds
//       (building each fold's matrix, fitting and predicting), median of N runs.
//   RecommendBenchmarks als --ratings CSV [--factors 64] [--iterations 15] [--repeat N]
//       implicit ALS on the per-user leave-last-out split, confidence = rating: fit seconds, NDCG@10.
//   RecommendBenchmarks scale --algorithm svd|als [--users 200000] [--items 50000] [--ratings 10000000]
//       synthetic data: train seconds, peak RSS, save/load seconds, top-10 latency after load.

struct Arguments {
    var values: [String: String] = [:]
    var mode = ""
    init(_ argv: [String]) {
        mode = argv.count > 1 ? argv[1] : ""
        var i = 2
        while i < argv.count {
            if argv[i].hasPrefix("--"), i + 1 < argv.count {
                values[String(argv[i].dropFirst(2))] = argv[i + 1]
                i += 2
            } else {
                i += 1
            }
        }
    }
    func string(_ name: String, _ fallback: String) -> String { values[name] ?? fallback }
    func int(_ name: String, _ fallback: Int) -> Int { values[name].flatMap { Int($0) } ?? fallback }
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

func readRatings(_ path: String, implicit: Bool) throws -> RatingDataset {
    var options = RatingFileOptions()
    options.ratingScale = RatingScale(lower: 1, upper: 5)
    options.implicit = implicit
    return try RatingFileReader.read(path, options: options)
}

func ml100k(_ a: Arguments) throws {
    let dataset = try readRatings(a.string("ratings", ""), implicit: false)
    let spec = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a.string("folds", "")))) as! [String: Any]
    let order = (spec["order"] as! [Any]).map { ($0 as! NSNumber).intValue }
    let splits = try Splitter.kFold(order: order, folds: (spec["folds"] as! NSNumber).intValue)
    for name in a.string("algorithms", "baseline,svd,svdpp,itemknn").split(separator: ",") {
        let algorithm = try Algorithm(named: String(name))
        var times: [Double] = [], rmses: [Double] = [], maes: [Double] = [], fits: [Double] = []
        let seeded = algorithm.recommenderType.parameterNames.contains("seed")
        for rep in 0..<a.int("repeat", 3) {
            let start = ContinuousClock.now
            let report = try Evaluator.evaluate(
                dataset, algorithm: algorithm, parameters: seeded ? ["seed": String(rep)] : [:], splits: splits, metrics: .rating)
            times.append(seconds(ContinuousClock.now - start))
            rmses.append(report.meanRating!.rmse)
            maes.append(report.meanRating!.mae)
            fits.append(report.meanFitSeconds)
        }
        // RMSE/MAE: mean over the runs (seeds 0, 1, ... for the seeded algorithms).
        emit([
            "side": "finch", "algorithm": algorithm.rawValue, "rmse": rmses.reduce(0, +) / Double(rmses.count),
            "mae": maes.reduce(0, +) / Double(maes.count), "rmse_runs": rmses, "seconds": median(times), "runs": times,
            "fit_seconds_per_fold": median(fits),
        ])
    }
}

func als(_ a: Arguments) throws {
    let dataset = try readRatings(a.string("ratings", ""), implicit: true)
    let split = try Splitter.leaveLastK(dataset, k: 1)
    let train = dataset.matrix(selecting: split.train)
    var times: [Double] = []
    var ndcgs: [Double] = []
    for rep in 0..<a.int("repeat", 3) {
        var model = try Algorithm.als.makeRecommender(parameters: [
            "factors": a.string("factors", "64"), "epochs": a.string("iterations", "15"), "seed": String(rep),
        ])
        let start = ContinuousClock.now
        try model.fit(train, observer: nil)
        times.append(seconds(ContinuousClock.now - start))
        ndcgs.append(Evaluator.rankingAccuracy(model, dataset: dataset, test: split.test, k: 10).ndcg)
    }
    emit([
        "side": "finch", "algorithm": "als", "factors": a.int("factors", 64), "iterations": a.int("iterations", 15),
        "ndcg_at_10": median(ndcgs), "ndcg_runs": ndcgs, "seconds": median(times), "runs": times,
        "threads": Parallel.threadCount,
    ])
}

func scale(_ a: Arguments) throws {
    let users = a.int("users", 200_000), items = a.int("items", 50_000), count = a.int("ratings", 10_000_000)
    let algorithm = try Algorithm(named: a.string("algorithm", "svd"))
    var rng = FinchRNG(seed: 11)
    var u = [Int32](repeating: 0, count: count), i = u
    var v = [Float](repeating: 0, count: count)
    for n in 0..<count {
        u[n] = Int32(rng.next() % UInt64(users))
        // Item popularity falls off like a power law, as in real catalogues.
        let x = rng.nextUniform()
        i[n] = Int32(min(items - 1, Int(Float(items) * x * x * x)))
        v[n] = Float(1 + rng.next() % 5)
    }
    let matrix = RatingMatrix(userCount: users, itemCount: items, users: u, items: i, values: v)
    u = []
    i = []
    v = []
    let dataMegabytes = peakResidentMegabytes()
    var parameters: [String: String] = [:]
    if algorithm == .als { parameters["factors"] = a.string("factors", "64") }
    if algorithm == .svd, let f = a.values["factors"] { parameters["factors"] = f }
    var recommender = try algorithm.makeRecommender(parameters: parameters)
    let start = ContinuousClock.now
    try recommender.fit(matrix, observer: nil)
    let trainSeconds = seconds(ContinuousClock.now - start)
    let trainPeak = peakResidentMegabytes()
    let model = RecommenderModel(
        recommender: recommender, users: try IDMap(ids: (0..<users).map { "u\($0)" }),
        items: try IDMap(ids: (0..<items).map { "i\($0)" }), feedback: algorithm == .als ? .implicit : .explicit,
        ratingScale: RatingScale(lower: 1, upper: 5))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-scale-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let saveStart = ContinuousClock.now
    try model.save(to: dir)
    let saveSeconds = seconds(ContinuousClock.now - saveStart)
    let loadStart = ContinuousClock.now
    let loaded = try RecommenderModel.load(from: dir)
    let loadSeconds = seconds(ContinuousClock.now - loadStart)
    var latencies: [Double] = []
    var probe = FinchRNG(seed: 5)
    let firstStart = ContinuousClock.now
    _ = try loaded.recommend(user: "u0", count: 10)
    let firstMilliseconds = seconds(ContinuousClock.now - firstStart) * 1000
    for _ in 0..<1000 {
        let user = "u\(probe.next() % UInt64(users))"
        let t = ContinuousClock.now
        let top = try loaded.recommend(user: user, count: 10)
        latencies.append(seconds(ContinuousClock.now - t) * 1000)
        precondition(top.count == 10)
    }
    latencies.sort()
    emit([
        "side": "finch", "algorithm": algorithm.rawValue, "users": users, "items": items, "ratings": count,
        "parameters": recommender.parameters, "train_seconds": trainSeconds, "peak_rss_mb_after_data": dataMegabytes,
        "peak_rss_mb_after_train": trainPeak, "peak_rss_mb": peakResidentMegabytes(), "save_seconds": saveSeconds,
        "load_seconds": loadSeconds, "top10_ms_first": firstMilliseconds, "top10_ms_median": latencies[latencies.count / 2],
        "top10_ms_p99": latencies[latencies.count * 99 / 100], "threads": Parallel.threadCount,
    ])
}

let arguments = Arguments(CommandLine.arguments)
switch arguments.mode {
case "ml100k": try ml100k(arguments)
case "als": try als(arguments)
case "scale": try scale(arguments)
case "hybrid": try hybrid(arguments)
default:
    FileHandle.standardError.write(
        Data("usage: RecommendBenchmarks ml100k|als|scale|hybrid [options] (see the comment in main.swift)\n".utf8))
    exit(2)
}
