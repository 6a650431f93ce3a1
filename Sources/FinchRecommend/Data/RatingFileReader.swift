import FinchSupport
import Foundation

/// Reads ratings files (CSV, TSV, MovieLens `u.data`/`ratings.dat`, JSON Lines)
/// into a `RatingDataset`, with FinchSupport's delimited-text and JSON Lines
/// readers.
///
/// Column names select the fields (defaults `userId,itemId,rating,timestamp`);
/// MovieLens files are positional (user, item, rating, timestamp). A row with a
/// missing field, an empty id, a non-numeric rating or timestamp, a field that
/// is not UTF-8, or a rating outside `ratingScale` is a bad row: the reader
/// throws its `DataError` (file, line and field) or, with `skipBadRows`, counts
/// it in the report. Quoting errors and invalid UTF-8 in the header always fail.
///
/// Without a rating scale, explicit ratings far outside the bulk of the data
/// (`RatingOutliers`) are bad rows too, so one stray value cannot stretch the
/// inferred scale.
public enum RatingFileReader {
    /// Reads `path` with `options`.
    /// - Throws: `DataError` for an unreadable file, a missing column, a bad row
    ///   (unless skipped) or a file without ratings.
    public static func read(_ path: String, options: RatingFileOptions = RatingFileOptions()) throws -> RatingDataset {
        var bytes: [UInt8] = []
        try ByteChunks.forEach(in: URL(fileURLWithPath: path), file: path) { bytes.append(contentsOf: $0) }
        return try parse(bytes: bytes, file: path, options: options)
    }

    /// Parses file content already in memory (a leading byte-order mark is
    /// skipped); `file` names it in errors.
    public static func parse(bytes: [UInt8], file: String, options: RatingFileOptions) throws -> RatingDataset {
        var content = bytes
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content.removeFirst(3) }
        let format = options.format == .auto ? detectFormat(file: file, bytes: content) : options.format
        switch format {
        case .jsonl:
            return try readJSONLines(content, file: file, options: options)
        case .movielens:
            return try readMovieLens(content, file: file, options: options)
        case .tsv:
            return try readDelimited(content, file: file, options: options, delimiter: 0x09)
        case .csv, .auto:
            return try readDelimited(content, file: file, options: options, delimiter: UInt8(ascii: ","))
        }
    }

    /// The format implied by the file name, else by the first line.
    static func detectFormat(file: String, bytes: [UInt8]) -> RatingFileOptions.Format {
        let lower = file.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".data") || lower.hasSuffix(".dat") { return .movielens }
        guard let first = bytes.firstIndex(where: { !isASCIIWhitespace($0) }) else { return .csv }
        if bytes[first] == UInt8(ascii: "{") { return .jsonl }
        let end = bytes[first...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) ?? bytes.endIndex
        if bytes[first..<end].contains(0x09) { return .tsv }
        return .csv
    }

    /// Field names of a row, for messages.
    private typealias Names = (user: String, item: String, rating: String, timestamp: String)

    private static func names(_ options: RatingFileOptions) -> Names {
        (options.userColumn, options.itemColumn, options.ratingColumn ?? "rating", options.timestampColumn ?? "timestamp")
    }

    // MARK: - Delimited files with a header

    private static func readDelimited(
        _ bytes: [UInt8], file: String, options: RatingFileOptions, delimiter: UInt8
    ) throws -> RatingDataset {
        var parser = DelimitedParser(delimiter: delimiter, quoting: true, file: file)
        var plan: [Int?] = []  // user, item, rating, timestamp
        var sink: RowSink? = nil
        let names = names(options)
        func emit(_ record: DelimitedRecord) throws {
            if record.count == 1, record.withField(0, { $0.allSatisfy(isASCIIWhitespace) }) { return }
            guard sink != nil else {
                var header: [String] = []
                for i in 0..<record.count {
                    guard let name = record.withField(i, decodeUTF8) else {
                        throw DataError.invalidUTF8(file: file, line: record.fieldLines[i], field: nil)
                    }
                    header.append(name.trimmingSpaces())
                }
                func column(_ name: String?, required: Bool) throws -> Int? {
                    guard let name else { return nil }
                    if let i = header.firstIndex(of: name) { return i }
                    if required { throw DataError.missingColumn(file: file, line: record.line, column: name, found: header) }
                    return nil
                }
                plan = [
                    try column(options.userColumn, required: true), try column(options.itemColumn, required: true),
                    try column(options.ratingColumn, required: options.ratingColumnRequired),
                    try column(options.timestampColumn, required: options.timestampColumnRequired),
                ]
                sink = RowSink(file: file, options: options, hasRating: plan[2] != nil, hasTimestamp: plan[3] != nil)
                return
            }
            var texts: [String?] = [nil, nil, nil, nil]
            let fieldNames = [names.user, names.item, names.rating, names.timestamp]
            for k in 0..<4 {
                guard let index = plan[k] else { continue }
                guard index < record.count else {
                    return try sink!.fail(.missingField(file: file, line: record.line, field: fieldNames[k]))
                }
                guard let text = record.withField(index, decodeUTF8) else {
                    return try sink!.fail(.invalidUTF8(file: file, line: record.fieldLines[index], field: fieldNames[k]))
                }
                texts[k] = text
            }
            // In place (`sink!`): a copy would duplicate the builder's arrays on every row.
            try sink!.add(line: record.line, user: texts[0]!, item: texts[1]!, rating: texts[2], timestamp: texts[3], names: names)
        }
        try bytes.withUnsafeBufferPointer { try parser.consume($0, emit) }
        try parser.finish(emit)
        guard let s = sink else { throw DataError.emptyFile(file: file) }
        return try s.finish()
    }

    // MARK: - MovieLens files (positional, no header, no quoting)

    private static func readMovieLens(_ bytes: [UInt8], file: String, options: RatingFileOptions) throws -> RatingDataset {
        var sink = RowSink(file: file, options: options, hasRating: true, hasTimestamp: true)
        let names: Names = ("user", "item", "rating", "timestamp")
        var doubleColon: Bool? = nil
        var splitter = LineSplitter()
        func handle(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            if line.allSatisfy(isASCIIWhitespace) { return }
            guard let text = decodeUTF8(line) else {
                return try sink.fail(.invalidUTF8(file: file, line: number, field: nil))
            }
            if doubleColon == nil { doubleColon = text.contains("::") }
            let fields =
                doubleColon!
                ? text.components(separatedBy: "::") : text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let order = [names.user, names.item, names.rating, names.timestamp]
            if fields.count < 4 { return try sink.fail(.missingField(file: file, line: number, field: order[fields.count])) }
            try sink.add(line: number, user: fields[0], item: fields[1], rating: fields[2], timestamp: fields[3], names: names)
        }
        try bytes.withUnsafeBufferPointer { try splitter.consume($0, handle) }
        try splitter.finish(handle)
        return try sink.finish()
    }

    // MARK: - JSON Lines

    private static func readJSONLines(_ bytes: [UInt8], file: String, options: RatingFileOptions) throws -> RatingDataset {
        // Whether the optional keys exist is decided by the first valid record.
        var sink: RowSink? = nil
        var early: [DataError] = []
        let names = names(options)
        let decoder = JSONDecoder()
        var splitter = LineSplitter()
        func handle(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            if line.allSatisfy(isASCIIWhitespace) { return }
            let record: JSONRecord
            do {
                record = JSONRecord(
                    fields: try JSONLines.object(line, decoder: decoder, file: file, line: number), file: file, line: number)
            } catch {
                if sink != nil {
                    try sink!.fail(error)
                } else if options.skipBadRows {
                    early.append(error)
                } else {
                    throw error
                }
                return
            }
            if sink == nil {
                let hasRating = options.ratingColumn.map { record.fields[$0] != nil } ?? false
                let hasTime = options.timestampColumn.map { record.fields[$0] != nil } ?? false
                if !hasRating, options.ratingColumnRequired, let key = options.ratingColumn {
                    throw DataError.missingField(file: file, line: number, field: key)
                }
                if !hasTime, options.timestampColumnRequired, let key = options.timestampColumn {
                    throw DataError.missingField(file: file, line: number, field: key)
                }
                var s = RowSink(file: file, options: options, hasRating: hasRating, hasTimestamp: hasTime)
                for problem in early { try s.fail(problem) }
                sink = s
            }
            try sink!.add(record: record, names: names)
        }
        try bytes.withUnsafeBufferPointer { try splitter.consume($0, handle) }
        try splitter.finish(handle)
        guard let s = sink else {
            if early.isEmpty { throw DataError.emptyFile(file: file) }
            throw DataError.noUsableRecords(file: file)
        }
        return try s.finish()
    }
}
