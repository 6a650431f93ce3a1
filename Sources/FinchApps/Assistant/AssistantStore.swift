import FinchSupport
import Foundation

/// Problems reading a stored assistant collection.
public enum AssistantStoreError: Error, Equatable, CustomStringConvertible {
    /// A file of the folder cannot be read.
    case unreadable(path: String, reason: String)
    /// A file is there but is not what Finch writes.
    case malformed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .malformed(path, reason): return "\(path): \(reason)"
        }
    }
}

/// What `assistant.json` holds beside the vectors.
public struct AssistantManifest: Codable, Sendable, Equatable {
    /// `finch-assistant/1`.
    public var format: String
    /// The embedder, as the user named it (a directory or `hf:` reference).
    public var model: String
    /// Written before every text when embedding.
    public var prefix: String
    /// Vector width.
    public var dimension: Int
    /// The entries.
    public var collection: FAQCollection
    /// Retrieval, hand-off and calibration settings.
    public var settings: AssistantSettings
    /// The fitted confidence model.
    public var calibration: AssistantCalibration
}

/// A collection on disk: a folder with `assistant.json` (entries, settings,
/// calibration, the model's name) and `vectors.bin` (the texts' unit
/// vectors), replaced as a whole so a reader never sees half of a new one.
public enum AssistantStore {
    /// The manifest's format tag.
    public static let format = "finch-assistant/1"
    static let magic = Data("FINCHFAQ1\n".utf8)

    /// Writes `assistant` to `folder` (replacing what is there).
    public static func save(_ assistant: FAQAssistant, model: String, prefix: String, to folder: URL) throws {
        let manifest = AssistantManifest(
            format: format, model: model, prefix: prefix, dimension: assistant.dimension, collection: assistant.collection,
            settings: assistant.settings, calibration: assistant.calibration)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(manifest)
        var vectors = magic
        let rows = assistant.retriever.dense.vectors
        withUnsafeBytes(of: Int64(rows.count / Swift.max(assistant.dimension, 1)).littleEndian) { vectors.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(assistant.dimension).littleEndian) { vectors.append(contentsOf: $0) }
        rows.withUnsafeBufferPointer { vectors.append($0) }
        try AtomicDirectory.replace(folder) { temporary in
            try AtomicFile.write(json, to: temporary.appendingPathComponent("assistant.json"))
            try AtomicFile.write(vectors, to: temporary.appendingPathComponent("vectors.bin"))
        }
    }

    /// Reads a folder `save` wrote.
    public static func load(_ folder: URL) throws -> (assistant: FAQAssistant, manifest: AssistantManifest) {
        let manifestURL = folder.appendingPathComponent("assistant.json")
        let vectorsURL = folder.appendingPathComponent("vectors.bin")
        let manifest: AssistantManifest
        do {
            manifest = try JSONDecoder().decode(AssistantManifest.self, from: try read(manifestURL))
        } catch let error as AssistantStoreError {
            throw error
        } catch {
            throw AssistantStoreError.malformed(path: manifestURL.path, reason: "not an assistant manifest (\(error))")
        }
        guard manifest.format == format else {
            throw AssistantStoreError.malformed(path: manifestURL.path, reason: "format '\(manifest.format)', expected '\(format)'")
        }
        let data = try read(vectorsURL)
        let header = magic.count + 16
        let texts = FAQText.texts(of: manifest.collection, answers: manifest.settings.retrieval.indexAnswers)
        let d = manifest.dimension
        guard data.count == header + texts.count * d * 4, data.prefix(magic.count) == magic else {
            throw AssistantStoreError.malformed(
                path: vectorsURL.path, reason: "expected \(texts.count) vectors of \(d) values after a FINCHFAQ1 header")
        }
        var rows = [Float](repeating: 0, count: texts.count * d)
        rows.withUnsafeMutableBytes { out in
            data.withUnsafeBytes { raw in out.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[header...])) }
        }
        let assistant = FAQAssistant(
            collection: manifest.collection, rows: rows, dimension: d, settings: manifest.settings, calibration: manifest.calibration)
        return (assistant, manifest)
    }

    static func read(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url) } catch {
            throw AssistantStoreError.unreadable(path: url.path, reason: SystemReason.describe(error))
        }
    }
}
