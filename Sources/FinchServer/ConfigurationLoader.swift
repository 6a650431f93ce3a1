import FinchApps
import Foundation
import Yams

/// A setting that stops start-up, named by where it came from
/// (`finch.yaml:7: port`, `FINCH_PORT`, `--port`).
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// Where the value came from and its key.
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}

extension ServerConfiguration {
    /// The settings, by their file key. Environment variables are `FINCH_` and
    /// the key in capitals (`FINCH_DATA_DIR`); flags are `--` and the key
    /// with dashes (`--data-dir`).
    public static let keys =
        [
            "host", "port", "data_dir", "database_url", "models", "max_batch_tokens", "max_batch_inputs", "max_wait_ms",
            "queue_capacity", "timeout_s", "max_body_bytes", "max_inputs", "max_characters", "rate_limit", "rate_burst",
            "reload_interval_s", "log_level", "shutdown_grace_s", "redact_stored_text",
            "default_consent", "erasure_key", "runs_dir",
        ] + RecommendConfiguration.keys

    /// Reads `file` (YAML, optional), then the environment, then `flags`
    /// (key → value as typed; `models` as `NAME=DIR`, several joined by
    /// commas), each overriding the one before.
    /// - Throws: `ConfigurationError` naming the key for unknown keys and bad values.
    public static func load(file: String? = nil, environment: [String: String] = [:], flags: [String: String] = [:]) throws
        -> ServerConfiguration
    {
        var config = ServerConfiguration()
        if let file { try config.apply(yamlFile: file) }
        for key in keys {
            if let value = environment["FINCH_" + key.uppercased()] {
                try config.set(key, value, source: "FINCH_" + key.uppercased(), base: nil)
            }
        }
        for (key, value) in flags.sorted(by: { $0.key < $1.key }) {
            let name = key.replacingOccurrences(of: "-", with: "_")
            guard keys.contains(name) else { throw ConfigurationError(key: "--" + key, message: "unknown setting") }
            try config.set(name, value, source: "--" + key.replacingOccurrences(of: "_", with: "-"), base: nil)
        }
        return config
    }

    mutating func apply(yamlFile path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(key: path, message: "cannot read: \(error.localizedDescription)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ConfigurationError(key: path, message: "not valid YAML: \(error)")
        }
        guard let root else { return }
        guard let mapping = root.mapping else { throw ConfigurationError(key: path, message: "must be a mapping of settings") }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        for (keyNode, value) in mapping {
            let line = (keyNode.mark?.line).map { ":\($0)" } ?? ""
            guard let key = keyNode.string else { throw ConfigurationError(key: "\(path)\(line)", message: "a key must be a string") }
            let source = "\(path)\(line): \(key)"
            guard Self.keys.contains(key) else {
                throw ConfigurationError(key: source, message: "unknown setting (known: \(Self.keys.joined(separator: ", ")))")
            }
            if key == "models" {
                guard let models = value.mapping else { throw ConfigurationError(key: source, message: "must map model names to folders") }
                for (name, folder) in models {
                    guard let name = name.string, let folder = folder.string else {
                        throw ConfigurationError(key: source, message: "must map model names to folders")
                    }
                    try addModel(name: name, path: folder, source: source, base: base)
                }
                continue
            }
            guard let scalar = value.scalar?.string else { throw ConfigurationError(key: source, message: "must be a single value") }
            try set(key, scalar, source: source, base: base)
        }
    }

    mutating func addModel(name: String, path: String, source: String, base: URL?) throws {
        guard !name.isEmpty, !path.isEmpty else { throw ConfigurationError(key: source, message: "a model is NAME=DIR") }
        let resolved = path.hasPrefix("/") || base == nil ? path : base!.appendingPathComponent(path).path
        models.removeAll { $0.name == name }
        models.append(ModelSpec(name: name, path: resolved))
    }

    static func bool(_ value: String, source: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ConfigurationError(key: source, message: "\"\(value)\" is not true or false")
        }
    }

    mutating func set(_ key: String, _ value: String, source: String, base: URL?) throws {
        func int(_ range: ClosedRange<Int>) throws -> Int {
            guard let v = Int(value.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
                throw ConfigurationError(
                    key: source, message: "\"\(value)\" is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return v
        }
        func double(_ minimum: Double) throws -> Double {
            guard let v = Double(value.trimmingCharacters(in: .whitespaces)), v.isFinite, v >= minimum else {
                throw ConfigurationError(key: source, message: "\"\(value)\" is not a number ≥ \(minimum)")
            }
            return v
        }
        switch key {
        case "host":
            guard !value.isEmpty else { throw ConfigurationError(key: source, message: "must not be empty") }
            host = value
        case "port": port = try int(0...65535)
        case "data_dir":
            guard !value.isEmpty else { throw ConfigurationError(key: source, message: "must not be empty") }
            dataDirectory = value.hasPrefix("/") || base == nil ? value : base!.appendingPathComponent(value).path
        case "database_url":
            guard value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else {
                throw ConfigurationError(key: source, message: "must start with postgres:// or postgresql://")
            }
            databaseURL = value
        case "models":
            for item in value.split(separator: ",") {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw ConfigurationError(key: source, message: "\"\(item)\" is not NAME=DIR") }
                try addModel(name: String(parts[0]), path: String(parts[1]), source: source, base: base)
            }
        case "max_batch_tokens": batching.maxBatchTokens = try int(1...10_000_000)
        case "max_batch_inputs": batching.maxBatchInputs = try int(1...100_000)
        case "max_wait_ms": batching.maxWaitMilliseconds = try double(0)
        case "queue_capacity": batching.queueCapacity = try int(1...10_000_000)
        case "timeout_s": batching.timeoutSeconds = try double(0.001)
        case "max_body_bytes": maxBodyBytes = try int(1...(1 << 30))
        case "max_inputs": maxInputs = try int(1...1_000_000)
        case "max_characters": maxCharacters = try int(1...100_000_000)
        case "rate_limit": rateLimitPerSecond = try double(0.001)
        case "rate_burst": rateLimitBurst = try double(1)
        case "reload_interval_s": reloadIntervalSeconds = try double(0.05)
        case "shutdown_grace_s": shutdownGraceSeconds = try double(0)
        case "redact_stored_text":
            switch value.lowercased() {
            case "true", "yes", "on", "1": redactStoredText = true
            case "false", "no", "off", "0": redactStoredText = false
            default: throw ConfigurationError(key: source, message: "\"\(value)\" is not true or false")
            }
        case "default_consent": defaultConsent = try Self.bool(value, source: source)
        case "runs_dir":
            guard !value.isEmpty else { throw ConfigurationError(key: source, message: "must not be empty") }
            let kept = value.hasPrefix("/") || base == nil || PostgresRunStore.isDatabaseURL(value)
            runsDirectory = kept ? value : base!.appendingPathComponent(value).path
        case "erasure_key":
            guard value.utf8.count >= 16 else { throw ConfigurationError(key: source, message: "must be at least 16 characters") }
            erasureKey = value
        case "log_level":
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(value) else {
                throw ConfigurationError(key: source, message: "must be one of \(levels.joined(separator: ", "))")
            }
            logLevel = value
        case _ where key.hasPrefix("recommend_"): try recommend.set(key, value, source: source)
        default: throw ConfigurationError(key: source, message: "unknown setting")
        }
    }
}
