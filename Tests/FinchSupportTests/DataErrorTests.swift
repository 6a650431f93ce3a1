import FinchSupport
import Testing

@Suite struct DataErrorTests {
    @Test func messagesStartWithFileAndLineAndNameTheField() {
        #expect(
            DataError.notANumber(file: "r.csv", line: 3, field: "rating", value: "x").description
                == "r.csv:3: field 'rating' is not a number: 'x'")
        #expect(
            DataError.wrongType(file: "r.jsonl", line: 2, field: "text", expected: "a string", found: "an integer").description
                == "r.jsonl:2: field 'text' is not a string (found an integer)")
        #expect(
            DataError.outOfRange(file: "r.csv", line: 9, field: "rating", value: 6, lower: 1, upper: 5).description
                == "r.csv:9: field 'rating' is 6.0, outside [1.0, 5.0]")
        #expect(DataError.invalidUTF8(file: "r.csv", line: 4, field: nil).description == "r.csv:4: the line is not valid UTF-8")
    }

    @Test func everyCaseHasALocation() {
        #expect(DataError.missingField(file: "f", line: 2, field: "itemId").location == DataLocation(file: "f", line: 2, field: "itemId"))
        #expect(DataError.unterminatedQuote(file: "f", line: 7, field: 3).location == DataLocation(file: "f", line: 7, field: "3"))
        #expect(DataError.emptyFile(file: "f").location == DataLocation(file: "f"))
        #expect(DataError.malformedJSON(file: "f", line: 5, reason: "x").line == 5)
        #expect(DataLocation(file: "a.csv", line: 3, field: "text").description == "a.csv:3: field 'text'")
    }
}
