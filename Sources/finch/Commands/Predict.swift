import ArgumentParser
import FinchTrain
import Foundation

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict with a fine-tuned model: one JSON line per input line.",
        discussion: """
            Reads stdin: with --format text each line is a text; with jsonl each line is an object \
            with "text" (and optional "text_pair"). Classifiers write {"label", "score", "scores"}; \
            taggers write {"entities": [{"text", "label", "start", "end", "score"}]} with whole \
            words and character offsets into the input.
            """)

    @OptionGroup var model: ModelOption
    @OptionGroup var input: InputFormatOption
    @Option(name: .customLong("batch-size"), help: "Lines predicted together.") var batchSize = 64

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let loaded = try FineTunedModel.load(try model.resolve())
        var batch: [(String, String?)] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            switch loaded {
            case .classifier:
                for p in try loaded.classify(batch) { try StandardOutput.json(p) }
            case .tagger:
                for e in try loaded.entities(in: batch.map(\.0)) {
                    try StandardOutput.json(["entities": e])
                }
            }
            batch.removeAll()
        }
        var lines = StandardInputLines()
        while let line = try lines.next() {
            do { batch.append(try LineInput.parse(line, format: input.format, lineNumber: lines.lineNumber)) } catch {
                try flush()  // the good lines before the bad one are answered first
                throw error
            }
            if batch.count == batchSize { try flush() }
        }
        try flush()
    }
}
