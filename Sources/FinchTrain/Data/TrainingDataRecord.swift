import FinchSupport
import FinchTensor
import Foundation

/// What a classifier was trained on, recorded in its folder by
/// `finch train classify` so a later retrain (`finch retrain`) can replay
/// part of it and compare versions on the same held-out set:
/// `finch_data.json` (where the data came from), `heldout.jsonl` (the
/// development examples, at most `maxExamples`) and `replay.jsonl` (a seeded
/// sample of the training examples, at most `maxExamples`). Both files are
/// JSON Lines with `text`, `label` and, for pairs, `text_pair`; a tagger's
/// are `heldout.bio` and `replay.bio` (CoNLL).
public struct TrainingDataRecord: Codable, Sendable, Equatable {
    /// The training file, as given.
    public var trainingFile: String
    /// The development file, or nil when the held-out set is a share of the training file.
    public var developmentFile: String?
    /// The held-out share of the training file (when no development file was given).
    public var holdOutFraction: Double?
    /// The seed of the hold-out split and of the samples.
    public var seed: UInt64
    /// Examples in the training and development parts when trained.
    public var trainingExamples: Int
    public var developmentExamples: Int
    /// Examples written to `heldout.jsonl` and `replay.jsonl`.
    public var heldOutRecorded: Int
    public var replayRecorded: Int

    enum CodingKeys: String, CodingKey {
        case seed
        case trainingFile = "training_file", developmentFile = "development_file", holdOutFraction = "hold_out_fraction"
        case trainingExamples = "training_examples", developmentExamples = "development_examples"
        case heldOutRecorded = "held_out_recorded", replayRecorded = "replay_recorded"
    }

    public static let fileName = "finch_data.json"
    public static let heldOutFileName = "heldout.jsonl"
    public static let replayFileName = "replay.jsonl"
    /// The most examples each file keeps (a seeded sample beyond it), so the folder stays small.
    public static let maxExamples = 1000

    /// Writes the three files into `directory` (each atomically).
    public static func write(
        train: [ClassificationExample], dev: [ClassificationExample], source: DevelopmentSource, trainingFile: String, seed: UInt64,
        to directory: URL
    ) throws {
        let heldOut = sample(dev, seed: seed)
        let replay = sample(train, seed: seed &+ 1)
        var record = TrainingDataRecord(
            trainingFile: trainingFile, developmentFile: nil, holdOutFraction: nil, seed: seed, trainingExamples: train.count,
            developmentExamples: dev.count, heldOutRecorded: heldOut.count, replayRecorded: replay.count)
        switch source {
        case .file(let name): record.developmentFile = name
        case .heldOut(_, let fraction, _, _): record.holdOutFraction = fraction
        }
        try AtomicFile.write(jsonLines(heldOut), to: directory.appendingPathComponent(heldOutFileName))
        try AtomicFile.write(jsonLines(replay), to: directory.appendingPathComponent(replayFileName))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(record), to: directory.appendingPathComponent(fileName))
    }

    /// The record of `directory`, or nil when it has none (a model not trained by Finch, or before recording).
    public static func read(from directory: URL) throws -> TrainingDataRecord? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try TaskError.decodeModelFile(TrainingDataRecord.self, at: url)
    }

    /// The examples of `heldout.jsonl` or `replay.jsonl` in `directory` (empty when the file is missing).
    public static func examples(_ fileName: String, in directory: URL) throws -> [ClassificationExample] {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        var out: [ClassificationExample] = []
        _ = try JSONLines.forEachRecord(in: url, file: url.path) { record in
            let pair: String? = record.fields["text_pair"].flatMap { if case .string(let s) = $0 { s } else { nil } }
            out.append(
                ClassificationExample(
                    text: try record.string("text"), textPair: pair, label: try record.string("label"), line: record.line))
        }
        return out
    }

    /// `examples` as JSON Lines.
    public static func jsonLines(_ examples: [ClassificationExample]) -> Data {
        var out = ""
        for e in examples {
            out += "{\"text\":"
            JSONString.append(e.text, to: &out)
            if let pair = e.textPair {
                out += ",\"text_pair\":"
                JSONString.append(pair, to: &out)
            }
            out += ",\"label\":"
            JSONString.append(e.label, to: &out)
            out += "}\n"
        }
        return Data(out.utf8)
    }

    /// At most `maxExamples` of `examples`, a seeded sample kept in their order.
    static func sample(_ examples: [ClassificationExample], seed: UInt64) -> [ClassificationExample] {
        sampled(examples, seed: seed)
    }
}
