/// Reads an algorithm's hyperparameters from name → text pairs (what the CLI,
/// a grid search and a saved model hold), applying defaults and ranges.
///
/// Surprise and `implicit` spellings are accepted as aliases (`n_factors`,
/// `n_epochs`, `lr_all`, `reg_all`, `iterations`, `regularization`,
/// `learning_rate`). `finish()` rejects any name left unread.
struct HyperparameterReader {
    let algorithm: Algorithm
    private var remaining: [String: String]
    private var known: [String] = []

    static let aliases: [String: String] = [
        "n_factors": "factors", "n_epochs": "epochs", "lr_all": "lr", "reg_all": "reg", "iterations": "epochs",
        "regularization": "reg", "learning_rate": "lr", "random_state": "seed", "init_std_dev": "init_std",
    ]

    init(_ algorithm: Algorithm, _ parameters: [String: String]) throws {
        self.algorithm = algorithm
        var canonical: [String: String] = [:]
        for (name, value) in parameters {
            let key = Self.aliases[name] ?? name
            if canonical[key] != nil, canonical[key] != value {
                throw RecommendError.invalidHyperparameter(
                    algorithm: algorithm.rawValue, name: key, value: value, reason: "given twice under different names")
            }
            canonical[key] = value
        }
        remaining = canonical
    }

    private func invalid(_ name: String, _ value: String, _ reason: String) -> RecommendError {
        .invalidHyperparameter(algorithm: algorithm.rawValue, name: name, value: value, reason: reason)
    }

    mutating func int(_ name: String, default value: Int, minimum: Int = 0) throws -> Int {
        known.append(name)
        guard let text = remaining.removeValue(forKey: name) else { return value }
        guard let v = Int(text.trimmingSpaces()) else { throw invalid(name, text, "not an integer") }
        guard v >= minimum else { throw invalid(name, text, "must be at least \(minimum)") }
        return v
    }

    mutating func float(_ name: String, default value: Float, minimum: Float? = 0) throws -> Float {
        try optionalFloat(name, minimum: minimum) ?? value
    }

    mutating func optionalFloat(_ name: String, minimum: Float? = 0) throws -> Float? {
        known.append(name)
        guard let text = remaining.removeValue(forKey: name) else { return nil }
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty || trimmed == "none" { return nil }
        guard let v = Float(trimmed), v.isFinite else { throw invalid(name, text, "not a finite number") }
        if let minimum, v < minimum { throw invalid(name, text, "must be at least \(minimum)") }
        return v
    }

    mutating func bool(_ name: String, default value: Bool) throws -> Bool {
        known.append(name)
        guard let text = remaining.removeValue(forKey: name) else { return value }
        switch text.trimmingSpaces().lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw invalid(name, text, "expected true or false")
        }
    }

    mutating func seed(_ name: String = "seed", default value: UInt64 = 0) throws -> UInt64 {
        known.append(name)
        guard let text = remaining.removeValue(forKey: name) else { return value }
        guard let v = UInt64(text.trimmingSpaces()) else { throw invalid(name, text, "not a non-negative integer") }
        return v
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws -> T
    where T.RawValue == String {
        known.append(name)
        guard let text = remaining.removeValue(forKey: name) else { return value }
        let key = text.trimmingSpaces().lowercased().replacingOccurrences(of: "-", with: "_")
        guard let v = T(rawValue: key) else {
            throw invalid(name, text, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    /// Fails on any name that no reader call consumed.
    func finish() throws {
        if let name = remaining.keys.sorted().first {
            throw RecommendError.unknownHyperparameter(algorithm: algorithm.rawValue, name: name, known: known.sorted())
        }
    }
}

/// Canonical text of a hyperparameter value, as `parameters` reports it.
func parameterText(_ value: Float) -> String { "\(value)" }

/// Canonical text of an optional hyperparameter (`"none"` when unset).
func parameterText(_ value: Float?) -> String { value.map { "\($0)" } ?? "none" }

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
