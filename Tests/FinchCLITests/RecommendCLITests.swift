import FinchRecommend
import Foundation
import Testing

/// Runs the built `finch` binary (the test target depends on it, so it is built).
enum RecommendCLI {
    /// Runs `finch recommend` with `arguments` and no standard input; returns (status, stdout, stderr).
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let (status, out, err) = try CLI.run(["recommend"] + arguments)
        return (status, out, err)
    }

    static func json(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static var tinyRatings: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/recommend/tiny_ratings.csv").path
    }

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("finch-cli-\(UUID().uuidString)-\(name)").path
    }
}

@Suite struct RecommendCLITests {
    @Test func helpExplainsTheCommandsAndOptions() throws {
        let (status, out, _) = try RecommendCLI.run(["--help"])
        #expect(status == 0)
        for word in ["evaluate", "train", "top", "similar", "fold-in"] { #expect(out.contains(word)) }
        let (_, evaluate, _) = try RecommendCLI.run(["evaluate", "--help"])
        for option in [
            "--ratings", "--algorithm", "--folds", "--seed", "--metrics", "--k", "--json", "--grid", "--skip-bad-rows",
            "--rating-scale", "--user-column", "--param",
        ] {
            #expect(evaluate.contains(option), "evaluate --help lacks \(option)")
        }
    }

    @Test func evaluateJSONHasTheMeanAndEveryFold() throws {
        let (status, out, err) = try RecommendCLI.run([
            "evaluate", "--ratings", RecommendCLI.tinyRatings, "--algorithm", "svd", "--factors", "4", "--folds", "3", "--seed", "2",
            "--json",
        ])
        #expect(status == 0, "\(err)")
        let object = try RecommendCLI.json(try #require(out.split(separator: "\n").first))
        let rmse = try #require(object["rmse"] as? Double)
        // The library on the same file, split and hyperparameters gives the same RMSE (the CLI only renders it).
        let dataset = try RatingFileReader.read(RecommendCLI.tinyRatings)
        let splits = try Splitter.splits(dataset, strategy: .kFold(folds: 3), seed: 2)
        let library = try Evaluator.evaluate(
            dataset, algorithm: .svd, parameters: ["factors": "4", "seed": "2"], splits: splits, metrics: .rating)
        let expected = try #require(library.meanRating?.rmse)
        #expect(abs(rmse - expected) <= 1e-12 * expected, "CLI \(rmse), library \(expected)")
        #expect(library.folds.map { $0.rating?.rmse ?? .nan }.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(object["mae"] is Double && object["fit_seconds"] is Double)
        let folds = try #require(object["folds"] as? [[String: Any]])
        #expect(folds.count == 3)
        #expect(folds.map { $0["test"] as? Int ?? 0 }.reduce(0, +) == 192)
        let mean = folds.map { $0["rmse"] as? Double ?? 0 }.reduce(0, +) / 3
        #expect(abs(mean - rmse) < 1e-9)
    }

    @Test func evaluateRankingMetricsAndGridSearch() throws {
        let (status, out, err) = try RecommendCLI.run([
            "evaluate", "--ratings", RecommendCLI.tinyRatings, "--algorithm", "als", "--factors", "3", "--metrics", "ranking", "--k",
            "5", "--split", "leave-last", "--json",
        ])
        #expect(status == 0, "\(err)")
        let object = try RecommendCLI.json(try #require(out.split(separator: "\n").first))
        for key in ["precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k", "hit_rate", "coverage"] {
            #expect(object[key] is Double, "missing \(key)")
        }
        #expect(object["k"] as? Int == 5)
        let (gs, grid, gerr) = try RecommendCLI.run([
            "evaluate", "--ratings", RecommendCLI.tinyRatings, "--algorithm", "svd", "--factors", "3", "--folds", "2", "--grid",
            "epochs=0,30", "--param", "lr=0.01", "--json",
        ])
        #expect(gs == 0, "\(gerr)")
        let result = try RecommendCLI.json(try #require(grid.split(separator: "\n").first))
        let results = try #require(result["results"] as? [[String: Any]])
        #expect(results.count == 2)
        let winner = try #require(results.min { ($0["rmse"] as? Double ?? 9) < ($1["rmse"] as? Double ?? 9) })
        #expect((result["best"] as? [String: String]) == (winner["parameters"] as? [String: String]))
        #expect(Set(results.compactMap { ($0["parameters"] as? [String: String])?["epochs"] }) == ["0", "30"])
    }

    @Test func trainTopSimilarAndFoldIn() throws {
        let dir = RecommendCLI.temporary("model")
        let (ts, tout, terr) = try RecommendCLI.run([
            "train", "--ratings", RecommendCLI.tinyRatings, "--algorithm", "itemknn", "--out", dir,
        ])
        #expect(ts == 0, "\(terr)")
        #expect(try RecommendCLI.json(try #require(tout.split(separator: "\n").first))["ratings"] as? Int == 192)
        #expect(terr.contains("itemknn 100% (2/2) similarities"), "\(terr)")
        let (s, out, _) = try RecommendCLI.run(["top", "--model", dir, "--user", "u3", "-k", "4", "--explain"])
        #expect(s == 0)
        let lines = out.split(separator: "\n")
        #expect(lines.count == 4)
        for (n, line) in lines.enumerated() {
            let object = try RecommendCLI.json(line)
            #expect(object["user"] as? String == "u3" && object["rank"] as? Int == n + 1)
            #expect(object["item"] is String && object["score"] is Double && object["because"] is [Any])
        }
        let (ss, similar, _) = try RecommendCLI.run(["similar", "--model", dir, "--item", "i3", "-k", "2"])
        #expect(ss == 0)
        #expect(try similar.split(separator: "\n").map { try RecommendCLI.json($0)["similar"] as? String }.count == 2)
        let newRatings = RecommendCLI.temporary("new.csv")
        try "userId,itemId,rating\nnewcomer,i3,5\nnewcomer,i4,2\n".write(toFile: newRatings, atomically: true, encoding: .utf8)
        let (fs, fold, ferr) = try RecommendCLI.run(["fold-in", "--model", dir, "--ratings", newRatings])
        #expect(fs == 0, "\(ferr)")
        let summary = try RecommendCLI.json(try #require(fold.split(separator: "\n").first))
        #expect(summary["new_users"] as? Int == 1 && summary["ratings"] as? Int == 2)
        let (ns, newTop, _) = try RecommendCLI.run(["top", "--model", dir, "--user", "newcomer", "-k", "2"])
        #expect(ns == 0 && newTop.split(separator: "\n").count == 2)
        let (us, _, uerr) = try RecommendCLI.run(["top", "--model", dir, "--user", "nobody"])
        #expect(us != 0 && uerr.contains("unknown user 'nobody'"))
    }

    @Test func badRowsStopWithFileAndLineOrAreSkippedAndCounted() throws {
        let path = RecommendCLI.temporary("bad.csv")
        try "userId,itemId,rating\na,x,4\nb,y,9\nc,z,2\na,z,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (status, _, err) = try RecommendCLI.run([
            "evaluate", "--ratings", path, "--algorithm", "baseline", "--rating-scale", "1,5", "--folds", "2",
        ])
        #expect(status != 0)
        #expect(err.contains("\(path):3: field 'rating' is 9.0, outside [1.0, 5.0]"))
        let (skip, _, skipErr) = try RecommendCLI.run([
            "evaluate", "--ratings", path, "--algorithm", "baseline", "--rating-scale", "1,5", "--folds", "2", "--skip-bad-rows",
        ])
        #expect(skip == 0, "\(skipErr)")
        #expect(skipErr.contains("skipped 1 bad rows of 4"))
    }
}
