import FinchSupport
import Foundation
import PropertyBased
import Testing

/// Generators of hostile input for the readers.
enum HostileInput {
    /// Bytes that carry structure in delimited text and JSON (quotes,
    /// separators, line ends, braces, escapes, a byte-order mark, UTF-8 lead
    /// and continuation bytes, invalid bytes), plus any byte.
    static let structuralBytes: [UInt8] =
        Array("\",\t\n\r :{}[]\\0123456789.-eE+abnul".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0xC0, 0x80]

    /// Up to 300 bytes, three quarters of them structural.
    static let bytes = Gen.uint8().array(of: 0...300).map { raw in
        raw.enumerated().map { n, b in n % 4 == 3 ? b : structuralBytes[Int(b) % structuralBytes.count] }
    }

    /// Text of up to 12 scalars, mostly ones that need quoting or escaping.
    static let awkward: [Unicode.Scalar] = Array(",\t\"\r\n \\/{}:'é中🙂\u{0}\u{1}\u{7F}\u{2028}\u{FEFF}abc".unicodeScalars)
    static let text = Gen.uint32(in: 0...0x10_FFFF).array(of: 0...12).map { codes in
        var view = String.UnicodeScalarView()
        for c in codes { view.append(c % 2 == 0 ? awkward[Int(c) % awkward.count] : Unicode.Scalar(c) ?? "\u{FFFD}") }
        return String(view)
    }

    /// `text` with every quote doubled, scalar by scalar (a quote followed by
    /// a combining mark is one Character, which Character-level replacing misses).
    static func doublingQuotes(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            view.append(scalar)
            if scalar == "\"" { view.append(scalar) }
        }
        return String(view)
    }

    /// Number of lines `bytes` spans (line ends: LF, CRLF, lone CR).
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var lines = 1
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                lines += 1
            } else if bytes[i] == 0x0D {
                lines += 1
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            }
            i += 1
        }
        return lines
    }
}

/// Any bytes: a located `DataError` or a valid result, never a crash; and
/// what the writers' rules produce reads back exactly.
@Suite struct ReaderPropertyTests {
    /// Fields and start lines of every record, or the error.
    static func parse(_ bytes: [UInt8], delimiter: UInt8, quoting: Bool, chunk: Int) -> Result<[([String], Int)], DataError> {
        var parser = DelimitedParser(delimiter: delimiter, quoting: quoting, file: "p.csv")
        var records: [([String], Int)] = []
        func emit(_ r: DelimitedRecord) {
            records.append(((0..<r.count).map { i in r.withField(i) { String(decoding: $0, as: UTF8.self) } }, r.line))
        }
        do {
            var start = 0
            while start < bytes.count {
                let end = min(start + chunk, bytes.count)
                try bytes[start..<end].withUnsafeBufferPointer { try parser.consume($0, emit) }
                start = end
            }
            try parser.finish(emit)
            return .success(records)
        } catch let error as DataError {
            return .failure(error)
        } catch {
            Issue.record("not a DataError: \(error)")
            return .success([])
        }
    }

    @Test func delimitedTextOfAnyBytesIsRecordsOrALocatedErrorWhateverTheChunking() async {
        await propertyCheck(count: 300, input: HostileInput.bytes, Gen.int(in: 1...17), Gen.bool()) { bytes, chunk, tab in
            let delimiter: UInt8 = tab ? 0x09 : 0x2C
            for quoting in [true, false] {
                let whole = Self.parse(bytes, delimiter: delimiter, quoting: quoting, chunk: max(bytes.count, 1))
                let pieces = Self.parse(bytes, delimiter: delimiter, quoting: quoting, chunk: chunk)
                switch (whole, pieces) {
                case (.success(let a), .success(let b)):
                    #expect(a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1))
                    #expect(a.allSatisfy { !$0.0.isEmpty && $0.1 >= 1 && $0.1 <= HostileInput.lineCount(bytes) })
                    #expect(zip(a, a.dropFirst()).allSatisfy { $0.1 < $1.1 })
                case (.failure(let a), .failure(let b)):
                    #expect(a == b)
                    #expect(quoting, "without quoting nothing can fail: \(a)")
                    #expect(a.location.file == "p.csv")
                    #expect((1...HostileInput.lineCount(bytes)).contains(a.location.line ?? 0), "\(a)")
                default:
                    Issue.record("chunking changed the outcome: \(whole) vs \(pieces)")
                }
            }
        }
    }

    @Test func quotedFieldsReadBackExactly() async {
        let rows = HostileInput.text.array(of: 1...5).array(of: 1...6)
        await propertyCheck(count: 200, input: rows, Gen.bool(), Gen.int(in: 1...9)) { rows, crlf, chunk in
            var text = ""
            for row in rows {
                text += row.map { "\"" + HostileInput.doublingQuotes($0) + "\"" }.joined(separator: ",")
                text += crlf ? "\r\n" : "\n"
            }
            switch Self.parse(Array(text.utf8), delimiter: 0x2C, quoting: true, chunk: chunk) {
            case .success(let records): #expect(records.map(\.0) == rows)
            case .failure(let error): Issue.record("\(error)")
            }
        }
    }

    @Test func jsonLinesOfAnyBytesAreRecordsOrALocatedError() async {
        await propertyCheck(count: 300, input: HostileInput.bytes) { bytes in
            do {
                var lines: [Int] = []
                try JSONLines.forEachRecord(in: bytes, file: "p.jsonl") { lines.append($0.line) }
                #expect(lines.allSatisfy { $0 >= 1 && $0 <= HostileInput.lineCount(bytes) })
            } catch let error as DataError {
                #expect(error.location.file == "p.jsonl")
                #expect((1...HostileInput.lineCount(bytes)).contains(error.location.line ?? 0), "\(error)")
            } catch {
                Issue.record("not a DataError: \(error)")
            }
        }
    }

    @Test func encodedObjectsReadBackAsTheSameValues() async {
        let value = Gen.oneOf(
            HostileInput.text.map { JSONValue.string($0) }, Gen.int(in: -1_000_000...1_000_000).map { JSONValue.int($0) },
            Gen.bool().map { JSONValue.bool($0) }, Gen.always(JSONValue.null))
        let object = zip(HostileInput.text, value).array(of: 0...5)
        await propertyCheck(count: 200, input: object.array(of: 1...4)) { objects in
            let expected = objects.map { Dictionary($0, uniquingKeysWith: { _, last in last }) }
            var text = ""
            for fields in expected { text += String(decoding: try JSONEncoder().encode(fields), as: UTF8.self) + "\n" }
            var read: [[String: JSONValue]] = []
            try JSONLines.forEachRecord(in: Array(text.utf8), file: "p.jsonl") { read.append($0.fields) }
            #expect(read == expected)
        }
    }
}
