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

    @Option(help: "Fine-tuned model directory.") var model: String
    @Option(help: "Input format: text or jsonl.") var format = "text"
    @Option(name: .customLong("batch-size"), help: "Lines predicted together.") var batchSize = 64

    func validate() throws {
        guard format == "text" || format == "jsonl" else { throw ValidationError("--format must be text or jsonl") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let loaded = try FineTunedModel.load(try ModelLocation.resolve(model))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var batch: [(String, String?)] = []
        var lineNumber = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            switch loaded {
            case .classifier:
                for p in try loaded.classify(batch) { print(String(decoding: try encoder.encode(p), as: UTF8.self)) }
            case .tagger:
                for e in try loaded.entities(in: batch.map(\.0)) {
                    print(String(decoding: try encoder.encode(["entities": e]), as: UTF8.self))
                }
            }
            batch.removeAll()
        }
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            batch.append(try InputLine.parse(line, format: format, lineNumber: lineNumber))
            if batch.count == batchSize { try flush() }
        }
        try flush()
    }
}

/// One stdin line as (text, pair).
enum InputLine {
    static func parse(_ line: String, format: String, lineNumber: Int) throws -> (String, String?) {
        guard format == "jsonl" else { return (line, nil) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw ValidationError("line \(lineNumber): not a JSON object")
        }
        guard let text = object["text"] as? String else { throw ValidationError("line \(lineNumber): missing string field \"text\"") }
        if let pair = object["text_pair"], !(pair is String) { throw ValidationError("line \(lineNumber): \"text_pair\" must be a string") }
        return (text, object["text_pair"] as? String)
    }
}
