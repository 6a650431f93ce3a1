import FinchSupport
import Foundation

/// Reads an FAQ from CSV, TSV or JSON Lines into an `FAQCollection`.
///
/// Fields: `question` and `answer` (required, not blank), optional `id` (a
/// string or an integer), `category`, and `alternatives` — other phrasings of
/// the question: a JSON array of strings, or in CSV/TSV one field with the
/// phrasings separated by `|`. Lines whose questions are the same (after
/// trimming and collapsing whitespace) are one entry with several answers;
/// the first answer is the one shown. Errors are `DataError`s naming the
/// file, the line and the field.
public enum FAQReader {
    /// The file formats an FAQ can be read from.
    public enum Format: String, Sendable, CaseIterable {
        case csv, tsv, jsonl

        /// The format a path's extension names (`.json` is read as JSON Lines), else nil.
        public init?(pathExtension: String) {
            switch pathExtension.lowercased() {
            case "csv": self = .csv
            case "tsv", "tab": self = .tsv
            case "jsonl", "ndjson", "json": self = .jsonl
            default: return nil
            }
        }
    }

    /// Reads `url`; `name` is the file as the user wrote it (for errors), the
    /// format comes from the extension, else from the first byte (`{` is JSON Lines).
    public static func read(_ url: URL, name: String? = nil, format: Format? = nil) throws -> FAQCollection {
        let file = name ?? url.relativePath
        let resolved = try format ?? Format(pathExtension: url.pathExtension) ?? sniff(url, file: file)
        var builder = FAQBuilder(file: file)
        switch resolved {
        case .jsonl:
            try JSONLines.forEachRecord(in: url, file: file) { try builder.add(try row(from: $0)) }
        case .csv: try readDelimited(url, file: file, delimiter: 0x2C, into: &builder)
        case .tsv: try readDelimited(url, file: file, delimiter: 0x09, into: &builder)
        }
        return try builder.finish()
    }

    /// One line of the file, fields checked.
    struct Row {
        var line: Int
        var question: String
        var answer: String
        var id: String?
        var category: String?
        var alternatives: [String]
    }

    static func sniff(_ url: URL, file: String) throws -> Format {
        var first: UInt8?
        try ByteChunks.forEach(in: url, file: file) { chunk in
            if first == nil { first = chunk.first { !isASCIIWhitespace($0) } }
        }
        return first == UInt8(ascii: "{") ? .jsonl : .csv
    }

    static func row(from record: JSONRecord) throws(DataError) -> Row {
        let question = try nonBlank(record.string("question"), record, "question")
        let answer = try nonBlank(record.string("answer"), record, "answer")
        var id: String?
        switch record.fields["id"] {
        case nil, .null?: id = nil
        default: id = try record.identifier("id")
        }
        var category: String?
        switch record.fields["category"] {
        case nil, .null?: category = nil
        case .string(let text)?: category = text.isEmpty ? nil : text
        case let other?:
            throw .wrongType(file: record.file, line: record.line, field: "category", expected: "a string", found: other.kindDescription)
        }
        var alternatives: [String] = []
        switch record.fields["alternatives"] {
        case nil, .null?: break
        case .array(let values)?:
            for (i, value) in values.enumerated() {
                guard case .string(let text) = value else {
                    throw .wrongType(
                        file: record.file, line: record.line, field: "alternatives[\(i)]", expected: "a string",
                        found: value.kindDescription)
                }
                if !text.trimmingWhitespace.isEmpty { alternatives.append(text) }
            }
        case .string(let text)?: alternatives = splitAlternatives(text)
        case let other?:
            throw .wrongType(
                file: record.file, line: record.line, field: "alternatives", expected: "an array of strings",
                found: other.kindDescription)
        }
        return Row(line: record.line, question: question, answer: answer, id: id, category: category, alternatives: alternatives)
    }

    static func nonBlank(_ text: String, _ record: JSONRecord, _ field: String) throws(DataError) -> String {
        if text.trimmingWhitespace.isEmpty { throw .emptyText(file: record.file, line: record.line, field: field) }
        return text
    }

    static func splitAlternatives(_ text: String) -> [String] {
        text.split(separator: "|").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }

    static func readDelimited(_ url: URL, file: String, delimiter: UInt8, into builder: inout FAQBuilder) throws {
        var parser = DelimitedParser(delimiter: delimiter, quoting: true, file: file)
        var header: [String]?
        func emit(_ record: DelimitedRecord) throws {
            var fields: [String] = []
            for i in 0..<record.count {
                guard let text = record.withField(i, decodeUTF8) else {
                    throw DataError.invalidUTF8(file: file, line: record.fieldLines[i], field: header.map { $0[i] })
                }
                fields.append(text)
            }
            guard let names = header else {
                let names = fields.map { $0.trimmingWhitespace }
                for (i, name) in names.enumerated() where names[..<i].contains(name) {
                    throw DataError.duplicateColumn(file: file, line: record.line, column: name)
                }
                for required in ["question", "answer"] where !names.contains(required) {
                    throw DataError.missingColumn(file: file, line: record.line, column: required, found: names)
                }
                header = names
                return
            }
            if record.count != names.count {
                throw DataError.fieldCount(file: file, line: record.line, expected: names.count, found: record.count)
            }
            func field(_ name: String) -> (text: String, line: Int)? {
                names.firstIndex(of: name).map { (fields[$0], record.fieldLines[$0]) }
            }
            func required(_ name: String) throws -> String {
                let (text, line) = field(name)!
                if text.trimmingWhitespace.isEmpty { throw DataError.emptyText(file: file, line: line, field: name) }
                return text
            }
            let id = field("id").map { $0.text.trimmingWhitespace }.flatMap { $0.isEmpty ? nil : $0 }
            let category = field("category").map { $0.text.trimmingWhitespace }.flatMap { $0.isEmpty ? nil : $0 }
            try builder.add(
                Row(
                    line: record.line, question: try required("question"), answer: try required("answer"), id: id,
                    category: category, alternatives: field("alternatives").map { splitAlternatives($0.text) } ?? []))
        }
        try ByteChunks.forEach(in: url, file: file) { try parser.consume($0, emit) }
        try parser.finish(emit)
        if header == nil { throw DataError.emptyFile(file: file) }
    }
}

/// Merges rows into entries: same question, one entry.
struct FAQBuilder {
    let file: String
    private var entries: [FAQEntry] = []
    private var firstLines: [Int] = []
    /// Whether the entry's id was written in the file (else it is a line number).
    private var explicitID: [Bool] = []
    private var byQuestion: [String: Int] = [:]
    private var byID: [String: Int] = [:]

    init(file: String) { self.file = file }

    mutating func add(_ row: FAQReader.Row) throws(DataError) {
        let key = FAQCollection.normalizedKey(row.question)
        if let i = byQuestion[key] {
            if let id = row.id, id != entries[i].id {
                if explicitID[i] {
                    throw .invalidValue(
                        file: file, line: row.line, field: "id",
                        reason: "is '\(id)' but the same question on line \(firstLines[i]) has id '\(entries[i].id)'")
                }
                try claim(id, for: i, line: row.line, explicit: true)
            }
            if !entries[i].answers.contains(row.answer) { entries[i].answers.append(row.answer) }
            for alternative in row.alternatives where !entries[i].alternatives.contains(alternative) {
                entries[i].alternatives.append(alternative)
            }
            if entries[i].category == nil { entries[i].category = row.category }
            return
        }
        let i = entries.count
        entries.append(
            FAQEntry(
                id: "", question: row.question, answers: [row.answer], category: row.category,
                alternatives: row.alternatives.enumerated().filter { !row.alternatives[..<$0.offset].contains($0.element) }.map(\.element)))
        firstLines.append(row.line)
        explicitID.append(false)
        byQuestion[key] = i
        try claim(row.id ?? String(row.line), for: i, line: row.line, explicit: row.id != nil)
    }

    private mutating func claim(_ id: String, for i: Int, line: Int, explicit: Bool) throws(DataError) {
        if let other = byID[id], other != i {
            throw .invalidValue(
                file: file, line: line, field: "id",
                reason: "'\(id)' is already the id of the question on line \(firstLines[other]) ('\(entries[other].question)')")
        }
        if !entries[i].id.isEmpty { byID[entries[i].id] = nil }
        entries[i].id = id
        explicitID[i] = explicit
        byID[id] = i
    }

    func finish() throws(DataError) -> FAQCollection {
        if entries.isEmpty { throw .emptyFile(file: file) }
        return FAQCollection(entries: entries)
    }
}
