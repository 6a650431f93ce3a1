import Foundation

/// Custom recognizers from a JSON file:
///
/// ```json
/// {"deny_lists": [{"type": "PROJECT", "values": ["Falcon", "Osprey"], "score": 1.0}],
///  "patterns": [{"type": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}", "score": 0.9, "case_insensitive": false}]}
/// ```
///
/// Both keys are optional; `score` defaults to 1.0 for deny-lists and 0.8 for patterns.
public struct PIIConfiguration: Sendable, Equatable, Codable {
    /// A list of values reported as one type.
    public struct DenyList: Sendable, Equatable, Codable {
        /// The type reported.
        public var type: String
        /// The values.
        public var values: [String]
        /// The score of each finding.
        public var score: Double?

        /// A deny-list.
        public init(type: String, values: [String], score: Double? = nil) {
            self.type = type
            self.values = values
            self.score = score
        }
    }

    /// A regular expression reported as one type.
    public struct Pattern: Sendable, Equatable, Codable {
        /// The type reported.
        public var type: String
        /// The expression (ICU syntax).
        public var regex: String
        /// The score of each finding.
        public var score: Double?
        /// Whether letters match without case.
        public var caseInsensitive: Bool?

        /// A pattern.
        public init(type: String, regex: String, score: Double? = nil, caseInsensitive: Bool? = nil) {
            self.type = type
            self.regex = regex
            self.score = score
            self.caseInsensitive = caseInsensitive
        }

        enum CodingKeys: String, CodingKey {
            case type, regex, score
            case caseInsensitive = "case_insensitive"
        }
    }

    /// Deny-lists.
    public var denyLists: [DenyList]
    /// Patterns.
    public var patterns: [Pattern]
    /// Where the configuration was read from (for error messages).
    public var source: String

    enum CodingKeys: String, CodingKey {
        case denyLists = "deny_lists"
        case patterns
    }

    /// A configuration.
    public init(denyLists: [DenyList] = [], patterns: [Pattern] = [], source: String = "configuration") {
        self.denyLists = denyLists
        self.patterns = patterns
        self.source = source
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        denyLists = try c.decodeIfPresent([DenyList].self, forKey: .denyLists) ?? []
        patterns = try c.decodeIfPresent([Pattern].self, forKey: .patterns) ?? []
        source = "configuration"
    }

    /// Reads a configuration file.
    ///
    /// - Throws: `PIIError.invalidConfiguration` naming the file and the field at fault.
    public static func load(path: String) throws -> PIIConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PIIError.invalidConfiguration(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            var configuration = try JSONDecoder().decode(PIIConfiguration.self, from: data)
            configuration.source = path
            for (i, list) in configuration.denyLists.enumerated() where list.type.isEmpty {
                throw PIIError.invalidConfiguration(path: path, reason: "deny_lists[\(i)].type is empty")
            }
            for (i, pattern) in configuration.patterns.enumerated() where pattern.type.isEmpty {
                throw PIIError.invalidConfiguration(path: path, reason: "patterns[\(i)].type is empty")
            }
            return configuration
        } catch let error as DecodingError {
            throw PIIError.invalidConfiguration(path: path, reason: Self.describe(error))
        }
    }

    /// The recognizers this configuration describes.
    public func recognizers() throws -> [any PIIRecognizer] {
        var out: [any PIIRecognizer] = denyLists.map {
            DenyListRecognizer(type: PIIEntityType(rawValue: $0.type), values: $0.values, score: $0.score ?? 1.0)
        }
        for (i, p) in patterns.enumerated() {
            do {
                out.append(
                    try PatternRecognizer(
                        type: PIIEntityType(rawValue: p.type), regex: p.regex, score: p.score ?? 0.8,
                        caseInsensitive: p.caseInsensitive ?? false))
            } catch {
                throw PIIError.invalidPattern(path: source, index: i, type: p.type, reason: error.localizedDescription)
            }
        }
        return out
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
