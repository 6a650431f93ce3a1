import FinchSupport
import Foundation

/// One evaluation query: what a person asked, and the entry that answers it.
public struct AssistantQuery: Sendable, Equatable {
    /// The query text.
    public var text: String
    /// Position of the entry that answers it; nil when the FAQ does not.
    public var expected: Int?
    /// The 1-based line of the query file.
    public var line: Int

    /// A query.
    public init(text: String, expected: Int?, line: Int = 0) {
        self.text = text
        self.expected = expected
        self.line = line
    }
}

/// Reads evaluation queries: JSON Lines `{"query": ..., "expected": ...}`
/// where `expected` is the question (or an alternative) of the entry that
/// answers, or its id, or null when nothing in the FAQ does.
public enum AssistantQueryReader {
    /// The queries of `url` resolved against `collection`; `name` is the file
    /// as the user wrote it. An `expected` naming no entry is an error with its line.
    public static func read(_ url: URL, name: String? = nil, collection: FAQCollection) throws -> [AssistantQuery] {
        let file = name ?? url.relativePath
        var out: [AssistantQuery] = []
        try JSONLines.forEachRecord(in: url, file: file) { record in
            let text = try record.string("query")
            if text.trimmingWhitespace.isEmpty { throw DataError.emptyText(file: file, line: record.line, field: "query") }
            let expected: Int?
            switch try record.value("expected") {
            case .null: expected = nil
            case .string(let key):
                guard let i = collection.position(matching: key) else {
                    throw DataError.invalidValue(
                        file: file, line: record.line, field: "expected",
                        reason: "names no FAQ entry (neither an id, a question nor an alternative): '\(key)'")
                }
                expected = i
            case .int(let n):
                guard let i = collection.position(matching: String(n)) else {
                    throw DataError.invalidValue(file: file, line: record.line, field: "expected", reason: "names no FAQ entry id: \(n)")
                }
                expected = i
            case let other:
                throw DataError.wrongType(
                    file: file, line: record.line, field: "expected", expected: "a string, an integer id or null",
                    found: other.kindDescription)
            }
            out.append(AssistantQuery(text: text, expected: expected, line: record.line))
        }
        if out.isEmpty { throw DataError.emptyFile(file: file) }
        return out
    }
}
