import FinchSupport
import FinchTensor
import Foundation

extension TrainingDataRecord {
    /// A tagger's held-out sentences, CoNLL (`token<TAB>tag`, a blank line between sentences).
    public static let heldOutTaggedFileName = "heldout.bio"
    /// A seeded sample of a tagger's training sentences, CoNLL.
    public static let replayTaggedFileName = "replay.bio"

    /// Writes `finch_data.json`, `heldout.bio` and `replay.bio` into `directory` (each atomically).
    public static func write(
        train: [TaggedSentence], dev: [TaggedSentence], source: DevelopmentSource, trainingFile: String, seed: UInt64,
        to directory: URL
    ) throws {
        let heldOut = sampled(dev, seed: seed)
        let replay = sampled(train, seed: seed &+ 1)
        var record = TrainingDataRecord(
            trainingFile: trainingFile, developmentFile: nil, holdOutFraction: nil, seed: seed, trainingExamples: train.count,
            developmentExamples: dev.count, heldOutRecorded: heldOut.count, replayRecorded: replay.count)
        switch source {
        case .file(let name): record.developmentFile = name
        case .heldOut(_, let fraction, _, _): record.holdOutFraction = fraction
        }
        try AtomicFile.write(conll(heldOut), to: directory.appendingPathComponent(heldOutTaggedFileName))
        try AtomicFile.write(conll(replay), to: directory.appendingPathComponent(replayTaggedFileName))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(record), to: directory.appendingPathComponent(fileName))
    }

    /// The sentences of `heldout.bio` or `replay.bio` in `directory` (empty when the file is missing).
    public static func sentences(_ fileName: String, in directory: URL) throws -> [TaggedSentence] {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try CoNLLReader().read(url)
    }

    /// `sentences` as CoNLL text.
    public static func conll(_ sentences: [TaggedSentence]) -> Data {
        var out = ""
        for s in sentences {
            for (token, tag) in zip(s.tokens, s.tags) { out += "\(token)\t\(tag)\n" }
            out += "\n"
        }
        return Data(out.utf8)
    }

    static func sampled<T>(_ items: [T], seed: UInt64) -> [T] {
        guard items.count > maxExamples else { return items }
        var rng = FinchRNG(seed: seed)
        var indices = Array(items.indices)
        for i in stride(from: indices.count - 1, to: 0, by: -1) { indices.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return indices.prefix(maxExamples).sorted().map { items[$0] }
    }
}
