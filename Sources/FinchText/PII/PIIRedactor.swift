/// A redacted text and what was found in the original.
public struct PIIRedaction: Sendable, Equatable {
    /// The text with every finding replaced by its operator's output.
    public var text: String
    /// The findings, with offsets into the original text (Unicode scalars).
    public var entities: [PIIFinding]

    /// A redaction.
    public init(text: String, entities: [PIIFinding]) {
        self.text = text
        self.entities = entities
    }
}

/// What the service calls before it stores a text: the seam that lets
/// storage code redact without knowing recognizers or operators.
public protocol TextRedactor: Sendable {
    /// `text` with its personal data redacted, and the findings.
    func redact(_ text: String) throws -> PIIRedaction
}

/// Detection plus operators: finds personal data with an analyzer and
/// replaces each finding. Everything outside the findings is copied scalar by
/// scalar, so the rest of the text stays byte-identical.
public struct PIIRedactor: TextRedactor {
    /// The analyzer.
    public var analyzer: PIIAnalyzer
    /// Only these types (all the analyzer supports when nil).
    public var types: Set<PIIEntityType>?
    /// Operators per type.
    public var operators: PIIOperators
    /// The keyed hasher for the `hash` operator.
    public var hasher: (any PIIKeyedHasher)?
    /// Findings scoring below this are left alone.
    public var minimumScore: Double

    /// A redactor.
    public init(
        analyzer: PIIAnalyzer, types: Set<PIIEntityType>? = nil, operators: PIIOperators = PIIOperators(),
        hasher: (any PIIKeyedHasher)? = nil, minimumScore: Double = 0
    ) {
        self.analyzer = analyzer
        self.types = types
        self.operators = operators
        self.hasher = hasher
        self.minimumScore = minimumScore
    }

    /// The default redactor: every built-in pattern type replaced by `<TYPE>`.
    public static func standard() throws -> PIIRedactor { PIIRedactor(analyzer: try .standard()) }

    public func redact(_ text: String) throws -> PIIRedaction {
        let findings = try analyzer.analyze(text, types: types, minimumScore: minimumScore)
        return PIIRedaction(text: try apply(findings, to: text), entities: findings)
    }

    /// `text` with each of `findings` (non-overlapping, by start) replaced.
    public func apply(_ findings: [PIIFinding], to text: String) throws -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var next = 0
        for finding in findings {
            out.append(contentsOf: scalars[next..<finding.start])
            let value = scalars[finding.start..<finding.end]
            switch operators(finding.type) {
            case .replace:
                out.append(contentsOf: "<\(finding.type.rawValue)>".unicodeScalars)
            case .mask(let keep, let character):
                let masked = Swift.max(0, value.count - keep)
                out.append(contentsOf: repeatElement(character, count: masked))
                out.append(contentsOf: value.suffix(value.count - masked))
            case .hash:
                guard let hasher else { throw PIIError.hashWithoutKey(type: finding.type.rawValue) }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: value)
                out.append(contentsOf: hasher.token(for: String(view)).unicodeScalars)
            case .remove:
                break
            }
            next = finding.end
        }
        out.append(contentsOf: scalars[next...])
        return String(out)
    }
}
