import ArgumentParser
import FinchTransformers
import Foundation

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sentence embeddings: one JSON line {\"embedding\": [...]} per input line.",
        discussion: """
            Uses the model's own pooling, normalization and max_seq_length (sentence-transformers \
            files) unless --max-length is given. Input lines are read from stdin: with --format text \
            each line is a text; with jsonl each is an object with "text" (and optional "text_pair"). \
            Output is in input order.
            """)

    @Option(help: "Model directory (Hugging Face or sentence-transformers layout).") var model: String
    @Option(help: "Input format: text or jsonl.") var format = "text"
    @Option(name: .customLong("batch-size"), help: "Texts per forward pass.") var batchSize = 32
    @Option(name: .customLong("max-length"), help: "Tokens per text (special tokens included); default: the model's.") var maxLength: Int?

    func validate() throws {
        guard format == "text" || format == "jsonl" else { throw ValidationError("--format must be text or jsonl") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let embedder = try TextEmbedder(directory: try ModelLocation.resolve(model), maxLength: maxLength)
        // Bounded memory: embed in chunks of lines, written as they finish.
        let chunk = Swift.max(batchSize * 32, 1024)
        var pending: [(String, String?)] = []
        var lineNumber = 0
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
            FileHandle.standardOutput.write(Data(out.utf8))
            pending.removeAll(keepingCapacity: true)
        }
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            pending.append(try InputLine.parse(line, format: format, lineNumber: lineNumber))
            if pending.count >= chunk { try flush() }
        }
        try flush()
    }
}
