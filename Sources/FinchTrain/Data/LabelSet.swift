import FinchSupport

/// The labels of a task and their ids (the model's output positions), in a
/// fixed order: `labels[id]`. Saved as `id2label`/`label2id` in a checkpoint's
/// `config.json`.
///
/// Order, as Hugging Face's example scripts make it (`run_glue.py`,
/// `run_ner.py`: `label_list.sort()`), so a Finch model and one trained with
/// those scripts on the same file have the same ids:
/// - labels that are all integers (`0`, `1`, `10`) sort numerically, because
///   `datasets` reads such a CSV column as integers;
/// - any other labels sort by Unicode code points, as Python sorts strings
///   (`B-LOC` < `B-PER` < `I-LOC` < `O`; `fresh` < `plot` < `rotten`).
/// A checkpoint's own order is kept with `init(orderedLabels:)`.
public struct LabelSet: Equatable, Hashable, Sendable, Codable {
    /// The labels; a label's id is its index.
    public let labels: [String]
    private let ids: [String: Int]

    /// The distinct labels of `trainingLabels` in Hugging Face's order (see
    /// the type's documentation).
    public init<S: Sequence>(trainingLabels: S) where S.Element == String {
        self.init(orderedLabels: LabelSet.sorted(Set(trainingLabels)))
    }

    /// Labels in the given order (from a checkpoint's `id2label`); they must
    /// be distinct.
    public init(orderedLabels: [String]) {
        var ids: [String: Int] = [:]
        for (i, label) in orderedLabels.enumerated() {
            precondition(ids.updateValue(i, forKey: label) == nil, "label '\(label)' appears twice")
        }
        self.labels = orderedLabels
        self.ids = ids
    }

    /// The labels of the examples, in Hugging Face's order.
    public init(examples: [ClassificationExample]) {
        self.init(trainingLabels: examples.lazy.map(\.label))
    }

    /// The tags of the sentences, in Hugging Face's order.
    public init(sentences: [TaggedSentence]) {
        self.init(trainingLabels: sentences.lazy.flatMap(\.tags))
    }

    /// Number of labels (the classifier's output width).
    public var count: Int { labels.count }

    /// The id of `label`, or nil when it is not in the set.
    public func id(of label: String) -> Int? { ids[label] }

    /// The label with id `id`.
    public func label(for id: Int) -> String { labels[id] }

    /// `id2label` as written in `config.json` (keys are decimal strings).
    public var id2label: [String: String] {
        Dictionary(uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) })
    }

    /// `label2id` as written in `config.json`.
    public var label2id: [String: Int] { ids }

    /// The ids of the examples' labels; throws `DataError.unknownLabel` with
    /// the example's line for a label not in the set (a dev or test label
    /// never seen in training).
    public func ids(for examples: [ClassificationExample], file: String) throws -> [Int] {
        try examples.map { example in
            guard let id = ids[example.label] else {
                throw DataError.unknownLabel(file: file, line: example.line, label: example.label, known: labels)
            }
            return id
        }
    }

    /// The ids of each sentence's tags; throws `DataError.unknownLabel` with
    /// the line of the token whose tag is not in the set.
    public func ids(for sentences: [TaggedSentence], file: String) throws -> [[Int]] {
        try sentences.map { sentence in
            try sentence.tags.enumerated().map { offset, tag in
                guard let id = ids[tag] else {
                    // Sentences from a file hold one token per line.
                    let line = sentence.line == 0 ? 0 : sentence.line + offset
                    throw DataError.unknownLabel(file: file, line: line, label: tag, known: labels)
                }
                return id
            }
        }
    }

    /// Checks that every label of `examples` is in the set.
    public func validate(_ examples: [ClassificationExample], file: String) throws {
        _ = try ids(for: examples, file: file)
    }

    /// Checks that every tag of `sentences` is in the set.
    public func validate(_ sentences: [TaggedSentence], file: String) throws {
        _ = try ids(for: sentences, file: file)
    }

    /// `labels` in Hugging Face's order.
    static func sorted(_ labels: Set<String>) -> [String] {
        let integers = labels.map { Int($0) }
        if !labels.isEmpty, integers.allSatisfy({ $0 != nil }) {
            return labels.sorted { a, b in
                let (x, y) = (Int(a)!, Int(b)!)
                return x != y ? x < y : precedesInCodePointOrder(a, b)  // "01" and "1"
            }
        }
        return labels.sorted(by: precedesInCodePointOrder)
    }

    /// Same labels in the same order.
    public static func == (a: LabelSet, b: LabelSet) -> Bool { a.labels == b.labels }

    /// Hashes the labels in order.
    public func hash(into hasher: inout Hasher) { hasher.combine(labels) }

    private enum CodingKeys: String, CodingKey { case labels }

    /// Decodes `{"labels": [...]}`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let labels = try container.decode([String].self, forKey: .labels)
        guard Set(labels).count == labels.count else {
            throw DecodingError.dataCorruptedError(forKey: .labels, in: container, debugDescription: "labels repeat")
        }
        self.init(orderedLabels: labels)
    }

    /// Encodes `{"labels": [...]}`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labels, forKey: .labels)
    }
}

/// Python's string order: by Unicode code points (Swift's `<` on `String`
/// compares canonically equivalent forms, which differs for some scripts).
func precedesInCodePointOrder(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
}
