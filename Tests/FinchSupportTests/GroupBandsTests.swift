import FinchSupport
import Testing

/// `GroupBands`: edges, labels, values on the edges, bad input.
@Suite struct GroupBandsTests {
    @Test func labelsAndValuesOnTheEdges() throws {
        let bands = try GroupBands(parsing: "30, 45,60")
        #expect(bands.labels == ["<30", "30-44", "45-59", "60+"])
        #expect(bands.band(of: "29") == "<30")
        #expect(bands.band(of: "29.9") == "<30")
        #expect(bands.band(of: "30") == "30-44")
        #expect(bands.band(of: " 44 ") == "30-44")
        #expect(bands.band(of: "45") == "45-59")
        #expect(bands.band(of: "60") == "60+")
        #expect(bands.band(of: "unknown") == nil)
        #expect(bands.band(of: "nan") == nil)
        #expect(try bands.apply(["18", "70"], file: "u.csv", column: "age") == ["<30", "60+"])
    }

    @Test func badEdgesAndValuesAreNamed() throws {
        #expect(throws: GroupBandsError.invalidEdges(text: "30,30", reason: "edges must increase (30 then 30)")) {
            try GroupBands(parsing: "30,30")
        }
        #expect(throws: GroupBandsError.invalidEdges(text: "30,x", reason: "'x' is not a whole number")) {
            try GroupBands(parsing: "30,x")
        }
        let bands = try GroupBands(parsing: "30")
        #expect(bands.labels == ["<30", "30+"])
        #expect(throws: GroupBandsError.notANumber(file: "u.csv", record: 2, column: "age", value: "old")) {
            try bands.apply(["20", "old"], file: "u.csv", column: "age")
        }
    }
}
