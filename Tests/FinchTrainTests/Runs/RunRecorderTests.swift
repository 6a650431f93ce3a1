import FinchSupport
import Foundation
import Synchronization
import Testing

@testable import FinchTrain

/// Recording a run from the trainer's events, and marking lost runs failed.
@Suite struct RunRecorderTests {
    static func step(_ n: Int, loss: Double, norm: Double? = nil) -> TrainingEvent {
        .step(
            StepProgress(
                step: n, totalSteps: 10, epoch: Double(n) / 5, loss: loss, learningRate: 1e-3 * Double(n), gradientNorm: norm,
                stepsPerSecond: 1, secondsRemaining: 1))
    }

    static func start(bestMetric: String? = "accuracy", process: RunProcess = .current) -> RunStart {
        RunStart(
            kind: "train-classify", model: "tiny", command: "finch train classify", outputDirectory: "/tmp/out",
            parameters: ["lr": "0.01", "epochs": "3"], dataHashes: [RunDataHash(role: "train", path: "t.csv", sha256: "ab")],
            bestMetric: bestMetric, process: process, startedAt: Date(timeIntervalSince1970: 1_000))
    }

    @Test func stepsAndEvaluationsAreRecordedAsTheyCome() throws {
        let store = InMemoryRunStore()
        let recorder = try RunRecorder(store: store, start: Self.start())
        #expect(recorder.id == 1)
        #expect(try store.run(id: 1)?.status == .running)
        recorder.observe(.started(totalSteps: 10, startStep: 0, examples: 40, epochs: 2))
        recorder.observe(Self.step(1, loss: 0.9, norm: 2.5))
        recorder.observe(Self.step(2, loss: 0.7))
        // Recorded before the run ends: a kill now keeps these.
        #expect(try store.points(run: 1).filter { $0.name == "loss" }.map(\.value) == [0.9, 0.7])
        recorder.observe(.evaluated(step: 2, epoch: 0.4, metrics: ["accuracy": 0.6, "loss": 0.65], isBest: true))
        recorder.observe(Self.step(3, loss: 0.5))
        recorder.observe(.evaluated(step: 3, epoch: 0.6, metrics: ["accuracy": 0.5, "loss": 0.7], isBest: false))
        let running = try #require(try store.run(id: 1))
        #expect(running.steps == 3)
        #expect(running.best == RunBest(metric: "accuracy", value: 0.6, step: 2))
        let points = try store.points(run: 1)
        #expect(points.filter { $0.name == "grad_norm" } == [RunMetricPoint(step: 1, epoch: 0.2, name: "grad_norm", value: 2.5)])
        #expect(points.filter { $0.name == "eval_accuracy" }.map(\.value) == [0.6, 0.5])
        #expect(points.filter { $0.name == "lr" }.map(\.value) == [1e-3, 2e-3, 3e-3])

        try recorder.finish(.finished, finalMetrics: ["accuracy": 0.5], artefacts: [RunArtefact(name: "model", path: "/tmp/out/m")])
        // Once ended, a run takes no more events and no second end.
        recorder.observe(Self.step(4, loss: 0.1))
        try recorder.finish(.failed, error: "late")
        let done = try #require(try store.run(id: 1))
        #expect(done.status == .finished && done.error == nil && done.steps == 3)
        #expect(done.finalMetrics == ["accuracy": 0.5])
        #expect(done.artefacts == [RunArtefact(name: "model", path: "/tmp/out/m")])
        #expect(done.finishedAt != nil)
    }

    @Test func aStoreThatFailsStopsRecordingAndSaysWhy() throws {
        let store = FailingAfterBegin()
        let recorder = try RunRecorder(store: store, start: Self.start())
        #expect(recorder.recordingError == nil)
        recorder.observe(Self.step(1, loss: 1))
        recorder.observe(Self.step(2, loss: 1))
        #expect(recorder.recordingError == "disk full")
        #expect(store.recordCalls.withLock { $0 } == 1)  // the first failure stops recording
    }

    @Test func aRunWhoseProcessIsGoneIsMarkedFailed() throws {
        let store = InMemoryRunStore()
        let here = RunProcess.current
        // A pid that no process has (above the kernel's pid_max).
        var gone = here
        gone.pid = 99_999_999
        // This very pid, started at another time: the pid was reused.
        var reused = here
        reused.startTicks = (here.startTicks ?? 0) + 1
        var elsewhere = gone
        elsewhere.host = here.host + "-other"
        for p in [gone, reused, elsewhere, here] { _ = try RunRecorder(store: store, start: Self.start(process: p)) }
        let ended = try RunRecorder(store: store, start: Self.start(process: gone))
        try ended.finish(.finished)

        let all = try store.runsMarkingLost()
        #expect(all.map(\.id) == [5, 4, 3, 2, 1])
        #expect(all.map(\.status) == [.finished, .running, .running, .failed, .failed])
        #expect(all[4].error?.contains("pid 99999999") == true)
        // Marked in the store, not only shown.
        #expect(try store.run(id: 1)?.status == .failed)
        #expect(gone.isAlive() == false && reused.isAlive() == false && elsewhere.isAlive() == nil && here.isAlive() == true)
        // A live process of this host (pid 1) is alive.
        var initProcess = here
        initProcess.pid = 1
        initProcess.startTicks = nil
        #expect(initProcess.isAlive() == true)
        #expect(try store.runMarkingLost(id: 4)?.status == .running)
    }

    @Test func durationRunsToTheEndOrToTheLastEvent() throws {
        let store = InMemoryRunStore()
        let id = try store.begin(Self.start())
        try store.record(run: id, points: [], best: nil, at: Date(timeIntervalSince1970: 1_042))
        #expect(try store.run(id: id)?.seconds == 42)
        try store.finish(run: id, status: .finished, finalMetrics: [:], artefacts: [], error: nil, at: Date(timeIntervalSince1970: 1_100))
        #expect(try store.run(id: id)?.seconds == 100)
    }

    @Test func configurationParametersArePinned() {
        var c = TrainingConfiguration()
        c.evaluation = .steps(7)
        c.earlyStoppingPatience = 2
        c.maxGradNorm = nil
        let p = c.runParameters
        #expect(p["evaluation"] == "steps:7" && p["early_stopping_patience"] == "2")
        #expect(p["learning_rate"] == "5e-05" && p["batch_size"] == "8" && p["epochs"] == "3" && p["seed"] == "42")
        #expect(p["max_grad_norm"] == nil && p["metric_for_best_model"] == "loss")
    }

    @Test func theDefaultRunsFolderIsUnderHome() {
        #expect(RunsFolder.defaultFolder(environment: ["HOME": "/home/ann"]).path == "/home/ann/.finch/runs")
        #expect(RunsFolder.defaultFolder(environment: [:]).path.hasSuffix("/.finch/runs"))
        #expect(RunsFolder.environmentVariable == "FINCH_RUNS_DIR")
    }

    @Test func folderHashesChangeWithAnyFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-runhash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cat"), withIntermediateDirectories: true)
        try Data("a".utf8).write(to: dir.appendingPathComponent("cat/1.png"))
        try Data("b".utf8).write(to: dir.appendingPathComponent("cat/2.png"))
        let first = try RunDataHash.measure(role: "data", path: dir.path)
        #expect(first.sha256.count == 64 && first.role == "data" && first.path == dir.path)
        #expect(try RunDataHash.measure(role: "data", path: dir.path) == first)
        try Data("c".utf8).write(to: dir.appendingPathComponent("cat/2.png"))
        let changed = try RunDataHash.measure(role: "data", path: dir.path)
        #expect(changed.sha256 != first.sha256)
        try FileManager.default.moveItem(at: dir.appendingPathComponent("cat/2.png"), to: dir.appendingPathComponent("cat/3.png"))
        #expect(try RunDataHash.measure(role: "data", path: dir.path).sha256 != changed.sha256)
        // A file's hash is its SHA-256: of "a".
        #expect(
            try RunDataHash.measure(role: "train", path: dir.appendingPathComponent("cat/1.png").path).sha256
                == "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")
        #expect(throws: DataError.self) { try RunDataHash.measure(role: "x", path: dir.appendingPathComponent("nope").path) }
    }
}

/// A store whose records fail after the run began (a full disk).
final class FailingAfterBegin: RunStore {
    struct Full: Error, CustomStringConvertible { var description: String { "disk full" } }
    let recordCalls = Mutex(0)

    func begin(_ start: RunStart) throws -> Int { 1 }
    func record(run: Int, points: [RunMetricPoint], best: RunBest?, at date: Date) throws {
        recordCalls.withLock { $0 += 1 }
        throw Full()
    }
    func finish(run: Int, status: RunStatus, finalMetrics: [String: Double], artefacts: [RunArtefact], error: String?, at date: Date)
        throws
    {}
    func markFailed(run: Int, reason: String, at date: Date) throws -> Bool { false }
    func runs() throws -> [RecordedRun] { [] }
    func run(id: Int) throws -> RecordedRun? { nil }
    func points(run: Int) throws -> [RunMetricPoint] { [] }
}
