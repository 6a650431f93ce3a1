import ArgumentParser
import FinchApps
import FinchSupport
import FinchText
import FinchTrain
import Foundation

/// `finch redact`: personal data found and replaced, one input per stdin line.
struct Redact: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find and redact personal data (PII) in text read from standard input, one input per line.",
        discussion: """
            Recognizers validate what they match: e-mail addresses; phone numbers (E.164, North \
            American, European, Chinese mobiles and landlines); payment cards (Luhn); IBANs \
            (country length, mod-97); US SSNs (never-issued ranges rejected); Chinese resident \
            identity numbers (region, birth date, MOD 11-2 check); IPv4/IPv6; URLs; dates of \
            birth (only next to a word like "born", "DOB" or "出生"); custom deny-lists and \
            patterns from --config; names, places and organizations with --ner-model. Nothing is \
            matched inside a longer run of letters or digits. Where findings overlap, the highest \
            score wins, then the longest.

            Types: EMAIL_ADDRESS PHONE_NUMBER CREDIT_CARD IBAN_CODE US_SSN CN_RESIDENT_ID \
            IP_ADDRESS URL DATE_TIME (and PERSON LOCATION ORGANIZATION with --ner-model, and the \
            types named in --config).

            Operators (--operator OP for every type, TYPE=OP for one; repeatable): replace \
            (<TYPE>, the default), mask (all but the last 4 characters become *), mask:N (keep the \
            last N), hash (HMAC-SHA256 of the value under --hash-key-file, lower-case hex, so one \
            value always maps to one token), remove.

            --config is JSON: {"deny_lists": [{"type": "PROJECT", "values": ["Falcon"]}], \
            "patterns": [{"type": "EMPLOYEE_ID", "regex": "EMP-[0-9]{6}", "score": 0.9}]}.

            With --format text each line is a text and the redacted line is written. With \
            --format jsonl each line is {"text": ...} and the output is {"text": redacted, \
            "entities": [{"type", "start", "end", "score", "recognizer"}]}, offsets in Unicode \
            code points of the input, as Python counts them. Everything outside a finding is \
            written back unchanged.
            """)

    @Option(help: "How each input line holds its text: text (the line) or jsonl ({\"text\": ...}).")
    var format: LineTokenization.Format = .text
    @Option(help: "Only these types, comma-separated (default: all).") var types: String?
    @Option(name: .customLong("operator"), help: "OP or TYPE=OP; OP is replace, mask, mask:N, hash or remove (repeatable).")
    var operators: [String] = []
    @Option(help: "JSON file with custom deny-lists and patterns.") var config: String?
    @Option(name: .customLong("hash-key-file"), help: "File whose bytes are the key of the hash operator.") var hashKeyFile: String?
    @Option(name: .customLong("min-score"), help: "Ignore findings scoring below this (0...1).") var minScore: Double = 0
    @Option(name: .customLong("ner-model"), help: "A tagger fine-tuned with `finch train ner` for PERSON, LOCATION, ORGANIZATION.")
    var nerModel: String?

    func validate() throws {
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be between 0 and 1") }
        do { _ = try PIIOperators(parsing: operators) } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        let redactor = try makeRedactor()
        var lines = StandardInputLines()
        while let line = try lines.next() {
            let text = try LineInput.parse(line, format: format, lineNumber: lines.lineNumber).0
            let redaction = try redactor.redact(text)
            try StandardOutput.line(format == .jsonl ? Self.json(redaction) : redaction.text)
        }
    }

    private func makeRedactor() throws -> PIIRedactor {
        let configuration = try config.map { try PIIConfiguration.load(path: $0) } ?? PIIConfiguration()
        let tagger = try nerModel.map { try FineTunedNameTagger(path: $0) }
        let analyzer = try PIIAnalyzer.standard(configuration: configuration, nameTagger: tagger)
        var selected: Set<PIIEntityType>? = nil
        if let types {
            let names = types.split(separator: ",").map { PIIEntityType(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
            let unknown = names.filter { !analyzer.supportedTypes.contains($0) }
            if !unknown.isEmpty {
                throw ValidationError(
                    "--types: unknown type \(unknown.map(\.rawValue).joined(separator: ", ")); known: "
                        + analyzer.supportedTypes.sorted().map(\.rawValue).joined(separator: " "))
            }
            selected = Set(names)
        }
        let operators = try PIIOperators(parsing: operators)
        var hasher: (any PIIKeyedHasher)? = nil
        if let hashKeyFile {
            let key = try Data(contentsOf: URL(fileURLWithPath: hashKeyFile))
            guard !key.isEmpty else { throw ValidationError("--hash-key-file \(hashKeyFile) is empty") }
            hasher = HMACKeyedHasher(key: Array(key))
        } else if operators.defaultOperator == .hash || operators.byType.values.contains(.hash) {
            throw ValidationError("the hash operator needs --hash-key-file")
        }
        return PIIRedactor(analyzer: analyzer, types: selected, operators: operators, hasher: hasher, minimumScore: minScore)
    }

    /// `{"text": ..., "entities": [{"type", "start", "end", "score", "recognizer"}]}` in that key order.
    static func json(_ redaction: PIIRedaction) -> String {
        var out = "{\"text\": "
        JSONString.append(redaction.text, to: &out)
        out += ", \"entities\": ["
        for (i, e) in redaction.entities.enumerated() {
            if i > 0 { out += ", " }
            out += "{\"type\": "
            JSONString.append(e.type.rawValue, to: &out)
            out += ", \"start\": \(e.start), \"end\": \(e.end), \"score\": \(e.score), \"recognizer\": "
            JSONString.append(e.recognizer, to: &out)
            out += "}"
        }
        return out + "]}"
    }
}

/// A Finch tagger (`finch train ner`) as the redactor's name tagger. The CLI
/// calls it from one thread only, hence `@unchecked Sendable`.
struct FineTunedNameTagger: PIINameTagger, @unchecked Sendable {
    let model: FineTunedModel

    init(path: String) throws {
        model = try FineTunedModel.load(try ModelLocation.resolve(path))
        guard case .tagger = model else { throw ValidationError("--ner-model \(path) is a classifier, not a tagger") }
    }

    func names(in text: String) throws -> [PIITaggedName] {
        try model.entities(in: [text])[0].map { PIITaggedName(label: $0.label, start: $0.start, end: $0.end, score: $0.score) }
    }
}
