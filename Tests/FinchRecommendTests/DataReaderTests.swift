import FinchSupport
import Foundation
import Testing

@testable import FinchRecommend

@Suite struct DataReaderTests {
    @Test func readsCSVWithDefaultColumnsIntoDenseIndicesInFirstAppearanceOrder() throws {
        let path = try TestData.temporaryFile(
            "r.csv", "userId,itemId,rating,timestamp\nalice,m1,4,100\nbob,m2,3.5,90\nalice,m2,2,80\n")
        let data = try RatingFileReader.read(path)
        #expect(data.users.ids == ["alice", "bob"])
        #expect(data.items.ids == ["m1", "m2"])
        #expect(data.userIndices == [0, 1, 0])
        #expect(data.itemIndices == [0, 1, 1])
        #expect(data.values == [4, 3.5, 2])
        #expect(data.timestamps == [100, 90, 80])
        #expect(data.feedback == .explicit)
        #expect(data.ratingScale == RatingScale(lower: 2, upper: 4))
    }

    @Test func customColumnsQuotedFieldsAndOtherColumnOrder() throws {
        let path = try TestData.temporaryFile(
            "r.csv", "score,who,what\n5,\"Smith, J\",\"The \"\"Film\"\"\"\n1,ann,x\n")
        var options = RatingFileOptions()
        options.userColumn = "who"
        options.itemColumn = "what"
        options.ratingColumn = "score"
        options.ratingColumnRequired = true
        let data = try RatingFileReader.read(path, options: options)
        #expect(data.users.ids == ["Smith, J", "ann"])
        #expect(data.items.ids == ["The \"Film\"", "x"])
        #expect(data.values == [5, 1])
        #expect(data.timestamps == nil)
    }

    @Test func missingRequiredColumnNamesTheColumnAndTheHeader() throws {
        let path = try TestData.temporaryFile("r.csv", "user,itemId,rating\n1,2,3\n")
        #expect(throws: DataError.missingColumn(file: path, line: 1, column: "userId", found: ["user", "itemId", "rating"])) {
            try RatingFileReader.read(path)
        }
    }

    @Test func noRatingColumnMeansImplicitFeedbackWithWeightOneAndRepeatsAreSummed() throws {
        let path = try TestData.temporaryFile("clicks.csv", "userId,itemId\na,x\na,y\na,x\nb,x\n")
        let data = try RatingFileReader.read(path)
        #expect(data.feedback == .implicit)
        #expect(data.values == [2, 1, 1])
        #expect(data.report.duplicateCount == 1)
        #expect(data.ratingScale == nil)
    }

    @Test func implicitFlagReadsTheRatingColumnAsAWeight() throws {
        let path = try TestData.temporaryFile("plays.csv", "userId,itemId,rating\na,x,12\na,y,3\n")
        var options = RatingFileOptions()
        options.implicit = true
        let data = try RatingFileReader.read(path, options: options)
        #expect(data.feedback == .implicit)
        #expect(data.values == [12, 3])
    }

    @Test func explicitDuplicatesKeepTheLastValue() throws {
        let path = try TestData.temporaryFile("r.csv", "userId,itemId,rating\na,x,1\na,x,5\n")
        let data = try RatingFileReader.read(path)
        #expect(data.values == [5])
        #expect(data.report.duplicateCount == 1)
    }

    @Test func readsMovieLensUDataAndDoubleColonFiles() throws {
        let udata = try TestData.temporaryFile("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n")
        let a = try RatingFileReader.read(udata)
        #expect(a.users.ids == ["196", "186"])
        #expect(a.items.ids == ["242", "302", "377"])
        #expect(a.values == [3, 3, 1])
        #expect(a.timestamps == [881_250_949, 891_717_742, 878_887_116])
        let dat = try TestData.temporaryFile("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n")
        let b = try RatingFileReader.read(dat)
        #expect(b.items.ids == ["1193", "661"])
        #expect(b.values == [5, 3])
    }

    @Test func readsTSVWithHeader() throws {
        let path = try TestData.temporaryFile("r.tsv", "userId\titemId\trating\nu 1\ti,1\t4\n")
        let data = try RatingFileReader.read(path)
        #expect(data.users.ids == ["u 1"])
        #expect(data.items.ids == ["i,1"])
    }

    @Test func readsJSONLinesKeepingNumericIdsAsWritten() throws {
        let path = try TestData.temporaryFile(
            "r.jsonl",
            """
            {"userId": 196, "itemId": "caf\\u00e9", "rating": 4.5, "timestamp": 10, "meta": {"x": [1, 2]}}
            {"userId": "a\\"b", "itemId": 7, "rating": 1, "timestamp": 11, "flag": true}

            """)
        let data = try RatingFileReader.read(path)
        #expect(data.users.ids == ["196", "a\"b"])
        #expect(data.items.ids == ["café", "7"])
        #expect(data.values == [4.5, 1])
        #expect(data.timestamps == [10, 11])
    }

    @Test func badRowsAreReportedWithFileLineAndField() throws {
        var options = RatingFileOptions()
        options.ratingScale = RatingScale(lower: 1, upper: 5)
        let header = "userId,itemId,rating\n"
        let cases: [(String, (String) -> DataError)] = [
            ("a,x,4\nb,y\n", { .missingField(file: $0, line: 3, field: "rating") }),
            ("a,x,4\nb,y,good\n", { .notANumber(file: $0, line: 3, field: "rating", value: "good") }),
            ("a,x,4\nb,y,6\n", { .outOfRange(file: $0, line: 3, field: "rating", value: 6, lower: 1, upper: 5) }),
            ("a,x,4\n,y,2\n", { .emptyField(file: $0, line: 3, field: "userId") }),
            ("a,x,4\nb,\"y,2\n", { .unterminatedQuote(file: $0, line: 3, field: 2) }),
            ("a,x,4\nb,y,nan\n", { .notANumber(file: $0, line: 3, field: "rating", value: "nan") }),
        ]
        for (body, expected) in cases {
            let path = try TestData.temporaryFile("bad.csv", header + body)
            let located = expected(path)
            #expect(throws: located) { try RatingFileReader.read(path, options: options) }
            #expect(located.description.hasPrefix("\(path):3:"))
        }
    }

    @Test func nonUTF8FieldsAreRejectedWithFileLineAndField() throws {
        var csv = Array("userId,itemId,rating\na,x,4\nb,y".utf8)
        csv += [0xFF, 0xFE]
        csv += Array(",2\n".utf8)
        #expect(throws: DataError.invalidUTF8(file: "r.csv", line: 3, field: "itemId")) {
            try RatingFileReader.parse(bytes: csv, file: "r.csv", options: RatingFileOptions())
        }
        let dat: [UInt8] = Array("1::2::3::4\n".utf8) + [0xC0, 0xAF] + Array("::2::3::4\n".utf8)
        #expect(throws: DataError.invalidUTF8(file: "ratings.dat", line: 2, field: nil)) {
            try RatingFileReader.parse(bytes: dat, file: "ratings.dat", options: RatingFileOptions())
        }
        let jsonl: [UInt8] = Array("{\"userId\": \"".utf8) + [0xFF] + Array("\", \"itemId\": \"x\"}\n".utf8)
        #expect(throws: DataError.invalidUTF8(file: "r.jsonl", line: 1, field: nil)) {
            try RatingFileReader.parse(bytes: jsonl, file: "r.jsonl", options: RatingFileOptions())
        }
    }

    @Test func jsonLinesFieldsOfTheWrongTypeSaySo() throws {
        func read(_ text: String) throws {
            _ = try RatingFileReader.parse(bytes: Array(text.utf8), file: "r.jsonl", options: RatingFileOptions())
        }
        #expect(throws: DataError.notANumber(file: "r.jsonl", line: 2, field: "rating", value: "x")) {
            try read("{\"userId\": 1, \"itemId\": 2, \"rating\": 4}\n{\"userId\": 1, \"itemId\": 3, \"rating\": \"x\"}\n")
        }
        #expect(
            throws: DataError.wrongType(file: "r.jsonl", line: 1, field: "userId", expected: "a string or an integer", found: "a boolean")
        ) {
            try read("{\"userId\": true, \"itemId\": 2, \"rating\": 4}\n")
        }
        #expect(throws: DataError.wrongType(file: "r.jsonl", line: 1, field: "rating", expected: "a number", found: "null")) {
            try read("{\"userId\": 1, \"itemId\": 2, \"rating\": null}\n")
        }
    }

    /// Regression: the CSV path once copied the dataset builder per row
    /// (quadratic: 160 s for MovieLens 100k in a debug build, 3 s after).
    @Test func readingIsLinearInTheRows() throws {
        var text = "userId,itemId,rating\n"
        for n in 0..<50_000 { text += "u\(n % 943),i\(n % 1682),\(1 + n % 5)\n" }
        let start = ContinuousClock.now
        let data = try RatingFileReader.parse(bytes: Array(text.utf8), file: "big.csv", options: RatingFileOptions())
        let seconds = Double((ContinuousClock.now - start).components.seconds)
        #expect(data.count + data.report.duplicateCount == 50_000)
        #expect(seconds < 15, "50,000 rows took \(seconds) s")
    }

    @Test func skipBadRowsCountsAndReportsThemInFileOrder() throws {
        let path = try TestData.temporaryFile(
            "bad.jsonl",
            """
            {"userId": "a", "itemId": "x", "rating": 4}
            {"userId": "b", "itemId": "y", "rating": "n/a"}
            not json
            {"userId": "c", "rating": 2}
            {"userId": "d", "itemId": "z", "rating": 3}

            """)
        var options = RatingFileOptions()
        options.skipBadRows = true
        let data = try RatingFileReader.read(path, options: options)
        #expect(data.count == 2)
        #expect(data.report.rowCount == 5)
        #expect(data.report.skippedRowCount == 3)
        #expect(data.report.problems.map(\.line) == [2, 3, 4])
        #expect(data.report.problems[0] == .notANumber(file: path, line: 2, field: "rating", value: "n/a"))
        #expect(data.report.problems[2] == .missingField(file: path, line: 4, field: "itemId"))
    }

    @Test func unreadableAndEmptyFilesFailClearly() throws {
        #expect(throws: DataError.self) { try RatingFileReader.read("/nonexistent/ratings.csv") }
        let empty = try TestData.temporaryFile("e.csv", "userId,itemId,rating\n")
        #expect(throws: DataError.emptyFile(file: empty)) { try RatingFileReader.read(empty) }
    }

    @Test func ratingScaleParsing() throws {
        #expect(try RatingScale(parsing: "1,5") == RatingScale(lower: 1, upper: 5))
        #expect(try RatingScale(parsing: "0.5:5") == RatingScale(lower: 0.5, upper: 5))
        #expect(try RatingScale(parsing: "1-10") == RatingScale(lower: 1, upper: 10))
        #expect(throws: RecommendError.self) { try RatingScale(parsing: "5,1") }
        #expect(throws: RecommendError.self) { try RatingScale(parsing: "five") }
    }
}

@Suite struct RatingMatrixTests {
    @Test func csrAndCscViewsAgreeAndKeepInputOrderWithinRows() {
        // users 0..2, items 0..3
        let m = RatingMatrix(
            userCount: 3, itemCount: 4, users: [2, 0, 0, 2, 1], items: [3, 1, 0, 0, 1], values: [5, 4, 3, 2, 1])
        #expect(m.byUser.offsets == [0, 2, 3, 5])
        #expect(m.byUser.indices == [1, 0, 1, 3, 0])
        #expect(m.byUser.values == [4, 3, 1, 5, 2])
        #expect(m.byItem.offsets == [0, 2, 4, 4, 5])
        #expect(m.byItem.indices == [0, 2, 0, 1, 2])
        #expect(m.byItem.values == [3, 2, 4, 1, 5])
        #expect(m.globalMean == 3)
        #expect(m.knowsItem(1) && !m.knowsItem(2) && !m.knowsItem(9) && !m.knowsUser(-1))
        #expect(m.value(user: 2, item: 0) == 2)
        #expect(m.value(user: 1, item: 0) == nil)
        let rebuilt = RatingMatrix(itemCount: 4, byUser: m.byUser)
        #expect(rebuilt.byUser == m.byUser)
        #expect(rebuilt.globalMean == m.globalMean)
    }

    @Test func idMapAssignsIndicesInInsertionOrderAndRejectsDuplicates() throws {
        var map = IDMap()
        #expect(map.insert("b") == (0, true))
        #expect(map.insert("a") == (1, true))
        #expect(map.insert("b") == (0, false))
        #expect(map.index(of: "a") == 1 && map.index(of: "zz") == nil && map[0] == "b")
        #expect(throws: RecommendError.duplicateIdentifier("x")) { try IDMap(ids: ["x", "y", "x"]) }
        let json = try JSONEncoder().encode(map)
        #expect(try JSONDecoder().decode(IDMap.self, from: json) == map)
    }

    @Test func corruptSparseRowsAreRejected() {
        #expect(throws: RecommendError.self) { try SparseRows(offsets: [0, 2, 1], indices: [0], values: [1], columnCount: 3) }
        #expect(throws: RecommendError.self) { try SparseRows(offsets: [0, 1], indices: [7], values: [1], columnCount: 3) }
    }
}
