import FinchSupport
import Foundation
import Testing

/// A scratch folder for one test, with a fingerprint of everything in it so a
/// test can assert that a command created, changed or deleted nothing outside
/// its `--out`.
final class Sandbox {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    /// Relative path → contents of every file (folders as empty markers), `excluding` a subfolder.
    func fingerprint(excluding: String? = nil) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = url.path + "/"
        guard let walker = FileManager.default.enumerator(atPath: url.path) else { return result }
        while let relative = walker.nextObject() as? String {
            if let excluding, relative == excluding || relative.hasPrefix(excluding + "/") { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base + relative, isDirectory: &isDirectory) else { continue }
            result[relative] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: base + relative))
        }
        return result
    }
}

/// One regression test per defect of issue 10 in `finch recommend` (items 2, 3,
/// 4, 10, 11): the exit code, the message, and that nothing outside `--out`
/// was created, changed or deleted.
@Suite struct RecommendRobustnessTests {
    let ratings = RecommendCLI.tinyRatings

    // MARK: item 2 — train --out never deletes what it did not write

    @Test func trainRefusesAForeignNonEmptyFolderAndTouchesNothing() throws {
        let box = try Sandbox()
        try box.write("notes.txt", "mine")
        try box.write("sub/data.bin", "more")
        let before = try box.fingerprint()
        let (status, out, err) = try RecommendCLI.run(["train", "--ratings", ratings, "--algorithm", "baseline", "--out", box.url.path])
        #expect(status == 1)
        #expect(out.isEmpty)
        #expect(err.contains("model \(box.url.path): is not empty and holds no Finch recommender model"), "\(err)")
        #expect(try box.fingerprint() == before)
    }

    @Test func retrainingIntoAModelFolderReplacesOnlyTheModelsFiles() throws {
        let box = try Sandbox()
        let model = box.path("model")
        try box.write("beside.txt", "unrelated")
        #expect(try RecommendCLI.run(["train", "--ratings", ratings, "--algorithm", "svd", "--factors", "3", "--out", model]).status == 0)
        try box.write("model/README", "notes on this model")
        let before = try box.fingerprint(excluding: "model")
        let (status, _, err) = try RecommendCLI.run(["train", "--ratings", ratings, "--algorithm", "als", "--factors", "3", "--out", model])
        #expect(status == 0, "\(err)")
        #expect(try box.fingerprint(excluding: "model") == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: model).sorted()
        // README.md and finch_run.json are the model card and its run record, written by every training run.
        #expect(names == [OutputFolderLock.fileName, "README", "README.md", "arrays.safetensors", "finch_run.json", "recommender.json"])
        #expect(try String(contentsOfFile: box.path("model/README"), encoding: .utf8) == "notes on this model")
        let (topStatus, top, _) = try RecommendCLI.run(["top", "--model", model, "--user", "u1", "-k", "2"])
        #expect(topStatus == 0 && top.split(separator: "\n").count == 2)
    }

    @Test func aSecondWriterIsRefusedWhileTheFolderIsLocked() throws {
        let box = try Sandbox()
        let model = box.path("model")
        let lock = try OutputFolderLock(URL(fileURLWithPath: model))
        let (status, _, err) = try RecommendCLI.run(["train", "--ratings", ratings, "--algorithm", "baseline", "--out", model])
        #expect(status == 1)
        #expect(err.contains("\(model): another Finch process is writing to this folder"), "\(err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: model) == [OutputFolderLock.fileName])
        withExtendedLifetime(lock) {}
    }

    @Test func aFailedTrainingLeavesNoFolderBehind() throws {
        let box = try Sandbox()
        let (status, _, _) = try RecommendCLI.run([
            "train", "--ratings", box.path("missing.csv"), "--algorithm", "svd", "--out", box.path("model"),
        ])
        #expect(status == 1)
        #expect(try box.fingerprint().isEmpty)
    }

    // MARK: item 3 — diverged training is an error and saves nothing

    @Test(arguments: [
        ["svd", "--lr", "1e6"], ["svdpp", "--lr", "1e6"], ["bpr", "--lr", "1e6"], ["baseline", "--param", "method=sgd", "--lr", "1e6"],
        ["als", "--alpha", "1e30"],
    ])
    func divergedTrainingStopsNamingTheEpochAndSavesNothing(_ options: [String]) throws {
        let box = try Sandbox()
        let (status, out, err) = try RecommendCLI.run(
            ["train", "--ratings", ratings, "--out", box.path("model"), "--algorithm"] + options)
        #expect(status == 1)
        #expect(out.isEmpty)
        #expect(err.contains("\(options[0]) training diverged at epoch "), "\(err)")
        #expect(err.contains("became NaN or infinite; likely cause: "))
        #expect(err.contains("Nothing was saved"))
        #expect(try box.fingerprint().isEmpty)
    }

    @Test func itemKNNOnExtremeRatingsStopsInsteadOfSavingNaNSimilarities() throws {
        let box = try Sandbox()
        var lines = ["userId,itemId,rating"]
        let values = ["-3e38", "3e38", "1e38"]
        for u in 0..<8 { for i in 0..<6 where (u * 5 + i * 3) % 10 < 7 { lines.append("u\(u),i\(i),\(values[(u * 7 + i * 11) % 3])") } }
        let file = try box.write("r.csv", lines.joined(separator: "\n") + "\n")
        let (status, _, err) = try RecommendCLI.run([
            "train", "--ratings", file, "--algorithm", "itemknn", "--rating-scale=-3.4e38,3.4e38", "--out", box.path("model"),
        ])
        #expect(status == 1)
        #expect(err.contains("itemknn training diverged"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: box.path("model")))
    }

    @Test func evaluateOfADivergingModelFailsInsteadOfPrintingNaN() throws {
        let (status, out, err) = try RecommendCLI.run([
            "evaluate", "--ratings", ratings, "--algorithm", "svd", "--lr", "1e6", "--folds", "2",
        ])
        #expect(status == 1)
        #expect(!out.contains("nan"))
        #expect(err.contains("svd training diverged at epoch 1"), "\(err)")
    }

    @Test func aTimestampReadAsTheRatingDoesNotProduceAModel() throws {
        let box = try Sandbox()
        let (status, _, err) = try RecommendCLI.run([
            "train", "--ratings", ratings, "--algorithm", "svd", "--rating-column", "timestamp", "--out", box.path("model"),
        ])
        #expect(status == 1)
        #expect(err.contains("diverged"), "\(err)")
        #expect(try box.fingerprint().isEmpty)
    }

    // MARK: item 10 — rating scales

    @Test func theInferredScaleIsSaidAndAStrayValueIsRejected() throws {
        let box = try Sandbox()
        let (okStatus, _, okErr) = try RecommendCLI.run(["train", "--ratings", ratings, "--algorithm", "baseline", "--out", box.path("m")])
        #expect(okStatus == 0)
        #expect(okErr.contains("rating scale inferred from the data: [1.0, 5.0] (set it with --rating-scale LOW,HIGH)"))
        var rows = (0..<40).map { "{\"userId\": \"u\($0 % 7)\", \"itemId\": \"i\($0 % 5)\", \"rating\": \(1 + $0 % 5)}" }
        rows.insert("{\"userId\": \"x\", \"itemId\": \"y\", \"rating\": 1.2e29}", at: 17)
        let file = try box.write("r.jsonl", rows.joined(separator: "\n") + "\n")
        let (status, _, err) = try RecommendCLI.run(["train", "--ratings", file, "--algorithm", "svd", "--out", box.path("stray")])
        #expect(status == 1)
        #expect(err.contains("\(file):18: field 'rating' is 1.2e+29, far outside the bulk of the ratings"), "\(err)")
        #expect(err.contains("--rating-scale LOW,HIGH"))
        #expect(!FileManager.default.fileExists(atPath: box.path("stray")))
        let (scaled, _, scaledErr) = try RecommendCLI.run([
            "train", "--ratings", file, "--algorithm", "baseline", "--rating-scale", "1,5", "--out", box.path("scaled"),
        ])
        #expect(scaled == 1)
        #expect(scaledErr.contains("\(file):18: field 'rating' is 1.2e+29, outside [1.0, 5.0]"), "\(scaledErr)")
    }

    @Test func foldInChecksRatingsAgainstTheModelsScaleAndChangesNothingOnError() throws {
        let box = try Sandbox()
        let model = box.path("model")
        #expect(try RecommendCLI.run(["train", "--ratings", ratings, "--algorithm", "svd", "--factors", "3", "--out", model]).status == 0)
        let update = try box.write("new.csv", "userId,itemId,rating\nnewcomer,i1,4\nnewcomer,i2,9\n")
        let before = try box.fingerprint()
        let (status, _, err) = try RecommendCLI.run(["fold-in", "--model", model, "--ratings", update])
        #expect(status == 1)
        #expect(err.contains("\(update):3: field 'rating' is 9.0, outside [1.0, 5.0]"), "\(err)")
        #expect(try box.fingerprint() == before)
    }

    // MARK: item 4 and options — rejected at parse time, before any file is read

    @Test(arguments: [
        (["top", "--model", "/nonexistent", "--user", "u1", "-k", "0"], "--top-k must be at least 1, got 0"),
        (["top", "--model", "/nonexistent", "--user", "u1", "--top-k=-5"], "--top-k must be at least 1, got -5"),
        (["top", "--model", "/nonexistent", "--user", "u1", "--explain", "--reasons=-1"], "--reasons must be 0 or more, got -1"),
        (["similar", "--model", "/nonexistent", "--item", "i1", "-k", "0"], "--top-k must be at least 1, got 0"),
        (
            ["evaluate", "--ratings", "/nonexistent.csv", "--algorithm", "als", "--metrics", "ranking", "--k=-3"],
            "--k must be at least 1, got -3"
        ),
        (["train", "--ratings", "/nonexistent.csv", "--algorithm", "knn", "--out", "/nonexistent-out"], "unknown algorithm 'knn'"),
        (["evaluate", "--ratings", "/nonexistent.csv", "--algorithm", "knn"], "unknown algorithm 'knn'"),
        (
            ["evaluate", "--ratings", "/nonexistent.csv", "--algorithm", "svd", "--split", "holdout"],
            "The value 'holdout' is invalid for '--split <split>'"
        ),
        (
            ["evaluate", "--ratings", "/nonexistent.csv", "--algorithm", "svd", "--metrics", "auc"],
            "The value 'auc' is invalid for '--metrics <metrics>'"
        ),
        (["evaluate", "--ratings", "/nonexistent.csv", "--algorithm", "svd", "--folds", "1"], "--folds must be at least 2, got 1"),
    ])
    func badOptionsAreRejectedBeforeAnyWork(_ arguments: [String], _ message: String) throws {
        let (status, out, err) = try RecommendCLI.run(arguments)
        #expect(status == 64)
        #expect(out.isEmpty)
        #expect(err.contains(message), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent-out"))
    }

    // MARK: item 11 — messages about the ratings file

    @Test func jsonLinesFieldsOfTheWrongTypeSaySo() throws {
        let box = try Sandbox()
        let notNumber = try box.write(
            "a.jsonl", "{\"userId\": 1, \"itemId\": 2, \"rating\": 4}\n{\"userId\": 1, \"itemId\": 3, \"rating\": \"x\"}\n")
        let (s1, _, e1) = try RecommendCLI.run(["train", "--ratings", notNumber, "--algorithm", "baseline", "--out", box.path("m1")])
        #expect(s1 == 1)
        #expect(e1.contains("\(notNumber):2: field 'rating' is not a number: 'x'"), "\(e1)")
        let notString = try box.write("b.jsonl", "{\"userId\": true, \"itemId\": 2, \"rating\": 4}\n")
        let (s2, _, e2) = try RecommendCLI.run(["train", "--ratings", notString, "--algorithm", "baseline", "--out", box.path("m2")])
        #expect(s2 == 1)
        #expect(e2.contains("\(notString):1: field 'userId' is not a string or an integer (found a boolean)"), "\(e2)")
        #expect(!FileManager.default.fileExists(atPath: box.path("m1")) && !FileManager.default.fileExists(atPath: box.path("m2")))
    }

    @Test func nonUTF8InARatingsCSVIsRejectedWithFileAndLine() throws {
        let box = try Sandbox()
        let file = try box.write("r.csv", bytes: Array("userId,itemId,rating\na,x,4\nb,".utf8) + [0xC3, 0x28] + Array(",3\n".utf8))
        let (status, _, err) = try RecommendCLI.run(["evaluate", "--ratings", file, "--algorithm", "baseline", "--folds", "2"])
        #expect(status == 1)
        #expect(err.contains("\(file):3: field 'itemId' is not valid UTF-8"), "\(err)")
    }
}
