import ArgumentParser
import FinchApps
import FinchTransformers
import Foundation

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Semantic search: the corpus texts closest to each query on stdin.",
        discussion: """
            The corpus has one text per line, or JSONL objects with "text" and optional "id". Its \
            embeddings are kept beside it in CORPUS.finch-index and rebuilt when the corpus or the \
            model changes. Each stdin line is a query; the answer is one JSON line \
            {"query": ..., "hits": [{"id": ..., "text": ..., "score": ...}]} with cosine scores.
            """)

    @Option(help: "Model directory (Hugging Face or sentence-transformers layout).") var model: String
    @Option(help: "Corpus file (text lines or JSONL).") var corpus: String
    @Option(name: .customLong("top-k"), help: "Hits per query.") var topK = 5
    @Option(name: .customLong("batch-size"), help: "Texts per forward pass while indexing.") var batchSize = 32

    func validate() throws {
        guard topK > 0 else { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        let directory = try ModelLocation.resolve(model)
        let embedder = try TextEmbedder(directory: directory)
        let corpusURL = URL(fileURLWithPath: corpus)
        var bar: ProgressBar?
        let (index, rebuilt) = try CorpusIndexStore.loadOrBuild(corpus: corpusURL, modelDirectory: directory, embedder: embedder,
                                                                batchSize: batchSize) { done, total in
            if bar == nil { bar = ProgressBar(total: total, label: "indexing") }
            bar?.update(done)
        }
        bar?.finish()
        ProgressBar.write(rebuilt ? "indexed \(index.entries.count) texts into \(CorpusIndexStore.indexURL(for: corpusURL).path)\n"
                                  : "using the index of \(index.entries.count) texts in \(CorpusIndexStore.indexURL(for: corpusURL).path)\n")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        while let query = readLine(strippingNewline: true) {
            if query.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let vector = try embedder.embed([query])
            let answer = SearchAnswer(query: query, hits: index.search(vector, topK: topK))
            print(String(decoding: try encoder.encode(answer), as: UTF8.self))
        }
    }
}

struct SearchAnswer: Encodable {
    var query: String
    var hits: [SearchHit]
}
