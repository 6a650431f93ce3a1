import Foundation
import Testing

/// `finch train image` on a tiny digits slice (Tests/Fixtures/images/digits-tiny, from
/// `Scripts/make_digits_folders.py --fixture`), then `evaluate` and `predict` on the model.
@Suite struct ImageCLITests {
    static var tiny: String { TrainCLITests.fixture("images/digits-tiny") }

    static func lossRecords(_ out: String) throws -> [Double] {
        try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try TrainCLITests.json($0) }.filter { $0["kind"] as? String == "train" }
            .compactMap { $0["loss"] as? Double }
    }

    @Test func trainEvaluatePredictLeNet() throws {
        let out = TrainCLITests.temp()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, stdout, stderr) = try CLI.run([
            "train", "image", "--data", Self.tiny + "/train", "--dev", Self.tiny + "/dev", "--model", "lenet", "--out", out,
            "--epochs", "12", "--batch-size", "8", "--lr", "0.01", "--logging-steps", "1", "--crop-padding", "1", "--seed", "3",
        ])
        #expect(status == 0, "\(stderr)")
        #expect(stdout.contains("note: color mode gray, as the first training image"), "\(stdout)")
        #expect(stdout.contains("note: input size 8x8, as the first training image"))
        #expect(stdout.contains("              precision    recall  f1-score   support"))
        for file in ["config.json", "model.safetensors", "metrics.jsonl", "training_curves.svg", "README.md", "checkpoint", "best"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        let config = try TrainCLITests.json(Substring(try String(contentsOfFile: out + "/config.json", encoding: .utf8)))
        #expect(config["finch_task"] as? String == "image-classification")
        #expect(config["architecture"] as? String == "lenet")
        #expect(config["classes"] as? [String] == ["0", "1", "7"])
        #expect(config["image_size"] as? [Int] == [8, 8])
        #expect((config["mean"] as? [Double])?.count == 1)

        // 36 steps logged; the loss of the last epoch is well below the first's.
        let losses = try Self.lossRecords(out)
        try #require(losses.count == 36, "\(losses)")
        let first = losses.prefix(3).reduce(0, +) / 3, last = losses.suffix(3).reduce(0, +) / 3
        #expect(last < 0.5 * first, "loss \(first) → \(last)")

        // evaluate on the CSV list of the same dev images; predict's labels give the same accuracy.
        let (es, eout, eerr) = try CLI.run(["evaluate", "--model", out, "--data", Self.tiny + "/dev.csv", "--json"])
        #expect(es == 0, "\(eerr)")
        let metrics = try TrainCLITests.json(Substring(eout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let accuracy = try #require(metrics["accuracy"] as? Double)
        #expect(accuracy >= 0.75, "dev accuracy \(accuracy)")
        let rows = try String(contentsOfFile: Self.tiny + "/dev.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map(String.init) }
        let paths = rows.map { Self.tiny + "/" + $0[0] }
        let (ps, pout, perr) = try CLI.run(["predict", "--model", out] + paths)
        #expect(ps == 0, "\(perr)")
        let predictions = try pout.split(separator: "\n").map { try TrainCLITests.json($0) }
        try #require(predictions.count == rows.count)
        let correct = zip(predictions, rows).filter { $0.0["label"] as? String == $0.1[1] }.count
        #expect(abs(accuracy - Double(correct) / Double(rows.count)) < 1e-12)
        for p in predictions {
            let scores = try #require(p["scores"] as? [String: Double])
            #expect(Set(scores.keys) == ["0", "1", "7"] && abs(scores.values.reduce(0, +) - 1) < 1e-5)
        }
        // Paths on stdin give the same answers.
        let (ss, sout, _) = try CLI.run(["predict", "--model", out], stdin: paths.joined(separator: "\n") + "\n")
        #expect(ss == 0 && sout == pout)
        // The text report has the same accuracy.
        let (_, report, _) = try CLI.run(["evaluate", "--model", out, "--data", Self.tiny + "/dev"])
        #expect(report.contains("    accuracy") && report.contains(" 12\n"))
    }

    @Test func badImageIsNamed() throws {
        let data = TrainCLITests.temp(), out = TrainCLITests.temp()
        defer {
            try? FileManager.default.removeItem(atPath: data)
            try? FileManager.default.removeItem(atPath: out)
        }
        let fm = FileManager.default
        for c in ["a", "b"] { try fm.createDirectory(atPath: data + "/" + c, withIntermediateDirectories: true) }
        try fm.copyItem(atPath: TrainCLITests.fixture("images/digits-tiny/train/0/0000.png"), toPath: data + "/a/1.png")
        try fm.copyItem(atPath: TrainCLITests.fixture("images/bad-truncated.jpg"), toPath: data + "/b/2.jpg")
        let (status, _, stderr) = try CLI.run(["train", "image", "--data", data, "--out", out])
        #expect(status == 1)
        #expect(stderr.contains(data + "/b/2.jpg: corrupt image: Premature end of JPEG file"), "\(stderr)")
    }

    @Test func resnet8WithSGDAndAugmentationIsDeterministicBySeed() throws {
        let runs = [TrainCLITests.temp(), TrainCLITests.temp(), TrainCLITests.temp()]
        defer { for r in runs { try? FileManager.default.removeItem(atPath: r) } }
        for (out, seed) in zip(runs, ["5", "5", "6"]) {
            let (status, _, stderr) = try CLI.run([
                "train", "image", "--data", Self.tiny + "/train", "--dev", Self.tiny + "/dev.csv", "--model", "resnet8", "--out", out,
                "--batch-size", "8", "--epochs", "2", "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.05", "--flip",
                "--crop-padding", "2", "--seed", seed, "--logging-steps", "1",
            ])
            #expect(status == 0, "\(stderr)")
        }
        let config = try TrainCLITests.json(Substring(try String(contentsOfFile: runs[0] + "/config.json", encoding: .utf8)))
        #expect(config["architecture"] as? String == "resnet8")
        let losses = try Self.lossRecords(runs[0])
        #expect(losses.count == 6 && losses.allSatisfy { $0.isFinite })
        let weights = try runs.map { try Data(contentsOf: URL(fileURLWithPath: $0 + "/model.safetensors")) }
        #expect(weights[0] == weights[1], "same seed, same augmentation and batches, same weights")
        #expect(weights[0] != weights[2])
    }
}
