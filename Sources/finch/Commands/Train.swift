import ArgumentParser
import FinchTrain
import FinchTransformers
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fine-tune a pretrained transformer for a task.",
        subcommands: [TrainClassify.self, TrainNER.self])
}

struct TrainClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Fine-tune a text classifier (sentiment, topic, intent).",
        discussion: """
            Reads CSV, TSV or JSONL with a text column and a label column (labels are strings). \
            Writes a checkpoint in Hugging Face layout to --out, a classification report on stdout, \
            metrics.jsonl and training_curves.svg. Interrupt with Ctrl-C and continue with --resume.
            """)

    @OptionGroup var options: TrainingOptions
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

    func validate() throws {
        let allowed = multiLabel ? TrainingMetric.multiLabelClassification : TrainingMetric.classification
        if let metric = options.metric, !allowed.contains(metric) {
            let kind = multiLabel ? "a multi-label" : "a"
            throw ValidationError(
                "--metric \(metric.rawValue) is not reported by \(kind) classifier; choose one of "
                    + allowed.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        var request = try options.request(defaultMetric: .accuracy)
        request.columns = ClassificationColumns(text: textColumn, textPair: textPairColumn, label: labelColumn)
        request.multiLabel = multiLabel
        request.labelSeparator = labelSeparator
        request.pooling = pooling
        try TrainingRun.execute(request: request) { r, stop, events in try FineTuning.classify(r, stop: stop, events: events) }
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
        if let metric = options.metric, !TrainingMetric.entities.contains(metric) {
            throw ValidationError(
                "--metric \(metric.rawValue) is not an entity-level metric; a tagger reports "
                    + TrainingMetric.entities.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        var request = try options.request(defaultMetric: .f1)
        request.wordBoundary = wordBoundary
        try TrainingRun.execute(request: request) { r, stop, events in try FineTuning.tag(r, stop: stop, events: events) }
    }
}
