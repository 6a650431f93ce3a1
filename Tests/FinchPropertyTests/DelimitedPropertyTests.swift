import FinchSupport
import FinchTrain
import Foundation
import PropertyBased
import Testing

/// The CSV reader: any texts written with RFC 4180 quoting read back exactly,
/// and arbitrary bytes are a `DataError`, never a crash.
@Suite struct DelimitedPropertyTests {
    static let label = Gen.lowercaseLetter.string(of: 1...6)

    @Test func quotedFieldsRoundTrip() async throws {
        // A text always holds a letter (blank texts are rejected by design).
        let text = PropertyInputs.text.map { "x" + $0.replacingOccurrences(of: "\u{0}", with: "") }
        let row = zip(text, Self.label)
        await propertyCheck(count: 200, input: row.array(of: 1...8)) { rows in
            var csv = "text,label\r\n"
            for (text, label) in rows {
                csv += "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"," + label + "\r\n"
            }
            let url = try PropertyInputs.file(Data(csv.utf8), name: "rows.csv")
            let examples = try ClassificationReader(format: .csv).read(url)
            #expect(examples.map(\.text) == rows.map(\.0))
            #expect(examples.map(\.label) == rows.map(\.1))
        }
    }

    @Test func arbitraryBytesAreADataErrorOrExamples() async throws {
        await propertyCheck(count: 300, input: PropertyInputs.bytes) { bytes in
            let url = try PropertyInputs.file(Data("text,label\n".utf8) + Data(bytes), name: "random.csv")
            for format in [ClassificationFileFormat.csv, .tsv(quoting: false), .tsv(quoting: true), .jsonLines] {
                do {
                    let examples = try ClassificationReader(format: format).read(url)
                    #expect(examples.allSatisfy { !$0.text.isEmpty && !$0.label.isEmpty })
                } catch {
                    #expect(error is DataError, "\(type(of: error)): \(error)")
                }
            }
        }
    }
}
