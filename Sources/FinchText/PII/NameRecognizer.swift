/// A named entity as a tagger reports it: a label (`PER`, `LOC`, `ORG`,
/// `MISC`, or Presidio's names), a scalar span and a confidence.
public struct PIITaggedName: Hashable, Sendable {
    /// The tagger's label, without a `B-`/`I-` prefix.
    public var label: String
    /// First scalar.
    public var start: Int
    /// One past the last scalar.
    public var end: Int
    /// The tagger's confidence in 0...1.
    public var score: Double

    /// A tagged name.
    public init(label: String, start: Int, end: Int, score: Double) {
        self.label = label
        self.start = start
        self.end = end
        self.score = score
    }
}

/// The seam to a named-entity tagger (any Finch tagger fine-tuned with
/// `finch train ner`); FinchText holds no model code, so the caller adapts one.
public protocol PIINameTagger: Sendable {
    /// The names in `text`, spans in Unicode scalar offsets.
    func names(in text: String) throws -> [PIITaggedName]
}

/// People, places and organizations found by a named-entity tagger. Labels
/// map to Presidio's types (`PER`/`PERSON` → `PERSON`, `LOC`/`GPE`/`LOCATION`
/// → `LOCATION`, `ORG`/`ORGANIZATION` → `ORGANIZATION`; others are dropped);
/// a context word before the name ("Mr", "Dr", "name", "先生", …) raises the score by 0.1.
public struct NameRecognizer: PIIRecognizer {
    public let name = "NameRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.person, .location, .organization]
    /// The tagger.
    public let tagger: any PIINameTagger

    static let personContext = ["mr", "mrs", "ms", "dr", "name", "patient", "先生", "女士", "姓名"]
    static let locationContext = ["lives in", "address", "city", "from", "住在", "地址"]
    static let organizationContext = ["works at", "employer", "company", "inc", "ltd", "公司"]

    /// A recognizer over `tagger`.
    public init(tagger: any PIINameTagger) { self.tagger = tagger }

    public func findings(in text: PIIText) throws -> [PIIFinding] {
        let names: [PIITaggedName]
        do { names = try tagger.names(in: text.string) } catch { throw PIIError.taggerFailed(reason: "\(error)") }
        return names.compactMap { tagged -> PIIFinding? in
            guard let type = Self.entityType(for: tagged.label), tagged.start >= 0, tagged.end <= text.scalars.count,
                tagged.start < tagged.end
            else { return nil }
            let context: [String] =
                switch type {
                case .person: Self.personContext
                case .location: Self.locationContext
                default: Self.organizationContext
                }
            let boost = text.hasContext(context, start: tagged.start, end: tagged.end, before: 20, after: 0) ? 0.1 : 0
            return PIIFinding(type: type, start: tagged.start, end: tagged.end, score: min(1, tagged.score + boost), recognizer: name)
        }
    }

    /// Presidio's type for a tagger label, nil for labels that are not personal data.
    static func entityType(for label: String) -> PIIEntityType? {
        var label = label.uppercased()
        if label.hasPrefix("B-") || label.hasPrefix("I-") || label.hasPrefix("E-") || label.hasPrefix("S-") {
            label.removeFirst(2)
        }
        switch label {
        case "PER", "PERSON": return .person
        case "LOC", "GPE", "LOCATION": return .location
        case "ORG", "ORGANIZATION": return .organization
        default: return nil
        }
    }
}
