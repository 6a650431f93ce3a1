import FinchNN
import Foundation
import Testing

/// `finch train classify --distributed mpi`: two ranks equal one process with the same
/// global batch; a killed rank fails the job and `--resume` finishes it.
@Suite(.serialized) struct DistributedTrainingCLITests {
    static func temp() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("finch-ddp-\(UUID().uuidString)").path }

    /// 43 training examples, batches of 5 → 9 batches an epoch, 2 per step → 5 steps an
    /// epoch, 10 AdamW steps in all; the last step of an epoch has one batch of 3 (split
    /// 1 + 2 across two ranks). Clipping at 0.5 is active (the tiny model's norms are above).
    static func arguments(out: String) -> [String] {
        [
            "train", "classify", "--model", TrainCLITests.model, "--train", TrainCLITests.fixture("tiny-sentiment.csv"), "--out", out,
            "--epochs", "2", "--batch-size", "5", "--gradient-accumulation-steps", "2", "--lr", "1e-2", "--max-length", "16",
            "--max-grad-norm", "0.5", "--logging-steps", "1", "--checkpoint-steps", "2", "--distributed", "mpi",
        ]
    }

    /// The reference: one process, the same global batch (MPI singleton, one rank).
    static func reference() async throws -> String {
        let out = temp()
        let command = [CLI.binary.path] + arguments(out: out)
        let (status, _, stderr) = try await offPool { try MPIRun.run(command, environment: MPIRun.environment) }
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("training on 43 examples, 2 epochs, 10 steps"), "\(stderr)")
        return out
    }

    static func weights(_ out: String) throws -> [String: [Float]] {
        try SafetensorsFile(contentsOf: URL(fileURLWithPath: out + "/checkpoint/model.safetensors")).tensors().mapValues(\.scalars)
    }

    /// The largest absolute difference between two runs' final parameters.
    static func maxDifference(_ a: String, _ b: String) throws -> Float {
        let wa = try weights(a), wb = try weights(b)
        #expect(Set(wa.keys) == Set(wb.keys) && !wa.isEmpty)
        var worst: Float = 0
        for (name, values) in wa {
            let other = try #require(wb[name])
            #expect(values.count == other.count, "\(name)")
            for (x, y) in zip(values, other) { worst = Swift.max(worst, Swift.abs(x - y)) }
        }
        return worst
    }

    static func losses(_ out: String) throws -> [Double] {
        try String(contentsOfFile: out + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try TrainCLITests.json($0) }.filter { $0["kind"] as? String == "train" }.compactMap { $0["loss"] as? Double }
    }

    @Test func twoRanksEqualOneProcess() async throws {
        let reference = try await Self.reference()
        let out = Self.temp()
        // Buckets of 1 KB (256 floats): many messages, and the embeddings (99 × 32) go in pieces.
        let runs = out + "-runs"
        let (status, stdout, stderr) = try await offPool {
            try MPIRun.local(ranks: 2, Self.arguments(out: out) + ["--bucket-mb", "0.0009765625", "--runs", runs])
        }
        #expect(status == 0, "\(stderr)")
        // Rank 0 alone records the run, with every step.
        let (ls, listed, _) = try await CLI.runAsync(["runs", "list", "--runs", runs, "--json"])
        let recorded = try listed.split(separator: "\n").map { try RunsCLITests.json(String($0)) }
        #expect(ls == 0 && recorded.count == 1, "\(listed)")
        #expect(recorded.first?["steps"] as? Int == 10 && recorded.first?["status"] as? String == "finished")
        #expect((recorded.first?["parameters"] as? [String: String])?["processes"] == "2")
        // Rank 0 alone talks: one report, one progress header.
        #expect(stdout.components(separatedBy: "evaluation after the last epoch").count == 2, "\(stdout)")
        #expect(stderr.components(separatedBy: "training on 43 examples").count == 2, "\(stderr)")
        #expect(try Self.maxDifference(reference, out) <= 1e-5)
        let (a, b) = (try Self.losses(reference), try Self.losses(out))
        #expect(a.count == 10 && b.count == 10)
        #expect(zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 1e-5 }, "\(a) vs \(b)")
        // Training did move the weights (the comparison is not between two copies of the start).
        let start = try SafetensorsFile(contentsOf: URL(fileURLWithPath: TrainCLITests.model + "/model.safetensors")).tensors()
        let end = try Self.weights(out)
        let moved = start.filter { name, t in
            (end[name] ?? end["bert." + name]).map { zip($0, t.scalars).contains { Swift.abs($0 - $1) > 1e-3 } } ?? false
        }
        #expect(moved.count > start.count / 2, "\(moved.count) of \(start.count) pretrained tensors changed")
    }

    @Test func killedRankFailsTheJobAndResumeFinishesIt() async throws {
        let reference = try await Self.reference()
        let out = Self.temp()
        // Rank 1 is killed (SIGKILL) after step 7; rank 0 waits in the next allreduce until mpirun ends it.
        let (status, _, stderr) = try await offPool {
            try MPIRun.local(ranks: 2, Self.arguments(out: out), extraEnvironment: ["FINCH_FAULT_KILL_RANK_AFTER_STEP": "1:7"])
        }
        #expect(status != 0)
        #expect(stderr.contains("rank 0 of 2 was stopped by mpirun"), "\(stderr)")
        #expect(stderr.contains("with --resume"), "\(stderr)")
        let saved = try TrainCLITests.json(
            Substring(try String(contentsOfFile: out + "/checkpoint/trainer_state.json", encoding: .utf8)))
        let step = try #require(saved["global_step"] as? Int ?? saved["globalStep"] as? Int, "\(saved)")
        #expect(step >= 6 && step < 10)
        let (resumed, _, resumeErr) = try await offPool { try MPIRun.local(ranks: 2, Self.arguments(out: out) + ["--resume"]) }
        #expect(resumed == 0, "\(resumeErr)")
        #expect(resumeErr.contains("resuming at step \(step)"), "\(resumeErr)")
        #expect(try Self.maxDifference(reference, out) <= 1e-5)
    }
}
