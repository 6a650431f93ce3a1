import FinchServer
import FinchTrain
import Foundation
import Testing

/// What every `RunStore` does (SQLite, PostgreSQL, in memory), checked the same way on each. The
/// ids are read relative to the first run begun here: a PostgreSQL database is shared by tests
/// running at once.
enum RunStoreContract {
    static let start = RunStart(
        kind: "train-ner", model: "hf:org/tiny", command: "finch train ner --model hf:org/tiny", outputDirectory: "/tmp/ner",
        parameters: ["learning_rate": "2e-05", "epochs": "3"],
        dataHashes: [RunDataHash(role: "train", path: "t.conll", sha256: "aa"), RunDataHash(role: "dev", path: "d.conll", sha256: "bb")],
        bestMetric: "f1", process: RunProcess(host: "h", bootID: "b", pid: 42, startTicks: 7), startedAt: Date(timeIntervalSince1970: 1_000)
    )

    /// Records a run in `store`, reads it back (also through `reopen`, a second store on the same
    /// data) and returns the ids of the two runs begun.
    @discardableResult
    static func aRunReadsBackAsRecorded(_ store: any RunStore, reopen: () throws -> any RunStore) throws -> (first: Int, second: Int) {
        let id = try store.begin(start)
        try store.record(
            run: id, points: [RunMetricPoint(step: 1, epoch: 0.5, name: "loss", value: 0.9)], best: nil,
            at: Date(timeIntervalSince1970: 1_010))
        try store.record(
            run: id, points: [RunMetricPoint(step: 2, epoch: 1, name: "loss", value: .nan)], best: nil,
            at: Date(timeIntervalSince1970: 1_020))
        try store.record(
            run: id, points: [RunMetricPoint(step: 2, epoch: 1, name: "eval_f1", value: 0.4)],
            best: RunBest(metric: "f1", value: 0.4, step: 2),
            at: Date(timeIntervalSince1970: 1_021))
        // A later value of the same name and step replaces the earlier one.
        try store.record(
            run: id, points: [RunMetricPoint(step: 1, epoch: 0.5, name: "loss", value: 0.8)], best: nil,
            at: Date(timeIntervalSince1970: 1_022))
        let running = try #require(try store.run(id: id))
        #expect(running.start == start)
        #expect(running.status == .running && running.steps == 2 && running.finishedAt == nil)
        #expect(running.best == RunBest(metric: "f1", value: 0.4, step: 2))
        #expect(running.seconds == 22)
        let points = try store.points(run: id)
        #expect(points.map(\.name) == ["loss", "eval_f1", "loss"])
        #expect(points[0].value == 0.8 && points[1].value == 0.4 && points[2].value.isNaN)

        try store.finish(
            run: id, status: .finished, finalMetrics: ["f1": 0.4, "loss": .infinity],
            artefacts: [RunArtefact(name: "folder", path: "/tmp/ner"), RunArtefact(name: "model", path: "/tmp/ner/model.safetensors")],
            error: nil, at: Date(timeIntervalSince1970: 1_030))

        let reopened = try reopen()
        let done = try #require(try reopened.run(id: id))
        #expect(done.status == .finished && done.seconds == 30)
        #expect(done.finalMetrics == ["f1": 0.4])  // JSON keeps no infinity
        #expect(done.artefacts.map(\.name) == ["folder", "model"])
        #expect(try reopened.markFailed(run: id, reason: "x", at: Date()) == false)
        let second = try reopened.begin(start)
        #expect(second > id)
        let ids = try reopened.runs().map(\.id)
        #expect(ids == ids.sorted(by: >), "newest first")
        #expect(ids.contains(id) && ids.contains(second))
        #expect(try reopened.markFailed(run: second, reason: "killed", at: Date()))
        #expect(try reopened.run(id: second)?.error == "killed")
        #expect(try reopened.run(id: second)?.status == .failed)
        let missing = second + 1_000_000
        #expect(try reopened.run(id: missing) == nil)
        #expect(throws: RunStoreError.unknownRun(String(missing))) { try reopened.record(run: missing, points: [], best: nil, at: Date()) }
        #expect(throws: RunStoreError.unknownRun(String(missing))) {
            try reopened.finish(run: missing, status: .finished, finalMetrics: [:], artefacts: [], error: nil, at: Date())
        }
        return (id, second)
    }

    /// A run left `running` by a process gone from this host is marked failed when listed; one
    /// from another host is left as it is (its liveness cannot be checked from here).
    static func lostRunsOfThisHostOnlyAreMarkedFailed(_ store: any RunStore) throws {
        var gone = RunProcess.current
        gone.pid = 99_999_999
        var elsewhere = gone
        elsewhere.host = "another-host-\(UUID().uuidString.prefix(6))"
        let lost = try store.begin(RunStart(kind: "train-classify", model: "tiny", command: "finch train classify", process: gone))
        let remote = try store.begin(RunStart(kind: "train-classify", model: "tiny", command: "finch train classify", process: elsewhere))
        let live = try store.begin(RunStart(kind: "train-classify", model: "tiny", command: "finch train classify"))
        let listed = try store.runsMarkingLost()
        func status(_ id: Int) -> RunStatus? { listed.first { $0.id == id }?.status }
        #expect(status(lost) == .failed && status(remote) == .running && status(live) == .running)
        #expect(try store.run(id: lost)?.status == .failed, "marked in the store, not only in the listing")
        #expect(try store.run(id: remote)?.start.process == elsewhere, "the host, boot and pid are stored")
        #expect(try store.runMarkingLost(id: remote)?.status == .running)
        try store.finish(run: live, status: .finished, finalMetrics: [:], artefacts: [], error: nil, at: Date())
        try store.finish(run: remote, status: .finished, finalMetrics: [:], artefacts: [], error: nil, at: Date())
    }
}
