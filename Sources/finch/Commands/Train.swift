import ArgumentParser
import FinchTrain
import FinchTransformers
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fine-tune a pretrained transformer for a task, or train an image classifier.",
        subcommands: [TrainClassify.self, TrainNER.self, TrainImage.self])
}

struct TrainClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Fine-tune a text classifier (sentiment, topic, intent).",
        discussion: """
            Reads CSV, TSV or JSONL with a text column and a label column (labels are strings). \
            Writes a checkpoint in Hugging Face layout to --out, a classification report on stdout, \
            metrics.jsonl and training_curves.svg. Interrupt with Ctrl-C and continue with --resume. \
            With --head (logistic, svm, knn) it trains a classical model on TF-IDF or sentence-embedding \
            features in seconds instead (no --model; scikit-learn's models and defaults), writes it to \
            --out with metrics.jsonl, and prints the same report; predict and evaluate take it as --model.
            """)

    @OptionGroup var options: TrainingOptions
    @OptionGroup var classifier: ClassifierOptions
    @OptionGroup(title: "Classical models") var classical: ClassicalOptions

    func validate() throws {
        if classical.head != nil {
            var given = options.fineTuningGiven
            if classifier.multiLabel { given.append("--multi-label") }
            if classifier.pooling != nil { given.append("--pooling") }
            if classifier.textPairColumn != nil { given.append("--text-pair-column") }
            if let flag = given.first { throw ValidationError("\(flag) is for fine-tuning; --head trains a classical model") }
            try classical.validate(trainFile: URL(fileURLWithPath: options.train), out: URL(fileURLWithPath: options.out))
        } else if options.model == nil {
            throw ValidationError("Missing expected argument '--model <model>' (or give --head to train a classical model)")
        }
        try classifier.check(metric: options.metric)
    }

    func run() throws {
        if classical.head != nil {
            var r = classical.request(
                trainFile: URL(fileURLWithPath: options.train), out: URL(fileURLWithPath: options.out),
                embedder: try classical.embedder.map(ModelLocation.resolve))
            r.devFile = options.dev.map { URL(fileURLWithPath: $0) }
            r.columns = classifier.columns
            r.seed = options.seed
            r.maxLength = options.maxLength
            try ClassicalRun.execute(request: r, metric: options.metric ?? .accuracy, runs: options.runs)
            return
        }
        var request = try options.request(defaultMetric: .accuracy)
        classifier.apply(to: &request)
        try TrainingRun.execute(request: request, task: .classification, baseModel: options.model ?? "", runs: options.runs) {
            r, stop, events in
            try FineTuning.classify(r, stop: stop, events: events)
        }
    }
}

struct TrainNER: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Fine-tune a named-entity tagger.",
        discussion: """
            Reads CoNLL/BIO: one `token<TAB>tag` per line, a blank line between sentences (IOB2 or IOB1). \
            Labels go on each word's first piece. For text written without spaces (Chinese, one character \
            per line) with a SentencePiece tokenizer, words get no boundary piece of their own; \
            --word-boundary forces either behaviour. The report uses seqeval's entity-level rules.
            """)

    @OptionGroup var options: TrainingOptions
    @Option(
        name: .customLong("word-boundary"),
        help: "keep (Hugging Face's alignment) or drop (no ▁ piece per word); default: automatic.")
    var wordBoundary: WordBoundary?

    func validate() throws {
        try options.settings.validateForTagger()
    }

    func run() throws {
        var request = try options.request(defaultMetric: .f1)
        request.wordBoundary = wordBoundary
        try TrainingRun.execute(request: request, task: .ner, baseModel: options.model ?? "", runs: options.runs) { r, stop, events in
            try FineTuning.tag(r, stop: stop, events: events)
        }
    }
}

/// The classifier's data and head options of `finch train classify` (and `finch tune classify`).
struct ClassifierOptions: ParsableArguments {
    @Option(name: .customLong("text-column"), help: "Column with the text.") var textColumn = "text"
    @Option(name: .customLong("text-pair-column"), help: "Column with a second text (pairs: NLI, question/answer).") var textPairColumn:
        String?
    @Option(name: .customLong("label-column"), help: "Column with the label.") var labelColumn = "label"
    @Flag(name: .customLong("multi-label"), help: "Each label field holds several labels (sigmoid outputs, binary cross-entropy).")
    var multiLabel = false
    @Option(name: .customLong("label-separator"), help: "With --multi-label: separator between labels.") var labelSeparator = "|"
    @Option(
        help:
            "What the head reads: pooler (BERT's, as transformers; drawn new when the model has none), cls or mean. Default: the model's own, else pooler."
    )
    var pooling: ClassifierPooling?

    /// The columns to read.
    var columns: ClassificationColumns { ClassificationColumns(text: textColumn, textPair: textPairColumn, label: labelColumn) }

    /// The metrics a classifier of this kind reports.
    var metrics: [TrainingMetric] { multiLabel ? TrainingMetric.multiLabelClassification : TrainingMetric.classification }

    /// Checks that the classifier reports `metric` (nil: the default, always reported).
    func check(metric: TrainingMetric?) throws {
        if let metric, !metrics.contains(metric) {
            let kind = multiLabel ? "a multi-label" : "a"
            throw ValidationError(
                "--metric \(metric.rawValue) is not reported by \(kind) classifier; choose one of "
                    + metrics.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// Sets the columns, labels and pooling of `request`.
    func apply(to request: inout FineTuningRequest) {
        request.columns = columns
        request.multiLabel = multiLabel
        request.labelSeparator = labelSeparator
        request.pooling = pooling
    }
}
