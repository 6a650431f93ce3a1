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
        #expect(try CorpusIndexStore.readCorpus(lines) == [CorpusEntry(id: "1", text: "How do I reset my password?"),
                                                           CorpusEntry(id: "3", text: "Where is my order?")])
        let jsonl = dir.appendingPathComponent("faq.jsonl")
        try "{\"id\": \"q7\", \"text\": \"Refunds\"}\n{\"id\": 8, \"text\": \"Shipping\"}\n".write(to: jsonl, atomically: true, encoding: .utf8)
        #expect(try CorpusIndexStore.readCorpus(jsonl).map(\.id) == ["q7", "8"])
        try "{\"id\": 1}\n".write(to: jsonl, atomically: true, encoding: .utf8)
        #expect(throws: SearchError.badLine(path: jsonl.path, line: 1, reason: "missing string field \"text\"")) {
            try CorpusIndexStore.readCorpus(jsonl)
        }
        try "\n\n".write(to: lines, atomically: true, encoding: .utf8)
        #expect(throws: SearchError.emptyCorpus(path: lines.path)) { try CorpusIndexStore.readCorpus(lines) }
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
