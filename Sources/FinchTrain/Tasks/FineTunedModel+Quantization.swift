import FinchTensor
import FinchTransformers
import Foundation

/// What int8 quantization did to a fine-tuned classifier or tagger, measured
/// on the same inputs before and after: prediction speed, how often the two
/// predict the same label, and (given labelled data) the task metric of each.
public struct TaskQuantizationReport: Sendable, Equatable {
    /// Inputs predicted on: texts for a classifier, sentences for a tagger.
    public let inputs: Int
    /// Seconds to predict all inputs in float and in int8 (medians of the runs).
    public let floatSeconds: Double, int8Seconds: Double
    /// Share of predicted labels (a classifier's per text, a tagger's per word) the int8 model keeps.
    public let agreement: Double
    /// The metric compared (`accuracy` for a classifier, `f1` for a tagger), nil without labelled data.
    public let metric: String?
    /// That metric for the float and the int8 model.
    public let floatMetric: Double?, int8Metric: Double?
    /// The int8 micro-kernel that ran.
    public let kernel: String

    /// floatSeconds / int8Seconds.
    public var speedup: Double { floatSeconds / int8Seconds }
    /// How many points (percent) the metric lost: (float − int8) × 100; nil without labelled data.
    public var drop: Double? { floatMetric.flatMap { f in int8Metric.map { (f - $0) * 100 } } }

    public init(
        inputs: Int, floatSeconds: Double, int8Seconds: Double, agreement: Double, metric: String?, floatMetric: Double?,
        int8Metric: Double?, kernel: String
    ) {
        self.inputs = inputs
        self.floatSeconds = floatSeconds
        self.int8Seconds = int8Seconds
        self.agreement = agreement
        self.metric = metric
        self.floatMetric = floatMetric
        self.int8Metric = int8Metric
        self.kernel = kernel
    }

    /// Why the int8 copy should not be used, one sentence each (empty when
    /// it passes): the metric lost more than `maxDrop` points, or int8 is
    /// not faster than float.
    public func failures(maxDrop: Double) -> [String] {
        var out: [String] = []
        if let drop, drop > maxDrop, let metric {
            out.append("\(metric) dropped \(String(format: "%.2f", drop)) points (at most \(maxDrop) allowed)")
        }
        if !(speedup > 1) { out.append("int8 is \(String(format: "%.3f", speedup))× the float speed (more than 1 needed)") }
        return out
    }
}

extension FineTunedModel {
    /// File name of the int8 inference weights beside `model.safetensors`;
    /// `load` runs them when present (as `SentenceEmbedder` does).
    public static let int8WeightsFile = SentenceEmbedder.int8WeightsFile

    /// The encoder whose Linear layers int8 quantization covers.
    public var encoder: BertModel {
        switch self {
        case .classifier(let task): return task.classifier.bert
        case .tagger(let task): return task.tagger.bert
        }
    }

    /// Loads `model.int8.safetensors` from `directory` when it is there, so
    /// the inference path runs int8. Returns whether it was there.
    @discardableResult
    func loadInferenceQuantizationIfPresent(from directory: URL) throws -> Bool {
        let url = directory.appendingPathComponent(Self.int8WeightsFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return false }
        try encoder.loadInferenceQuantization(from: url)
        return true
    }

    /// Quantizes the encoder for inference and measures it against the float
    /// model: `texts` are predicted `runs` times each way (after one untimed
    /// pass; medians), and when `evaluationFile` is given (labelled, as
    /// `evaluate(file:)` reads it) both models are evaluated on it and the
    /// speed is measured on its inputs instead. The model stays quantized.
    public func quantizeMeasuring(texts: [String], evaluationFile: URL? = nil, runs: Int = 3) throws -> TaskQuantizationReport {
        encoder.removeInferenceQuantization()
        let predict: () throws -> [Int]
        let inputs: Int
        switch self {
        case .classifier(let task):
            let encoded: [EncodedClassificationExample]
            if let evaluationFile {
                let c = ClassificationColumns(
                    text: task.metadata.textColumn ?? "text", textPair: task.metadata.textPairColumn,
                    label: task.metadata.labelColumn ?? "label")
                encoded = try task.encode(ClassificationReader(columns: c).read(evaluationFile), file: evaluationFile.lastPathComponent)
            } else {
                encoded = try task.encode(texts: texts.map { ($0, nil) })
            }
            inputs = encoded.count
            predict = { try task.probabilities(encoded).argmax(axis: 1) }
        case .tagger(let task):
            let encoded: [EncodedTaggedExample]
            if let evaluationFile {
                encoded = try task.encode(CoNLLReader().read(evaluationFile), file: evaluationFile.lastPathComponent)
            } else {
                let splitting = task.metadata.wordSplitting ?? .whitespace
                encoded = texts.map { task.encode(words: Self.words(in: $0, splitting: splitting).map(\.text), tags: nil, line: 0) }
            }
            inputs = encoded.count
            predict = { try task.predictWords(encoded).flatMap { $0.map { $0?.0 ?? -1 } } }
        }
        func timed() throws -> ([Int], Double) {
            var labels = try predict()
            var times: [Double] = []
            for _ in 0..<Swift.max(runs, 1) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                labels = try predict()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            return (labels, times.sorted()[times.count / 2])
        }
        let metric: String
        if case .tagger = self { metric = "f1" } else { metric = "accuracy" }
        let (floatLabels, floatSeconds) = try timed()
        let floatMetric = try evaluationFile.map { try evaluate(file: $0).metrics[metric] } ?? nil
        encoder.quantizeForInference()
        let (int8Labels, int8Seconds) = try timed()
        let int8Metric = try evaluationFile.map { try evaluate(file: $0).metrics[metric] } ?? nil
        let same = zip(floatLabels, int8Labels).filter { $0 == $1 }.count
        return TaskQuantizationReport(
            inputs: inputs, floatSeconds: floatSeconds, int8Seconds: int8Seconds,
            agreement: floatLabels.isEmpty ? 1 : Double(same) / Double(floatLabels.count),
            metric: floatMetric == nil ? nil : metric, floatMetric: floatMetric, int8Metric: int8Metric,
            kernel: Int8GEMM.kernelName)
    }
}
