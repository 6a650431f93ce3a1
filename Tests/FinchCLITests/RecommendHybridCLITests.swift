import FinchTestSupport
import Foundation
import Testing

/// `finch recommend train --hybrid` and `top --explain` end to end, with the
/// tiny WordPiece BERT as the (meaningless but real) sentence encoder.
@Suite struct RecommendHybridCLITests {
    /// Implicit events (users read items of one topic, with times) and item texts.
    static func files() throws -> (ratings: String, items: String, history: [String: Set<String>]) {
        var rng = UInt64(7)
        func next() -> UInt64 {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return rng >> 33
        }
        var csv = "userId,itemId,rating,timestamp\n"
        var history: [String: Set<String>] = [:]
        for u in 0..<30 {
            var chosen = Set<Int>()
            while chosen.count < 8 { chosen.insert(Int(next() % 10)) }
            for (n, j) in chosen.sorted().enumerated() {
                csv += "u\(u),t\(u % 4)-\(j),1,\(u * 100 + n)\n"
                history["u\(u)", default: []].insert("t\(u % 4)-\(j)")
            }
        }
        let words = ["the cat sat", "a dog ran", "birds fly high", "fish swim deep"]
        var jsonl = ""
        for t in 0..<4 {
            for j in 0..<10 {
                jsonl +=
                    "{\"item\": \"t\(t)-\(j)\", \"title\": \"Story \(t)-\(j)\", \"text\": \"\(words[t]) \(j)\", \"categories\": [\"topic\(t)\"]}\n"
            }
        }
        let ratings = RecommendCLI.temporary("events.csv"), items = RecommendCLI.temporary("items.jsonl")
        try csv.write(toFile: ratings, atomically: true, encoding: .utf8)
        try jsonl.write(toFile: items, atomically: true, encoding: .utf8)
        return (ratings, items, history)
    }

    static var embedder: String { TestSupport.fixtureURL("tiny-bert-wordpiece").path }

    @Test func trainHybridEvaluatesBothAndTopExplainsWithHistoryItems() throws {
        let (ratings, items, history) = try Self.files()
        let out = RecommendCLI.temporary("hybrid-model")
        let (status, stdout, stderr) = try RecommendCLI.run([
            "train", "--ratings", ratings, "--rating-column", "rating", "--implicit", "--timestamp-column", "timestamp",
            "--algorithm", "als", "--factors", "4", "--hybrid", "--item-text", items, "--embedder", Self.embedder, "--out", out,
            "--test-last", "2", "--validation-last", "2",
        ])
        #expect(status == 0, "\(stderr)")
        for name in ["als", "hybrid", "popular"] {
            #expect(stderr.contains("\n  \(name)"), "the evaluation lacks \(name): \(stderr)")
        }
        let summary = try RecommendCLI.json(try #require(stdout.split(separator: "\n").first))
        let evaluation = try #require(summary["evaluation"] as? [String: [String: Double]])
        #expect(Set(evaluation.keys) == ["als", "hybrid", "popular"])
        #expect(evaluation.values.allSatisfy { ($0["ndcg_at_10"] ?? -1) >= 0 && ($0["recall_at_10"] ?? -1) >= 0 })
        let weights = try #require(summary["weights"] as? [String: Double])
        #expect(Set(weights.keys) == ["collaborative", "text", "popularity"] && weights.values.allSatisfy(\.isFinite))
        #expect(summary["items_with_text"] as? Int == 40)
        for file in ["recommender.json", "arrays.safetensors", "hybrid.json", "item_text.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "missing \(file)")
        }

        let (topStatus, top, topErr) = try RecommendCLI.run(["top", "--model", out, "--user", "u1", "--explain", "-k", "5"])
        #expect(topStatus == 0, "\(topErr)")
        let lines = try top.split(separator: "\n").map(RecommendCLI.json)
        #expect(lines.count == 5)
        var reasonCount = 0
        for line in lines {
            #expect(line["source"] as? String == "personal")
            #expect(!(history["u1"]!.contains(line["item"] as? String ?? "")))
            for reason in try #require(line["reasons"] as? [[String: Any]]) {
                reasonCount += 1
                let named = try #require(reason["items"] as? [String])
                #expect(named.allSatisfy { history["u1"]!.contains($0) }, "\(reason)")
                #expect((reason["contribution"] as? Double ?? 0) > 0 && reason["text"] is String && reason["kind"] is String)
            }
        }
        #expect(reasonCount > 0)
        let (_, stranger, _) = try RecommendCLI.run(["top", "--model", out, "--user", "nobody", "-k", "3"])
        let first = try RecommendCLI.json(try #require(stranger.split(separator: "\n").first))
        #expect(first["source"] as? String == "popular" && first["reasons"] == nil)
    }

    @Test func hybridOptionsAreCheckedBeforeAnyWork() throws {
        let (ratings, items, _) = try Self.files()
        let (s1, _, e1) = try RecommendCLI.run([
            "train", "--ratings", ratings, "--algorithm", "als", "--hybrid", "--out", RecommendCLI.temporary("x"),
        ])
        #expect(s1 != 0 && e1.contains("--hybrid needs --item-text and --embedder"))
        let (s2, _, e2) = try RecommendCLI.run([
            "train", "--ratings", ratings, "--algorithm", "als", "--item-text", items, "--out", RecommendCLI.temporary("y"),
        ])
        #expect(s2 != 0 && e2.contains("only with --hybrid"))
    }

    @Test func topExplainGivesReadableReasonsForAPlainModel() throws {
        let out = RecommendCLI.temporary("knn-model")
        let (status, _, err) = try RecommendCLI.run([
            "train", "--ratings", RecommendCLI.tinyRatings, "--rating-scale", "1,5", "--algorithm", "itemknn", "--out", out,
        ])
        #expect(status == 0, "\(err)")
        let ratings = try String(contentsOfFile: RecommendCLI.tinyRatings, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map(String.init) }
        let user = try #require(ratings.first?[0])
        var rated: [String: Double] = [:]
        for r in ratings where r[0] == user { rated[r[1]] = Double(r[2]) }
        let (topStatus, top, topErr) = try RecommendCLI.run(["top", "--model", out, "--user", user, "--explain", "--reasons", "2"])
        #expect(topStatus == 0, "\(topErr)")
        var named = 0
        for line in try top.split(separator: "\n").map(RecommendCLI.json) {
            #expect(line["because"] != nil)
            for reason in try #require(line["reasons"] as? [[String: Any]]) {
                #expect(reason["kind"] as? String == "rated_highly")
                for item in try #require(reason["items"] as? [String]) {
                    #expect((rated[item] ?? 0) >= 4, "\(item) was rated \(rated[item] ?? 0)")
                    named += 1
                }
            }
        }
        #expect(named > 0)
    }
}
