import ArgumentParser
import FinchApps
import FinchTransformers
import Foundation

/// `finch search`: the closest corpus texts for each query line.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Semantic search: the corpus texts closest to each query on stdin.",
        discussion: """
            The corpus has one text per line, or JSONL objects with "text" and optional "id". Its \
            embeddings are kept beside it in CORPUS.finch-index and rebuilt when the corpus or the \
            model changes; when that file cannot be written (a read-only folder) the index is kept in \
            memory for this run and a warning says so. Each stdin line is a query; the answer is one \
            JSON line {"query": ..., "hits": [{"id": ..., "text": ..., "score": ...}]} with cosine \
            scores. A blank query gets an answer with no hits, so answers stay in step with queries.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "Corpus file (text lines or JSONL).") var corpus: String
    @OptionGroup var topK: TopKOption<SearchTopK>
    @Option(name: .customLong("batch-size"), help: "Texts per forward pass while indexing (1 to \(Embed.maxBatchSize)).")
    var batchSize = 32
    @OptionGroup var maxLength: MaxLengthOption

    func validate() throws {
        try Embed.validate(batchSize: batchSize)
    }

    func run() throws {
        let directory = try model.resolve()
        let embedder = try TextEmbedder(directory: directory, maxLength: maxLength.maxLength)
        let limit = embedder.embedder.maxSequenceLength
        _ = try maxLength.checked(limit: limit, source: Embed.limitSource(directory, embedder: embedder.embedder))
        let corpusURL = URL(fileURLWithPath: corpus)
        let indexPath = CorpusIndexStore.indexURL(for: corpusURL).path
        var bar: ProgressBar?
        let (index, origin) = try CorpusIndexStore.loadOrBuildIndex(
            corpus: corpusURL, modelDirectory: directory, embedder: embedder, batchSize: batchSize
        ) { done, total in
            if bar == nil { bar = ProgressBar(total: total, label: "indexing") }
            bar?.update(done)
        }
        bar?.finish()
        switch origin {
        case .loaded: ProgressBar.write("using the index of \(index.entries.count) texts in \(indexPath)\n")
        case .built: ProgressBar.write("indexed \(index.entries.count) texts into \(indexPath)\n")
        case .builtNotSaved(let reason):
            ProgressBar.write(
                "warning: indexed \(index.entries.count) texts in memory only; the index was not saved to \(indexPath): \(reason)\n")
        }
        var lines = StandardInputLines()
        while let query = try lines.next() {
            let hits = query.allSatisfy(\.isWhitespace) ? [] : index.search(try embedder.embed([query]), topK: topK.topK)
            try StandardOutput.json(SearchAnswer(query: query, hits: hits))
        }
    }
}

/// `finch search` answers 5 hits per query unless told otherwise.
enum SearchTopK: TopKDefault {
    static let defaultValue = 5
    static let counted = "hits per query"
}

/// One answer line.
struct SearchAnswer: Encodable {
    var query: String
    var hits: [SearchHit]
}
