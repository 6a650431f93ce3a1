import ArgumentParser
import FinchTransformers
import Foundation

/// `finch embed`: one sentence vector per stdin line.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sentence embeddings: one JSON line {\"embedding\": [...]} per input line.",
        discussion: """
            Uses the model's own pooling, normalization and max_seq_length (sentence-transformers \
            files); --max-length can only shorten that limit (above it is an error). Input lines are read from stdin: with \
            --format text each line is a text; with jsonl each is an object with "text" (and optional \
            "text_pair"). Output is in input order.
            """)

    @OptionGroup var model: ModelOption
    @OptionGroup var input: InputFormatOption
    @Option(name: .customLong("batch-size"), help: "Texts per forward pass (1 to \(Embed.maxBatchSize)).") var batchSize = 32
    @OptionGroup var maxLength: MaxLengthOption

    func validate() throws {
        try Self.validate(batchSize: batchSize)
    }

    /// The largest `--batch-size` of embed and search (beyond it a batch's
    /// activations no longer fit in memory anyway).
    static let maxBatchSize = 65_536

    static func validate(batchSize: Int) throws {
        guard (1...maxBatchSize).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and \(maxBatchSize), got \(batchSize)")
        }
    }

    func run() throws {
        let directory = try model.resolve()
        let embedder = try TextEmbedder(directory: directory, maxLength: maxLength.maxLength)
        let limit = embedder.embedder.maxSequenceLength
        _ = try maxLength.checked(limit: limit, source: Self.limitSource(directory, embedder: embedder.embedder))
        // Bounded memory: embed in chunks of lines, written as they finish.
        let chunk = Swift.max(batchSize * 32, 1024)
        var pending: [(String, String?)] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            let vectors = try embedder.embed(pending, batchSize: batchSize)
            let d = vectors.shape[1], p = vectors.storage.pointer
            var out = ""
            for i in 0..<pending.count {
                out += "{\"embedding\":["
                for j in 0..<d {
                    if j > 0 { out += "," }
                    out += String(describing: p[i * d + j])
                }
                out += "]}\n"
            }
            try StandardOutput.write(out)
            pending.removeAll(keepingCapacity: true)
        }
        var lines = StandardInputLines()
        while let line = try lines.next() {
            do { pending.append(try LineInput.parse(line, format: input.format, lineNumber: lines.lineNumber)) } catch {
                try flush()  // the good lines before the bad one are answered first
                throw error
            }
            if pending.count >= chunk { try flush() }
        }
        try flush()
    }

    /// Where the model's length limit is written.
    static func limitSource(_ directory: URL, embedder: SentenceEmbedder) -> String {
        let sentenceConfig = directory.appendingPathComponent("sentence_bert_config.json")
        return embedder.maxSequenceLength < embedder.model.config.maxPositionEmbeddings
            ? "max_seq_length in \(sentenceConfig.path)"
            : "max_position_embeddings in \(directory.appendingPathComponent("config.json").path)"
    }
}
