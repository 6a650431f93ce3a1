/// One record of a delimited file, as raw bytes: the fields are stored back
/// to back in `bytes`, field `i` spanning `fieldStart(i) ..< fieldEnds[i]`.
/// Quotes are already removed and doubled quotes collapsed.
public struct DelimitedRecord: Sendable {
    /// The fields' bytes, concatenated.
    public var bytes: [UInt8] = []
    /// End offset in `bytes` of each field.
    public var fieldEnds: [Int] = []
    /// The 1-based line each field starts on (a quoted field may span lines).
    public var fieldLines: [Int] = []
    /// The 1-based line the record starts on.
    public var line = 1

    /// Number of fields.
    public var count: Int { fieldEnds.count }

    /// Calls `body` with the bytes of field `index`.
    public func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        let end = fieldEnds[index]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Empties the record, keeping its storage, for a record starting on `line`.
    public mutating func reset(line: Int) {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldLines.removeAll(keepingCapacity: true)
        self.line = line
    }
}

/// An incremental parser for comma- (RFC 4180) and tab-separated files: feed
/// it chunks of bytes with `consume`, then call `finish`. Records are handed
/// to a closure as they complete, so a file of any size is parsed with one
/// chunk and one record in memory.
///
/// Rules (those of RFC 4180 and of Python's `csv` module in its default
/// dialect, except where strict says so):
/// - records end at LF, CRLF or a lone CR; a blank line is skipped;
/// - with `quoting` on, a field that starts with `"` is quoted: it may hold
///   delimiters, line breaks and `""` (one literal quote) and ends at the next
///   lone `"`; a quote inside an unquoted field is an ordinary character;
/// - strict: text after a closing quote (`"ab"c`) and a quote left open at the
///   end of the file are errors, not guesses.
public struct DelimitedParser {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The byte between fields (`,` or tab).
    public let delimiter: UInt8
    /// Whether `"` opens a quoted field.
    public let quoting: Bool
    /// The file name used in errors.
    public let file: String

    private var record = DelimitedRecord()
    private var state = State.fieldStart
    private var line = 1
    private var fieldLine = 1
    private var quoteLine = 1
    private var lastWasCR = false
    private var recordOpen = false

    /// A parser for fields separated by `delimiter`; `file` names the input in errors.
    public init(delimiter: UInt8, quoting: Bool, file: String) {
        self.delimiter = delimiter
        self.quoting = quoting
        self.file = file
    }

    private static let quote: UInt8 = 0x22
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    /// Parses `chunk`, calling `emit` for every record completed in it.
    public mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>, _ emit: (DelimitedRecord) throws -> Void) throws {
        guard let p = chunk.baseAddress else { return }
        let n = chunk.count
        let delimiter = self.delimiter
        var i = 0
        while i < n {
            let b = p[i]
            if lastWasCR {
                lastWasCR = false
                if b == Self.lf {  // second half of CRLF: already counted
                    if state == .quoted { record.bytes.append(b) }
                    i += 1
                    continue
                }
            }
            switch state {
            case .fieldStart, .unquoted:
                if b == delimiter {
                    endField()
                    recordOpen = true
                    i += 1
                } else if b == Self.lf || b == Self.cr {
                    newLine(b)
                    if state == .fieldStart && record.fieldEnds.isEmpty && !recordOpen {
                        record.line = line  // blank line
                    } else {
                        endField()
                        try emitRecord(emit)
                    }
                    i += 1
                } else if state == .fieldStart && quoting && b == Self.quote {
                    state = .quoted
                    quoteLine = line
                    recordOpen = true
                    i += 1
                } else {
                    // Copy the run of ordinary bytes in one go.
                    var j = i + 1
                    while j < n {
                        let c = p[j]
                        if c == delimiter || c == Self.lf || c == Self.cr { break }
                        j += 1
                    }
                    record.bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i))
                    state = .unquoted
                    recordOpen = true
                    i = j
                }
            case .quoted:
                if b == Self.quote {
                    state = .quoteInQuoted
                    i += 1
                } else if b == Self.lf || b == Self.cr {
                    newLine(b)
                    record.bytes.append(b)
                    i += 1
                } else {
                    var j = i + 1
                    while j < n {
                        let c = p[j]
                        if c == Self.quote || c == Self.lf || c == Self.cr { break }
                        j += 1
                    }
                    record.bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i))
                    i = j
                }
            case .quoteInQuoted:
                if b == Self.quote {
                    record.bytes.append(b)
                    state = .quoted
                } else if b == delimiter {
                    endField()
                } else if b == Self.lf || b == Self.cr {
                    newLine(b)
                    endField()
                    try emitRecord(emit)
                } else {
                    throw DataError.textAfterClosingQuote(file: file, line: line, field: record.count + 1)
                }
                i += 1
            }
        }
    }

    /// Completes the last record when the input does not end with a line
    /// break; fails on a quote left open.
    public mutating func finish(_ emit: (DelimitedRecord) throws -> Void) throws {
        if state == .quoted {
            throw DataError.unterminatedQuote(file: file, line: quoteLine, field: record.count + 1)
        }
        if recordOpen {
            endField()
            try emitRecord(emit)
        }
    }

    private mutating func newLine(_ b: UInt8) {
        line += 1
        lastWasCR = b == Self.cr
    }

    private mutating func endField() {
        record.fieldEnds.append(record.bytes.count)
        record.fieldLines.append(fieldLine)
        fieldLine = line
        state = .fieldStart
    }

    private mutating func emitRecord(_ emit: (DelimitedRecord) throws -> Void) throws {
        try emit(record)
        record.reset(line: line)
        fieldLine = line
        recordOpen = false
        state = .fieldStart
    }
}
