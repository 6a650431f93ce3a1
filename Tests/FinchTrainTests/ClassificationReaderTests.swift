import FinchSupport
import Foundation
import Testing

@testable import FinchTrain

/// Records Python's csv module read from a fixture (Scripts/make_data_fixtures.py).
struct ExpectedData: Decodable {
    struct Record: Decodable {
        let line: Int
        let fields: [String]
    }
    struct Sentence: Decodable {
        let line: Int
        let tokens: [String]
        let tags: [String]
    }
    let meta: [String: String]
    let files: [String: Expected]

    enum Expected: Decodable {
        case records([Record])
        case sentences([Sentence])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            do { self = .records(try c.decode([Record].self)) } catch DecodingError.keyNotFound {
                self = .sentences(try c.decode([Sentence].self))
            }
        }
    }

    static func load() throws -> ExpectedData {
        try JSONDecoder().decode(ExpectedData.self, from: Data(contentsOf: dataFixture("expected.json")))
    }

    func records(_ name: String) throws -> [Record] {
        guard case .records(let r)? = files[name] else { throw DataError.emptyFile(file: name) }
        return r
    }

    func sentences(_ name: String) throws -> [Sentence] {
        guard case .sentences(let s)? = files[name] else { throw DataError.emptyFile(file: name) }
        return s
    }
}

@Suite struct ClassificationReaderTests {
    @Test func rottenTomatoesSliceMatchesPythonCSV() throws {
        let expected = try ExpectedData.load().records("rotten_tomatoes_slice.csv")
        let examples = try ClassificationReader().read(dataFixture("rotten_tomatoes_slice.csv"))
        #expect(examples.count == expected.count - 1)
        for (example, record) in zip(examples, expected.dropFirst()) {
            #expect(example.text == record.fields[0])
            #expect(example.label == record.fields[1])
            #expect(example.line == record.line)
            #expect(example.textPair == nil)
        }
        #expect(examples.contains { $0.text.contains("\"") })
        #expect(Set(examples.map(\.label)).isSubset(of: ["fresh", "rotten", "plot"]))
    }

    @Test func everyRFC4180FeatureMatchesPythonCSV() throws {
        // BOM, CRLF, quoted commas and line breaks, doubled quotes, no final line break.
        let expected = try ExpectedData.load().records("tricky.csv")
        let reader = ClassificationReader(columns: ClassificationColumns(text: "text", textPair: "note", label: "label"))
        #expect(throws: DataError.self) { try reader.read(dataFixture("tricky.csv")) }  // empty note fields are empty texts
        let plain = try ClassificationReader().read(dataFixture("tricky.csv"))
        #expect(plain.count == expected.count - 1)
        for (example, record) in zip(plain, expected.dropFirst()) {
            #expect(example.text == record.fields[0])
            #expect(example.label == record.fields[1].trimmingCharacters(in: .whitespaces))
            #expect(example.line == record.line)
        }
        #expect(plain[2].text == "line one\nline two")
        #expect(plain[3].text == "she said \"hi\"")
        #expect(plain[4].text == "crlf\r\ninside")
        #expect(plain[5].label == "pos")
        #expect(plain.map(\.line) == [2, 3, 4, 6, 7, 9, 10])
    }

    @Test func chunkBoundariesDoNotChangeRecords() throws {
        let bytes = try Array(Data(contentsOf: dataFixture("tricky.csv")))
        func records(chunk: Int) throws -> [[String]] {
            var parser = DelimitedParser(delimiter: 0x2C, quoting: true, file: "t")
            var out: [[String]] = []
            let emit: (DelimitedRecord) throws -> Void = { r in
                out.append((0..<r.count).map { i in r.withField(i) { String(decoding: $0, as: UTF8.self) } + "@\(r.fieldLines[i])" })
            }
            var i = 0
            while i < bytes.count {
                let end = min(i + chunk, bytes.count)
                try bytes[i..<end].withUnsafeBufferPointer { try parser.consume($0, emit) }
                i = end
            }
            try parser.finish(emit)
            return out
        }
        let whole = try records(chunk: bytes.count)
        #expect(whole.count == 8)
        for chunk in [1, 2, 3, 5, 7] { #expect(try records(chunk: chunk) == whole) }
    }

    @Test func textPairColumn() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let url = try files.write(
            "nli.csv", "premise,hypothesis,label\nA man sleeps.,A person rests.,entailment\n\"It rains, hard.\",It is dry.,contradiction\n")
        let reader = ClassificationReader(columns: ClassificationColumns(text: "premise", textPair: "hypothesis", label: "label"))
        let examples = try reader.read(url)
        #expect(
            examples == [
                ClassificationExample(text: "A man sleeps.", textPair: "A person rests.", label: "entailment", line: 2),
                ClassificationExample(text: "It rains, hard.", textPair: "It is dry.", label: "contradiction", line: 3),
            ])
    }

    @Test func tsvTreatsQuotesAsTextUnlessAskedTo() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let url = try files.write("sst.tsv", "sentence\tlabel\r\n\" a quote that never closes\t1\r\n\r\nplain\t0\r\n")
        let examples = try ClassificationReader(columns: ClassificationColumns(text: "sentence")).read(url)
        #expect(examples.map(\.text) == ["\" a quote that never closes", "plain"])
        #expect(examples.map(\.label) == ["1", "0"])
        #expect(examples.map(\.line) == [2, 4])

        let quoted = try files.write("pandas.tsv", "text\tlabel\n\"tab\there\"\tx\n")
        let reader = ClassificationReader(format: .tsv(quoting: true))
        #expect(try reader.read(quoted).map(\.text) == ["tab\there"])
    }

    @Test func jsonLines() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let url = try files.write(
            "d.jsonl",
            """
            {"text": "good", "label": "pos"}

            {"text": "bad \\"film\\"", "label": 0, "extra": [1, 2]}
            {"label": true, "text": "ok"}\r
            {"text": "last", "label": " neg "}
            """)
        let examples = try ClassificationReader().read(url)
        #expect(examples.map(\.text) == ["good", "bad \"film\"", "ok", "last"])
        #expect(examples.map(\.label) == ["pos", "0", "true", "neg"])
        #expect(examples.map(\.line) == [1, 3, 4, 5])
    }

    @Test func formatFromExtension() {
        #expect(ClassificationFileFormat(pathExtension: "CSV") == .csv)
        #expect(ClassificationFileFormat(pathExtension: "tsv") == .tsv(quoting: false))
        #expect(ClassificationFileFormat(pathExtension: "jsonl") == .jsonLines)
        #expect(ClassificationFileFormat(pathExtension: "txt") == nil)
    }

    @Test func streamingVisitsEveryExampleInOrder() throws {
        var lines: [Int] = []
        try ClassificationReader().forEachExample(in: dataFixture("rotten_tomatoes_slice.csv")) { lines.append($0.line) }
        #expect(lines == Array(2...41))
    }
}
