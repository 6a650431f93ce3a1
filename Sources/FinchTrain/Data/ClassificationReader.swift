import FinchSupport
import Foundation

/// Reads labelled texts from CSV, TSV or JSON-lines files into
/// `ClassificationExample`s, streaming: one chunk of the file and one record
/// are in memory at a time, and `forEachExample` hands each example on as it
/// is read.
///
/// Checks, each failing with a `DataError` that names file, line and field:
/// the named columns exist (the message lists those found), every record has
/// as many fields as the header, text and label are valid UTF-8 and not
/// empty, quotes are closed, the file holds at least one example.
/// Labels are trimmed of surrounding white space; texts are kept as written.
public struct ClassificationReader: Sendable {
    /// Which columns hold text, text pair and label.
    public var columns: ClassificationColumns
    /// The file layout; nil picks it from the file's extension
    /// (`ClassificationFileFormat(pathExtension:)`), CSV when that says nothing.
    public var format: ClassificationFileFormat?

    /// A reader for `columns`, in `format` (nil: from the extension).
    public init(columns: ClassificationColumns = ClassificationColumns(), format: ClassificationFileFormat? = nil) {
        self.columns = columns
        self.format = format
    }

    /// All examples of the file at `url`, in file order.
    ///
    /// - Parameter name: the file name used in errors; defaults to the path
    ///   as given in `url` (`url.relativePath`).
    public func read(_ url: URL, name: String? = nil) throws -> [ClassificationExample] {
        var examples: [ClassificationExample] = []
        try forEachExample(in: url, name: name) { examples.append($0) }
        return examples
    }

    /// Calls `body` with each example of the file at `url`, in file order,
    /// without keeping them. Throws `DataError.emptyFile` after the end when
    /// there were none.
    public func forEachExample(
        in url: URL, name: String? = nil, _ body: (ClassificationExample) throws -> Void
    ) throws {
        let file = name ?? url.relativePath
        let resolved = format ?? ClassificationFileFormat(pathExtension: url.pathExtension) ?? .csv
        let count: Int
        switch resolved {
        case .csv:
            count = try readDelimited(url, file: file, delimiter: 0x2C, quoting: true, body)
        case .tsv(let quoting):
            count = try readDelimited(url, file: file, delimiter: 0x09, quoting: quoting, body)
        case .jsonLines:
            count = try readJSONLines(url, file: file, body)
        }
        if count == 0 { throw DataError.emptyFile(file: file) }
    }

    // MARK: - Delimited files

    /// Positions of the wanted columns in the header.
    private struct ColumnIndices {
        var text: Int
        var textPair: Int?
        var label: Int
    }

    private func readDelimited(
        _ url: URL, file: String, delimiter: UInt8, quoting: Bool, _ body: (ClassificationExample) throws -> Void
    ) throws -> Int {
        var parser = DelimitedParser(delimiter: delimiter, quoting: quoting, file: file)
        var header: [String]? = nil
        var indices = ColumnIndices(text: 0, textPair: nil, label: 0)
        var count = 0
        func emit(_ record: DelimitedRecord) throws {
            guard let names = header else {
                let names = try self.headerNames(record, file: file)
                indices = try self.columnIndices(names, file: file, line: record.line)
                header = names
                return
            }
            if record.count != names.count {
                throw DataError.fieldCount(file: file, line: record.line, expected: names.count, found: record.count)
            }
            let text = try self.textField(record, indices.text, name: self.columns.text, file: file)
            var pair: String? = nil
            if let p = indices.textPair, let pairName = self.columns.textPair {
                pair = try self.textField(record, p, name: pairName, file: file)
            }
            let label = try self.labelField(record, indices.label, file: file)
            count += 1
            try body(ClassificationExample(text: text, textPair: pair, label: label, line: record.line))
        }
        try ByteChunks.forEach(in: url, file: file) { try parser.consume($0, emit) }
        try parser.finish(emit)
        return count
    }

    private func headerNames(_ record: DelimitedRecord, file: String) throws -> [String] {
        var names: [String] = []
        names.reserveCapacity(record.count)
        for i in 0..<record.count {
            guard let name = record.withField(i, decodeUTF8) else {
                throw DataError.invalidUTF8(file: file, line: record.fieldLines[i], field: nil)
            }
            if names.contains(name) { throw DataError.duplicateColumn(file: file, line: record.line, column: name) }
            names.append(name)
        }
        return names
    }

    private func columnIndices(_ names: [String], file: String, line: Int) throws -> ColumnIndices {
        func index(_ column: String) throws -> Int {
            guard let i = names.firstIndex(of: column) else {
                throw DataError.missingColumn(file: file, line: line, column: column, found: names)
            }
            return i
        }
        let text = try index(columns.text)
        let pair = try columns.textPair.map(index)
        let label = try index(columns.label)
        return ColumnIndices(text: text, textPair: pair, label: label)
    }

    private func textField(_ record: DelimitedRecord, _ i: Int, name: String, file: String) throws -> String {
        let line = record.fieldLines[i]
        guard let text = record.withField(i, decodeUTF8) else {
            throw DataError.invalidUTF8(file: file, line: line, field: name)
        }
        if isBlank(text) { throw DataError.emptyText(file: file, line: line, field: name) }
        return text
    }

    private func labelField(_ record: DelimitedRecord, _ i: Int, file: String) throws -> String {
        let line = record.fieldLines[i]
        guard let raw = record.withField(i, decodeUTF8) else {
            throw DataError.invalidUTF8(file: file, line: line, field: columns.label)
        }
        let label = raw.trimmingWhitespace
        if label.isEmpty { throw DataError.emptyLabel(file: file, line: line, field: columns.label) }
        return label
    }

    // MARK: - JSON lines

    private func readJSONLines(
        _ url: URL, file: String, _ body: (ClassificationExample) throws -> Void
    ) throws -> Int {
        try JSONLines.forEachRecord(in: url, file: file) { record in
            let text = try self.jsonText(record, key: self.columns.text)
            var pair: String? = nil
            if let key = self.columns.textPair { pair = try self.jsonText(record, key: key) }
            let label = try self.jsonLabel(record)
            try body(ClassificationExample(text: text, textPair: pair, label: label, line: record.line))
        }
    }

    private func jsonText(_ record: JSONRecord, key: String) throws -> String {
        let text = try record.string(key)
        if isBlank(text) { throw DataError.emptyText(file: record.file, line: record.line, field: key) }
        return text
    }

    private func jsonLabel(_ record: JSONRecord) throws -> String {
        let key = columns.label
        let value = try record.value(key)
        let label: String
        switch value {
        case .string(let s): label = s.trimmingWhitespace
        case .int(let i): label = String(i)
        case .bool(let b): label = b ? "true" : "false"
        default:
            throw DataError.wrongType(
                file: record.file, line: record.line, field: key,
                expected: "a string, an integer or a boolean", found: value.kindDescription)
        }
        if label.isEmpty { throw DataError.emptyLabel(file: record.file, line: record.line, field: key) }
        return label
    }
}

/// True when `text` has no characters other than white space.
func isBlank(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
}
