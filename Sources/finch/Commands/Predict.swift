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
            words and character offsets into the input. Classical classifiers (train classify --head) \
            write the same as classifiers; an SVM's scores are the softmax of its decision values. \
            Image classifiers (finch train image) classify the image files given as arguments, or \
            else one path per line of stdin, and write {"label", "score", "scores"} per image.
            """)

    @OptionGroup var model: ModelOption
    @OptionGroup var input: InputFormatOption
    @Option(name: .customLong("batch-size"), help: "Lines predicted together.") var batchSize = 64
    @Argument(help: "Image files, for an image classifier (default: one path per line of stdin).") var images: [String] = []

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let directory = try model.resolve()
        if ImageClassifierConfig.isImageClassifier(at: directory) {
            try predictImages(ImageClassifier.load(directory))
            return
        }
        if !images.isEmpty { throw ValidationError("image files are for an image classifier; \(model.model) is a text model") }
        var classical: ClassicalClassifier? = nil, loaded: FineTunedModel? = nil
        if ClassicalClassifier.isClassifier(at: directory) {
            classical = try ClassicalClassifier.load(directory)
        } else {
            loaded = try FineTunedModel.load(directory)
        }
        var batch: [(String, String?)] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            if let classical {
                if batch.contains(where: { $0.1 != nil }) {
                    throw ClassicalFailure(message: "a classical classifier reads one text per line; this input has \"text_pair\"")
                }
                for p in try classical.classify(batch.map(\.0)) { try StandardOutput.json(p) }
                batch.removeAll()
                return
            }
            switch loaded! {
            case .classifier:
                for p in try loaded!.classify(batch) { try StandardOutput.json(p) }
            case .tagger:
                for e in try loaded!.entities(in: batch.map(\.0)) {
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

extension Predict {
    /// Classifies the image files named as arguments, or one path per line of stdin, in batches.
    func predictImages(_ classifier: ImageClassifier) throws {
        classifier.batchSize = batchSize
        var batch: [String] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            for p in try classifier.classify(files: batch) { try StandardOutput.json(p) }
            batch.removeAll()
        }
        if !images.isEmpty {
            for path in images {
                batch.append(path)
                if batch.count == batchSize { try flush() }
            }
            try flush()
            return
        }
        var lines = StandardInputLines()
        while let line = try lines.next() {
            let path = line.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { continue }
            batch.append(path)
            if batch.count == batchSize { try flush() }
        }
        try flush()
    }
}
