import Foundation

/// What a registered model does.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// Sentence vectors (a sentence-transformers folder).
    case embedder
    /// Text classification (a fine-tuned `…ForSequenceClassification` folder).
    case classifier
    /// Token classification, entities (a fine-tuned `…ForTokenClassification` folder).
    case tagger
    /// Relevance of (query, text) pairs: a `…ForSequenceClassification` folder with one label
    /// (one logit per pair), as sentence-transformers' `CrossEncoder` saves it.
    case crossEncoder = "cross-encoder"
    /// Recommendations (a `finch recommend train` folder).
    case recommender
    /// Image classification (a `finch train image` folder: `config.json` with
    /// `"finch_task": "image-classification"` and `model.safetensors`).
    case imageClassifier = "image-classifier"

    /// Reads the kind off a model folder: `recommender.json` → recommender;
    /// `config.json` with `finch_task` `image-classification` → image classifier;
    /// `finch_task.json` or `architectures` in `config.json` → classifier or
    /// tagger, and a sequence classifier with one label (`id2label` of one
    /// entry, or `num_labels` 1) → cross-encoder; `modules.json` or a plain
    /// encoder `config.json` with a tokenizer → embedder.
    /// - Throws: `ModelFolderError` naming what is missing.
    public static func detect(folder: URL) throws(ModelFolderError) -> ModelKind {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notADirectory(path: folder.path)
        }
        func has(_ name: String) -> Bool { fm.fileExists(atPath: folder.appendingPathComponent(name).path) }
        if has("recommender.json") { return .recommender }
        if has("finch_task.json") {
            let url = folder.appendingPathComponent("finch_task.json")
            guard let task = try readObject(url)["task"] as? String else { throw .unreadable(path: url.path, field: "task") }
            switch task {
            case "classification": return .classifier
            case "ner": return .tagger
            default: throw .unreadable(path: url.path, field: "task")
            }
        }
        guard has("config.json") else {
            throw .missing(path: folder.path, what: "config.json (a model), modules.json (sentence-transformers) or recommender.json")
        }
        let configURL = folder.appendingPathComponent("config.json")
        let config = try readObject(configURL)
        if config["finch_task"] as? String == "image-classification" {
            guard has("model.safetensors") else { throw .missing(path: folder.path, what: "model.safetensors") }
            return .imageClassifier
        }
        let architecture = (config["architectures"] as? [String])?.first ?? ""
        if architecture.hasSuffix("TokenClassification") { return .tagger }
        if architecture.hasSuffix("SequenceClassification") {
            let labels = (config["id2label"] as? [String: Any])?.count ?? (config["num_labels"] as? Int)
            return labels == 1 ? .crossEncoder : .classifier
        }
        guard has("tokenizer.json") || has("vocab.txt") else {
            throw .missing(path: folder.path, what: "tokenizer.json or vocab.txt")
        }
        guard has("model.safetensors") else { throw .missing(path: folder.path, what: "model.safetensors") }
        if has("modules.json") || architecture.isEmpty || architecture.hasSuffix("Model") { return .embedder }
        throw .missing(
            path: configURL.path, what: "an architecture Finch serves (…Model, …ForSequenceClassification, …ForTokenClassification)")
    }

    private static func readObject(_ url: URL) throws(ModelFolderError) -> [String: Any] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw .unreadable(path: url.path, field: "(JSON: \(error.localizedDescription))")
        }
        guard let dictionary = object as? [String: Any] else { throw .unreadable(path: url.path, field: "(a JSON object)") }
        return dictionary
    }
}

/// A model folder that cannot be served.
public enum ModelFolderError: Error, Equatable, CustomStringConvertible {
    case notADirectory(path: String)
    /// The folder lacks a file that every model of a kind has.
    case missing(path: String, what: String)
    /// A file that should say the kind cannot be read (`field` is what was looked for).
    case unreadable(path: String, field: String)

    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path): not a directory"
        case .missing(let path, let what): "\(path): missing \(what)"
        case .unreadable(let path, let field): "\(path): cannot read field \(field)"
        }
    }
}
