import FinchSupport
import Testing

/// Parses `text` in chunks of `chunk` bytes and returns each record's fields and start line.
func parseDelimited(_ bytes: [UInt8], delimiter: UInt8 = 0x2C, quoting: Bool = true, chunk: Int = 3) throws -> [([String], Int)] {
    var parser = DelimitedParser(delimiter: delimiter, quoting: quoting, file: "t.csv")
    var records: [([String], Int)] = []
    func emit(_ r: DelimitedRecord) {
        records.append(((0..<r.count).map { i in r.withField(i) { String(decoding: $0, as: UTF8.self) } }, r.line))
    }
    var start = 0
    while start < bytes.count {
        let end = min(start + chunk, bytes.count)
        try bytes[start..<end].withUnsafeBufferPointer { try parser.consume($0, emit) }
        start = end
    }
    try parser.finish(emit)
    return records
}

@Suite struct DelimitedParserTests {
    @Test func quotedFieldsHoldDelimitersLineBreaksAndDoubledQuotes() throws {
        let records = try parseDelimited(Array("a,b\r\n\"x,1\",\"say \"\"hi\"\"\nthere\"\n\nlast,\n".utf8))
        #expect(records.map(\.0) == [["a", "b"], ["x,1", "say \"hi\"\nthere"], ["last", ""]])
        #expect(records.map(\.1) == [1, 2, 5])
    }

    @Test func everyChunkSizeGivesTheSameRecords() throws {
        let bytes = Array("h1\th2\r\"q\"\"\"\tv\r\nz\t\"a\rb\"".utf8)
        let whole = try parseDelimited(bytes, delimiter: 0x09, chunk: bytes.count)
        for chunk in 1...bytes.count {
            let parts = try parseDelimited(bytes, delimiter: 0x09, chunk: chunk)
            #expect(parts.map(\.0) == whole.map(\.0))
            #expect(parts.map(\.1) == whole.map(\.1))
        }
        #expect(whole.map(\.0) == [["h1", "h2"], ["q\"", "v"], ["z", "a\rb"]])
    }

    @Test func withoutQuotingAQuoteIsAnOrdinaryCharacter() throws {
        #expect(try parseDelimited(Array("\"a\tb\n".utf8), delimiter: 0x09, quoting: false).map(\.0) == [["\"a", "b"]])
    }

    @Test func quotingErrorsNameLineAndField() {
        #expect(throws: DataError.unterminatedQuote(file: "t.csv", line: 2, field: 2)) {
            try parseDelimited(Array("a,b\nc,\"open\nmore\n".utf8))
        }
        #expect(throws: DataError.textAfterClosingQuote(file: "t.csv", line: 1, field: 1)) {
            try parseDelimited(Array("\"ab\"c,d\n".utf8))
        }
    }
}

@Suite struct LineSplitterTests {
    @Test func linesEndAtLFCRLFOrCRAcrossChunkBoundaries() throws {
        let bytes = Array("one\r\ntwo\rthree\n\nfour".utf8)
        for chunk in 1...bytes.count {
            var splitter = LineSplitter()
            var lines: [(String, Int)] = []
            var start = 0
            while start < bytes.count {
                let end = min(start + chunk, bytes.count)
                try bytes[start..<end].withUnsafeBufferPointer { buffer in
                    try splitter.consume(buffer) { lines.append((String(decoding: $0, as: UTF8.self), $1)) }
                }
                start = end
            }
            try splitter.finish { lines.append((String(decoding: $0, as: UTF8.self), $1)) }
            #expect(lines.map(\.0) == ["one", "two", "three", "", "four"])
            #expect(lines.map(\.1) == [1, 2, 3, 4, 5])
        }
    }
}

@Suite struct UTF8Tests {
    @Test func validatesWellFormedUTF8Only() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(isValidUTF8) }
        #expect(valid(Array("héllo 中文 🎉".utf8)))
        #expect(!valid([0xC0, 0xAF]))  // overlong
        #expect(!valid([0xED, 0xA0, 0x80]))  // surrogate
        #expect(!valid([0xF4, 0x90, 0x80, 0x80]))  // above U+10FFFF
        #expect(!valid([0xE4, 0xB8]))  // truncated
        #expect(!valid([0xFF]))
    }

    @Test func trimsUnicodeWhitespace() {
        #expect("\u{3000} a b\u{00A0}\n".trimmingWhitespace == "a b")
        #expect(" \t".trimmingWhitespace == "")
    }
}
