import FinchSupport
import FinchTensor
import FinchTestSupport
import FinchTransformers
import Foundation
import Testing

@testable import FinchApps

@Suite struct SemanticIndexTests {
    @Test func topKIsAPartialSortWithStableTies() {
        let values: [Float] = [0.1, 0.9, 0.5, 0.9, -1, 0.7]
        #expect(TopK.largest(values, count: 3).map(\.index) == [1, 3, 5])
        #expect(TopK.largest(values, count: 10).map(\.index) == [1, 3, 5, 2, 0, 4])
        #expect(TopK.largest([], count: 2).map(\.index).isEmpty)
        var rng = FinchRNG(seed: 4)
        let many = (0..<1000).map { _ in rng.nextNormal() }
        #expect(TopK.largest(many, count: 25).map(\.index) == Array(many.indices.sorted { many[$0] > many[$1] }.prefix(25)))
    }

    @Test func searchRanksByCosine() {
        let entries = (0..<3).map { CorpusEntry(id: "\($0)", text: "t\($0)") }
        let index = SemanticIndex(entries: entries, vectors: Tensor(shape: [3, 2], values: [1, 0, 0, 5, 3, 3]))
        let hits = index.search(Tensor([0, 1]), topK: 2)
        #expect(hits.map(\.id) == ["1", "2"])
        #expect(Swift.abs(hits[0].score - 1) < 1e-6 && Swift.abs(hits[1].score - 0.5.squareRoot()) < 1e-6)
    }

    @Test func corpusFormatsAndErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lines = dir.appendingPathComponent("faq.txt")
        try "How do I reset my password?\n\nWhere is my order?\n".write(to: lines, atomically: true, encoding: .utf8)
        #expect(
            try CorpusIndexStore.readCorpus(lines) == [
                CorpusEntry(id: "1", text: "How do I reset my password?"),
                CorpusEntry(id: "3", text: "Where is my order?"),
            ])
        let jsonl = dir.appendingPathComponent("faq.jsonl")
        try "{\"id\": \"q7\", \"text\": \"Refunds\"}\n{\"id\": 8, \"text\": \"Shipping\"}\n".write(
            to: jsonl, atomically: true, encoding: .utf8)
        #expect(try CorpusIndexStore.readCorpus(jsonl).map(\.id) == ["q7", "8"])
        try "{\"id\": 1}\n".write(to: jsonl, atomically: true, encoding: .utf8)
        #expect(throws: SearchError.badLine(path: jsonl.path, line: 1, reason: "missing string field \"text\"")) {
            try CorpusIndexStore.readCorpus(jsonl)
        }
        try "\n\n".write(to: lines, atomically: true, encoding: .utf8)
        #expect(throws: SearchError.emptyCorpus(path: lines.path)) { try CorpusIndexStore.readCorpus(lines) }
    }

    /// An index read back from its file holds exactly the vectors that were written (regression:
    /// loading normalized the already unit-length rows a second time, moving the last bit of some).
    @Test func aLoadedIndexEqualsTheSavedOneBitForBit() throws {
        let model = TestSupport.fixtureURL("tiny-bert-wordpiece")
        let embedder = try TextEmbedder(directory: model)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-tiny-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.txt")
        var rng = FinchRNG(seed: 9)
        let words = ["john", "paris", "visited", "and", "london", "the", "smith", "a", "b", "c"]
        let lines = (0..<40).map { _ in (0..<(1 + Int(rng.nextUniform() * 6))).map { _ in words[Int(rng.nextUniform() * 10) % 10] } }
        try lines.map { $0.joined(separator: " ") }.joined(separator: "\n").write(to: corpus, atomically: true, encoding: .utf8)
        let (saved, built) = try CorpusIndexStore.loadOrBuild(corpus: corpus, modelDirectory: model, embedder: embedder)
        let (loaded, rebuilt) = try CorpusIndexStore.loadOrBuild(corpus: corpus, modelDirectory: model, embedder: embedder)
        #expect(built && !rebuilt)
        #expect(loaded.vectors.shape == saved.vectors.shape)
        let changed = zip(loaded.vectors.scalars, saved.vectors.scalars).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(changed == 0, "\(changed) of \(saved.vectors.count) values differ after loading")
        // Rows given as unit vectors are kept as they are; other rows are normalized once.
        let unit = SemanticIndex(entries: saved.entries, unitVectors: saved.vectors)
        #expect(zip(unit.vectors.scalars, saved.vectors.scalars).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test func realModelFindsTheRightFAQAndRebuildsOnChange() throws {
        let model = try TestSupport.miniLMDirectory()
        let embedder = try TextEmbedder(directory: model)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-faq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let corpus = dir.appendingPathComponent("faq.txt")
        try ["How do I reset my password?", "Where can I track my order?", "Do you ship to Canada?", "How do I cancel my subscription?"]
            .joined(separator: "\n").write(to: corpus, atomically: true, encoding: .utf8)
        let (index, built) = try CorpusIndexStore.loadOrBuild(corpus: corpus, modelDirectory: model, embedder: embedder)
        #expect(built)
        #expect(index.search(try embedder.embed(["I forgot my login password"]), topK: 1).first?.id == "1")
        #expect(index.search(try embedder.embed(["stop my monthly plan"]), topK: 1).first?.id == "4")
        let (again, rebuilt) = try CorpusIndexStore.loadOrBuild(corpus: corpus, modelDirectory: model, embedder: embedder)
        #expect(!rebuilt)
        #expect(again.vectors.scalars == index.vectors.scalars)
        try "Where can I track my order?\nWhat payment methods do you accept?".write(to: corpus, atomically: true, encoding: .utf8)
        let (changed, rebuiltAfterEdit) = try CorpusIndexStore.loadOrBuild(corpus: corpus, modelDirectory: model, embedder: embedder)
        #expect(rebuiltAfterEdit && changed.entries.count == 2)
    }
}
