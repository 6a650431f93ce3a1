import FinchNN
import FinchSupport
import FinchTensor
import Foundation

/// A model directory in Hugging Face layout: `config.json` next to
/// `model.safetensors`. Reading is strict — every tensor of the file must
/// land in a parameter of the same name and shape, and every parameter must
/// be found — except for the names listed in `CheckpointLoadOptions`.
public enum Checkpoint {
    /// `config.json`.
    public static let configFileName = "config.json"
    /// `model.safetensors`.
    public static let weightsFileName = "model.safetensors"

    /// Decodes `config.json` of `directory` as `type`.
    public static func readConfig<C: Decodable>(_ type: C.Type, from directory: URL) throws(CheckpointError) -> C {
        try readJSON(type, at: directory.appendingPathComponent(configFileName))
    }

    /// Decodes any JSON file, mapping failures to `CheckpointError` with the path.
    static func readJSON<C: Decodable>(_ type: C.Type, at url: URL) throws(CheckpointError) -> C {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: "\(error)") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw .invalidJSON(path: url.path, reason: Self.describe(error))
        } catch {
            throw .invalidJSON(path: url.path, reason: "\(error)")
        }
    }

    /// Opens `model.safetensors` of `directory`.
    public static func openWeights(in directory: URL) throws -> SafetensorsFile {
        let url = directory.appendingPathComponent(weightsFileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let bin = directory.appendingPathComponent("pytorch_model.bin")
            if FileManager.default.fileExists(atPath: bin.path) {
                throw CheckpointError.unsupportedWeightsFormat(path: bin.path)
            }
            throw CheckpointError.missingFile(path: url.path)
        }
        return try SafetensorsFile(contentsOf: url)
    }

    /// Loads the tensors of `file` into `module`, whose keys appear in the
    /// file under `prefix` (for example `bert.`). Strict: tensors of the file
    /// that no parameter takes, parameters the file lacks and shape
    /// mismatches all fail the load before anything changes, named in one
    /// `CheckpointError.stateDict`. `options` lists the exceptions.
    public static func load(
        _ file: SafetensorsFile, into module: any Module, prefix: String,
        options: CheckpointLoadOptions
    ) throws {
        func ignored(_ name: String) -> Bool {
            options.ignoredKeys.contains(name) || options.ignoredKeyPrefixes.contains { name.hasPrefix($0) }
        }
        var state: [String: Tensor] = [:]
        var unusable: [String] = []
        for name in file.names where !ignored(name) {
            guard let info = file.info(name), info.dtype.isReadableAsFloat else {
                unusable.append(name)
                continue
            }
            state[name] = try file.tensor(named: name)
        }
        let target: any Module = prefix.isEmpty ? module : MountedModule(prefix: prefix, module: module)
        if !unusable.isEmpty {
            // Non-float tensors no parameter can take: report them with whatever else does not fit.
            var missing: [String] = [], unexpected = unusable, misshapen: [String] = []
            if case let .mismatch(m, u, s)? = Self.mismatch(state, target, options) {
                missing = m
                unexpected += u
                misshapen = s
            }
            throw CheckpointError.stateDict(
                path: file.url.path, .mismatch(missing: missing, unexpected: unexpected.sorted(), misshapen: misshapen))
        }
        do {
            try target.loadStateDict(state, ignoring: options.ignoredKeys)
        } catch let error as StateDictError {
            throw CheckpointError.stateDict(path: file.url.path, error)
        }
    }

    /// The mismatch strict loading would report, without loading anything.
    private static func mismatch(_ state: [String: Tensor], _ module: any Module, _ options: CheckpointLoadOptions) -> StateDictError? {
        let params = module.namedParameters()
        let known = Set(params.map(\.name))
        var missing: [String] = [], misshapen: [String] = []
        for (name, p) in params {
            if let t = state[name] {
                if t.shape != p.shape { misshapen.append("\(name): checkpoint \(t.shape) vs model \(p.shape)") }
            } else if !options.ignoredKeys.contains(name) {
                missing.append(name)
            }
        }
        let unexpected = state.keys.filter { !known.contains($0) }.sorted()
        if missing.isEmpty && unexpected.isEmpty && misshapen.isEmpty { return nil }
        return .mismatch(missing: missing, unexpected: unexpected, misshapen: misshapen)
    }

    /// Writes `config` as `config.json` (pretty, sorted keys, as Hugging Face
    /// writes it) and `state` as `model.safetensors` (F32, `format: pt`) into
    /// `directory`, creating it. Each file goes to a temporary name first and
    /// is renamed into place; other files in the directory are left alone.
    public static func save<C: Encodable>(config: C, state: [String: Tensor], to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.unwritable(path: directory.path, reason: "\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let configURL = directory.appendingPathComponent(configFileName)
        do {
            var data = try encoder.encode(config)
            data.append(0x0A)
            try AtomicFile.write(data, to: configURL)
        } catch {
            throw CheckpointError.unwritable(path: configURL.path, reason: "\(error)")
        }
        try Safetensors.write(state, metadata: ["format": "pt"], to: directory.appendingPathComponent(weightsFileName))
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : "field \(p): "
        }
        switch error {
        case let .keyNotFound(key, context): return path(context) + "missing key \(key.stringValue)"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return path(context) + context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}

/// Exceptions to strict loading.
public struct CheckpointLoadOptions: Sendable {
    /// Exact checkpoint keys that are neither required nor rejected.
    public var ignoredKeys: Set<String>
    /// Checkpoint keys starting with one of these are skipped (for example
    /// `classifier.` when only the encoder of a fine-tuned model is wanted).
    public var ignoredKeyPrefixes: [String]

    /// Options for loading a BERT encoder: the non-parameter buffers Hugging
    /// Face may have written (`embeddings.position_ids`,
    /// `embeddings.token_type_ids`, with or without `bert.`) are ignored,
    /// plus `extraIgnoredKeyPrefixes`.
    public static func bert(ignoringKeyPrefixes extraIgnoredKeyPrefixes: [String] = []) -> CheckpointLoadOptions {
        let buffers = ["embeddings.position_ids", "embeddings.token_type_ids"]
        return CheckpointLoadOptions(
            ignoredKeys: Set(buffers + buffers.map { "bert." + $0 }),
            ignoredKeyPrefixes: extraIgnoredKeyPrefixes)
    }

    /// Explicit lists.
    public init(ignoredKeys: Set<String> = [], ignoredKeyPrefixes: [String] = []) {
        self.ignoredKeys = ignoredKeys
        self.ignoredKeyPrefixes = ignoredKeyPrefixes
    }
}

/// A module seen under a dotted prefix: `bert.` + its own keys.
final class MountedModule: Module {
    let name: String
    let module: any Module
    var isTraining = false
    var children: [(name: String, module: any Module)] { [(name, module)] }

    init(prefix: String, module: any Module) {
        name = prefix.hasSuffix(".") ? String(prefix.dropLast()) : prefix
        self.module = module
    }
}

/// A model directory that cannot be read or written, with its path.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// A required file is absent.
    case missingFile(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not the JSON expected; `reason` names the field.
    case invalidJSON(path: String, reason: String)
    /// Only safetensors weights are read (not pickled PyTorch files).
    case unsupportedWeightsFormat(path: String)
    /// The weights file holds no BERT encoder under any known prefix.
    case notABertCheckpoint(path: String, firstKeys: [String])
    /// The weights do not fit the model (missing, unexpected, misshapen keys).
    case stateDict(path: String, StateDictError)
    /// The configuration asks for something Finch's model does not implement.
    case unsupportedConfig(path: String, BertConfigError)
    /// A sentence-transformers module type Finch does not implement.
    case unsupportedModule(path: String, type: String)
    /// A configuration value outside what the file format allows.
    case invalidValue(path: String, field: String, value: String, reason: String)
    /// Writing failed.
    case unwritable(path: String, reason: String)

    /// A readable message for the user.
    public var description: String {
        switch self {
        case let .missingFile(path): return "\(path): file not found"
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .invalidJSON(path, reason): return "\(path): invalid: \(reason)"
        case let .unsupportedWeightsFormat(path):
            return "\(path): pickled PyTorch weights are not read; convert the checkpoint to model.safetensors"
        case let .notABertCheckpoint(path, firstKeys):
            return "\(path): no BERT encoder weights (embeddings.word_embeddings.weight, with or without a bert. prefix); "
                + "first keys: \(firstKeys.joined(separator: ", "))"
        case let .stateDict(path, error): return "\(path): \(error)"
        case let .unsupportedConfig(path, error): return "\(path): \(error)"
        case let .unsupportedModule(path, type): return "\(path): sentence-transformers module \(type) is not supported"
        case let .invalidValue(path, field, value, reason): return "\(path): field \(field) = \(value): \(reason)"
        case let .unwritable(path, reason): return "\(path): cannot write: \(reason)"
        }
    }
}
