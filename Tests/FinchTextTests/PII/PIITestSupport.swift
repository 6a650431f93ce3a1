@testable import FinchText

/// Helpers shared by the PII tests.
enum PII {
    /// The values `recognizer` finds in `text` as (type, matched text).
    static func found(_ recognizer: any PIIRecognizer, _ text: String) throws -> [String] {
        let prepared = PIIText(text)
        return try recognizer.findings(in: prepared).map { prepared.slice($0.start, $0.end) }
    }

    /// The findings of the standard analyzer as "TYPE:value".
    static func analyzed(_ text: String) throws -> [String] {
        let prepared = PIIText(text)
        return try PIIAnalyzer.standard().analyze(text).map { "\($0.type.rawValue):\(prepared.slice($0.start, $0.end))" }
    }
}
