import FinchServer
import FinchTrain
import Foundation
import GRDB
import Testing

/// `runs.sqlite`: what a run records reads back the same, across processes and reopenings.
@Suite struct SQLiteRunStoreTests {
    static func folder() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("finch-runs-\(UUID().uuidString)") }

    static let start = RunStoreContract.start

    @Test func aRunReadsBackAsRecorded() throws {
        let dir = Self.folder()
        let store = try SQLiteRunStore(folder: dir)
        #expect(store.path == dir.appendingPathComponent("runs.sqlite").path)
        #expect(try store.journalMode() == "wal")
        let ids = try RunStoreContract.aRunReadsBackAsRecorded(store) {
            try store.close()
            return try SQLiteRunStore(folder: dir)
        }
        #expect(ids.first == 1 && ids.second == 2)
    }

    @Test func lostRunsOfThisHostOnlyAreMarkedFailed() throws {
        try RunStoreContract.lostRunsOfThisHostOnlyAreMarkedFailed(try SQLiteRunStore(folder: Self.folder()))
    }

    @Test func theInMemoryStoreKeepsTheSameContract() throws {
        let store = InMemoryRunStore()
        try RunStoreContract.aRunReadsBackAsRecorded(store) { store }
        try RunStoreContract.lostRunsOfThisHostOnlyAreMarkedFailed(store)
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
