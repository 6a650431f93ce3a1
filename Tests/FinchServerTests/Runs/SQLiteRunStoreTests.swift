import FinchServer
import FinchTrain
import Foundation
import GRDB
import Testing

/// `runs.sqlite`: what a run records reads back the same, across processes and reopenings.
@Suite struct SQLiteRunStoreTests {
    static func folder() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("finch-runs-\(UUID().uuidString)") }

    static let start = RunStart(
        kind: "train-ner", model: "hf:org/tiny", command: "finch train ner --model hf:org/tiny", outputDirectory: "/tmp/ner",
        parameters: ["learning_rate": "2e-05", "epochs": "3"],
        dataHashes: [RunDataHash(role: "train", path: "t.conll", sha256: "aa"), RunDataHash(role: "dev", path: "d.conll", sha256: "bb")],
        bestMetric: "f1", process: RunProcess(host: "h", bootID: "b", pid: 42, startTicks: 7), startedAt: Date(timeIntervalSince1970: 1_000)
    )

    @Test func aRunReadsBackAsRecorded() throws {
        let dir = Self.folder()
        let store = try SQLiteRunStore(folder: dir)
        #expect(store.path == dir.appendingPathComponent("runs.sqlite").path)
        #expect(try store.journalMode() == "wal")
        let id = try store.begin(Self.start)
        #expect(id == 1)
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
        #expect(running.start == Self.start)
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
        try store.close()

        let reopened = try SQLiteRunStore(folder: dir)
        let done = try #require(try reopened.run(id: id))
        #expect(done.status == .finished && done.seconds == 30)
        #expect(done.finalMetrics == ["f1": 0.4])  // JSON keeps no infinity
        #expect(done.artefacts.map(\.name) == ["folder", "model"])
        #expect(try reopened.markFailed(run: id, reason: "x", at: Date()) == false)
        let second = try reopened.begin(Self.start)
        #expect(second == 2)
        #expect(try reopened.runs().map(\.id) == [2, 1])
        #expect(try reopened.markFailed(run: 2, reason: "killed", at: Date()))
        #expect(try reopened.run(id: 2)?.error == "killed")
        #expect(try reopened.run(id: 3) == nil)
        #expect(throws: RunStoreError.unknownRun("3")) { try reopened.record(run: 3, points: [], best: nil, at: Date()) }
    }

    @Test func twoStoresOnOneFileSeeEachOther() throws {
        let dir = Self.folder()
        let writer = try SQLiteRunStore(folder: dir), reader = try SQLiteRunStore(folder: dir)
        let id = try writer.begin(Self.start)
        try writer.record(run: id, points: [RunMetricPoint(step: 1, epoch: 0, name: "loss", value: 1)], best: nil, at: Date())
        #expect(try reader.points(run: id).count == 1)
        #expect(try reader.run(id: id)?.status == .running)
    }

    @Test func storesOpenedAtOnceOnANewFileApplyTheSchemaOnce() async throws {
        let dir = Self.folder()
        let ids = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    let store = try SQLiteRunStore(folder: dir)
                    defer { try? store.close() }
                    return try store.begin(Self.start)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(ids.sorted() == Array(1...6))
        #expect(try SQLiteRunStore(folder: dir).runs().count == 6)
    }

    @Test func anUnreadableFileIsAnErrorNamingIt() throws {
        let dir = Self.folder()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("not a database, not at all, really not".utf8).write(to: dir.appendingPathComponent("runs.sqlite"))
        #expect {
            _ = try SQLiteRunStore(folder: dir)
        } throws: { error in
            guard case .cannotOpen(let path, _) = error as? RunStoreError else { return false }
            return path.hasSuffix("runs.sqlite")
        }
    }
}
