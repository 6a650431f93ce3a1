import Foundation

/// Reads ratings files (CSV, TSV, MovieLens `u.data`/`ratings.dat`, JSON Lines)
/// into a `RatingDataset`.
///
/// Column names select the fields (defaults `userId,itemId,rating,timestamp`);
/// MovieLens files are positional (user, item, rating, timestamp). A row with a
/// missing field, an empty id, a non-numeric rating or timestamp, or a rating
/// outside `ratingScale` is a bad row: the reader throws its `DataError`
/// (file and line) or, with `skipBadRows`, counts it in the report.
public enum RatingFileReader {
    /// Reads `path` with `options`.
    /// - Throws: `DataError` for an unreadable file, a missing column, a bad row
    ///   (unless skipped) or a file without ratings.
    public static func read(_ path: String, options: RatingFileOptions = RatingFileOptions()) throws -> RatingDataset {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(bytes: [UInt8](data), file: path, options: options)
    }

    /// Parses file content already in memory; `file` names it in errors.
    public static func parse(bytes: [UInt8], file: String, options: RatingFileOptions) throws -> RatingDataset {
        let format = options.format == .auto ? detectFormat(file: file, bytes: bytes) : options.format
        var lines = LineIterator(bytes: bytes)
        switch format {
        case .jsonl:
            return try readJSONLines(&lines, file: file, options: options)
        case .movielens:
            return try readDelimited(&lines, file: file, options: options, layout: .movieLens)
        case .tsv:
            return try readDelimited(&lines, file: file, options: options, layout: .header(.byte(0x09)))
        case .csv, .auto:
            return try readDelimited(&lines, file: file, options: options, layout: .header(.byte(UInt8(ascii: ","))))
        }
    }

    /// The format implied by the file name, else by the first line.
    static func detectFormat(file: String, bytes: [UInt8]) -> RatingFileOptions.Format {
        let lower = file.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".data") || lower.hasSuffix(".dat") { return .movielens }
        var lines = LineIterator(bytes: bytes)
        guard let (_, first) = lines.next() else { return .csv }
        if first.first == UInt8(ascii: "{") { return .jsonl }
        if first.contains(0x09) { return .tsv }
        return .csv
    }

    private enum Layout {
        case header(DelimitedLine.Separator)
        case movieLens
    }

    /// Positions of the wanted fields in a row.
    private struct ColumnPlan {
        var user: Int
        var item: Int
        var rating: Int?
        var timestamp: Int?
        var names: (user: String, item: String, rating: String, timestamp: String)
    }

    private static func readDelimited(
        _ lines: inout LineIterator, file: String, options: RatingFileOptions, layout: Layout
    ) throws -> RatingDataset {
        let plan: ColumnPlan
        var separator: DelimitedLine.Separator
        var firstDataLine: (Int, ArraySlice<UInt8>)? = nil
        switch layout {
        case .movieLens:
            plan = ColumnPlan(
                user: 0, item: 1, rating: 2, timestamp: 3, names: ("user", "item", "rating", "timestamp"))
            separator = .byte(0x09)
            if let first = lines.next() {
                if first.1.firstRange(of: Array("::".utf8)) != nil { separator = .doubleColon }
                firstDataLine = first
            }
        case .header(let sep):
            separator = sep
            guard let (lineNumber, headerLine) = lines.next() else { throw DataError.noRatings(file: file) }
            guard var header = DelimitedLine.fields(headerLine, separator: sep) else {
                throw DataError.malformedRow(file: file, line: lineNumber, reason: "unterminated quote in the header")
            }
            header = header.map { $0.trimmingSpaces() }
            func column(_ name: String?, required: Bool) throws -> Int? {
                guard let name else { return nil }
                if let i = header.firstIndex(of: name) { return i }
                if required { throw DataError.missingColumn(file: file, column: name, available: header) }
                return nil
            }
            plan = ColumnPlan(
                user: try column(options.userColumn, required: true)!,
                item: try column(options.itemColumn, required: true)!,
                rating: try column(options.ratingColumn, required: options.ratingColumnRequired),
                timestamp: try column(options.timestampColumn, required: options.timestampColumnRequired),
                names: (options.userColumn, options.itemColumn, options.ratingColumn ?? "rating", options.timestampColumn ?? "timestamp"))
        }
        var sink = RowSink(file: file, options: options, hasRating: plan.rating != nil, hasTimestamp: plan.timestamp != nil)
        func handle(_ lineNumber: Int, _ line: ArraySlice<UInt8>) throws {
            guard let fields = DelimitedLine.fields(line, separator: separator) else {
                try sink.fail(.malformedRow(file: file, line: lineNumber, reason: "unterminated quote"))
                return
            }
            func field(_ index: Int?, _ name: String) -> String?? {
                guard let index else { return .some(nil) }
                return index < fields.count ? .some(fields[index]) : nil
            }
            guard let user = field(plan.user, plan.names.user) else {
                return try sink.fail(.missingField(file: file, line: lineNumber, field: plan.names.user))
            }
            guard let item = field(plan.item, plan.names.item) else {
                return try sink.fail(.missingField(file: file, line: lineNumber, field: plan.names.item))
            }
            guard let rating = field(plan.rating, plan.names.rating) else {
                return try sink.fail(.missingField(file: file, line: lineNumber, field: plan.names.rating))
            }
            guard let timestamp = field(plan.timestamp, plan.names.timestamp) else {
                return try sink.fail(.missingField(file: file, line: lineNumber, field: plan.names.timestamp))
            }
            try sink.add(
                line: lineNumber, user: user!, item: item!, rating: rating, timestamp: timestamp,
                names: (plan.names.user, plan.names.item, plan.names.rating, plan.names.timestamp))
        }
        if let (n, line) = firstDataLine { try handle(n, line) }
        while let (n, line) = lines.next() { try handle(n, line) }
        return try sink.finish()
    }

    private static func readJSONLines(_ lines: inout LineIterator, file: String, options: RatingFileOptions) throws -> RatingDataset {
        // Whether the optional keys exist is decided by the first valid record.
        var sink: RowSink? = nil
        var early: [DataError] = []
        let ratingKey = options.ratingColumn
        let timeKey = options.timestampColumn
        func process(_ n: Int, _ object: FlatJSONObject, _ sink: inout RowSink) throws {
            let f = object.fields
            guard let user = f[options.userColumn] else {
                return try sink.fail(.missingField(file: file, line: n, field: options.userColumn))
            }
            guard let item = f[options.itemColumn] else {
                return try sink.fail(.missingField(file: file, line: n, field: options.itemColumn))
            }
            var rating: String? = nil
            if sink.hasRating, let key = ratingKey {
                guard let r = f[key] else { return try sink.fail(.missingField(file: file, line: n, field: key)) }
                rating = r
            }
            var time: String? = nil
            if sink.hasTimestamp, let key = timeKey {
                guard let t = f[key] else { return try sink.fail(.missingField(file: file, line: n, field: key)) }
                time = t
            }
            try sink.add(
                line: n, user: user, item: item, rating: rating, timestamp: time,
                names: (options.userColumn, options.itemColumn, ratingKey ?? "rating", timeKey ?? "timestamp"))
        }
        while let (n, line) = lines.next() {
            let object: FlatJSONObject
            do {
                object = try FlatJSONObject(line)
            } catch let error as FlatJSONObject.SyntaxError {
                let problem = DataError.malformedRow(file: file, line: n, reason: "invalid JSON: \(error.message)")
                if var s = sink { try s.fail(problem); sink = s } else if options.skipBadRows { early.append(problem) } else { throw problem }
                continue
            }
            if sink == nil {
                let hasRating = ratingKey.map { object.fields[$0] != nil } ?? false
                let hasTime = timeKey.map { object.fields[$0] != nil } ?? false
                if !hasRating, options.ratingColumnRequired, let key = ratingKey {
                    throw DataError.missingField(file: file, line: n, field: key)
                }
                if !hasTime, options.timestampColumnRequired, let key = timeKey {
                    throw DataError.missingField(file: file, line: n, field: key)
                }
                var s = RowSink(file: file, options: options, hasRating: hasRating, hasTimestamp: hasTime)
                for problem in early { try s.fail(problem) }
                sink = s
            }
            try process(n, object, &sink!)
        }
        guard let s = sink else { throw DataError.noRatings(file: file) }
        return try s.finish()
    }
}

/// Validates field text and feeds a `RatingDatasetBuilder`.
private struct RowSink {
    let file: String
    let options: RatingFileOptions
    let hasRating: Bool
    let hasTimestamp: Bool
    var builder: RatingDatasetBuilder
    var report: LoadReport {
        get { builder.report }
        set { builder.report = newValue }
    }

    init(file: String, options: RatingFileOptions, hasRating: Bool, hasTimestamp: Bool) {
        self.file = file
        self.options = options
        self.hasRating = hasRating
        self.hasTimestamp = hasTimestamp
        let feedback: FeedbackKind = (options.implicit || !hasRating) ? .implicit : .explicit
        builder = RatingDatasetBuilder(
            file: file, feedback: feedback, duplicates: options.duplicates ?? (feedback == .explicit ? .keepLast : .sum))
    }

    mutating func fail(_ problem: DataError) throws {
        builder.report.rowCount += 1
        guard options.skipBadRows else { throw problem }
        builder.report.record(problem)
    }

    mutating func add(
        line: Int, user rawUser: String, item rawItem: String, rating: String?, timestamp: String?,
        names: (user: String, item: String, rating: String, timestamp: String)
    ) throws {
        let user = rawUser.trimmingSpaces()
        let item = rawItem.trimmingSpaces()
        if user.isEmpty { return try fail(.emptyIdentifier(file: file, line: line, field: names.user)) }
        if item.isEmpty { return try fail(.emptyIdentifier(file: file, line: line, field: names.item)) }
        var value: Float = 1
        if let rating {
            let text = rating.trimmingSpaces()
            guard let v = Float(text), v.isFinite else {
                return try fail(.nonNumericValue(file: file, line: line, field: names.rating, value: text))
            }
            if builder.feedback == .explicit, let scale = options.ratingScale, !scale.contains(v) {
                return try fail(.ratingOutOfScale(file: file, line: line, rating: v, scale: scale))
            }
            value = v
        }
        var time: Double? = nil
        if let timestamp {
            let text = timestamp.trimmingSpaces()
            guard let t = Double(text), t.isFinite else {
                return try fail(.nonNumericValue(file: file, line: line, field: names.timestamp, value: text))
            }
            time = t
        }
        builder.report.rowCount += 1
        builder.append(user: user, item: item, value: value, timestamp: time)
    }

    func finish() throws -> RatingDataset {
        if builder.values.isEmpty { throw DataError.noRatings(file: file) }
        return builder.finish(ratingScale: options.ratingScale, hasTimestamps: hasTimestamp)
    }
}

/// Iterates the non-blank lines of a byte buffer with 1-based line numbers;
/// strips a UTF-8 byte-order mark and a trailing `\r`.
struct LineIterator {
    let bytes: [UInt8]
    var position = 0
    var lineNumber = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func next() -> (Int, ArraySlice<UInt8>)? {
        while position < bytes.count {
            lineNumber += 1
            let start = position
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            position = end + 1
            var stop = end
            if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
            let line = bytes[start..<stop]
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return (lineNumber, line)
        }
        return nil
    }
}
