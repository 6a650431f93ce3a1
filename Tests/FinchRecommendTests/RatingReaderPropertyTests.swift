import FinchSupport
import Foundation
import PropertyBased
import Testing

@testable import FinchRecommend

/// The ratings reader on any bytes, in every format: a `DataError` located in
/// the file, or a dataset whose invariants hold; never a crash or another error.
/// And ratings written by the rules of each format read back exactly.
@Suite struct RatingReaderPropertyTests {
    static let structural: [UInt8] =
        Array("\",\t\n\r :{}\\0123456789.-eE+userIditemratingtimestamp".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0xC0]

    static let bytes = Gen.uint8().array(of: 0...300).map { raw in
        raw.enumerated().map { n, b in n % 4 == 3 ? b : structural[Int(b) % structural.count] }
    }

    static let prefixes: [String] = [
        "", "userId,itemId,rating\n", "userId\titemId\trating\ttimestamp\n", "{\"userId\": \"a\", \"itemId\": \"b\", \"rating\": 3}\n",
        "1::2::3::4\n",
    ]

    static func check(_ bytes: [UInt8], file: String, options: RatingFileOptions) {
        do {
            let data = try RatingFileReader.parse(bytes: bytes, file: file, options: options)
            #expect(data.count > 0)
            #expect(data.userIndices.count == data.count && data.itemIndices.count == data.count)
            #expect(data.userIndices.allSatisfy { $0 >= 0 && Int($0) < data.users.count })
            #expect(data.itemIndices.allSatisfy { $0 >= 0 && Int($0) < data.items.count })
            #expect(data.values.allSatisfy { $0.isFinite })
            #expect(data.users.ids.allSatisfy { !$0.isEmpty } && data.items.ids.allSatisfy { !$0.isEmpty })
            if let scale = data.ratingScale, data.feedback == .explicit { #expect(data.values.allSatisfy { scale.contains($0) }) }
            #expect(data.report.rowCount >= data.count)
        } catch let error as DataError {
            #expect(error.location.file == file, "\(error)")
            if let line = error.location.line { #expect(line >= 1 && line <= bytes.count + 1, "\(error)") }
        } catch {
            Issue.record("not a DataError: \(type(of: error)) \(error)")
        }
    }

    @Test func anyBytesInEveryFormatAreADatasetOrALocatedError() async {
        let formats: [(String, RatingFileOptions.Format)] = [
            ("r.csv", .csv), ("r.tsv", .tsv), ("r.jsonl", .jsonl), ("r.dat", .movielens), ("r", .auto),
        ]
        await propertyCheck(count: 250, input: Self.bytes, Gen.int(in: 0...4), Gen.bool()) { body, prefix, skip in
            let bytes = Array(Self.prefixes[prefix].utf8) + body
            for (file, format) in formats {
                var options = RatingFileOptions()
                options.format = format
                options.skipBadRows = skip
                Self.check(bytes, file: file, options: options)
                options.ratingScale = RatingScale(lower: 1, upper: 5)
                Self.check(bytes, file: file, options: options)
            }
        }
    }

    /// Ids that need quoting or escaping; never blank at the ends (the reader trims spaces).
    static let id = Gen.uint32(in: 0...0x10_FFFF).array(of: 0...6).map { codes -> String in
        let awkward = Array(",\t\"\r\n \\{}:é中🙂\u{1}".unicodeScalars)
        var view = String.UnicodeScalarView("x".unicodeScalars)
        for c in codes { view.append(c % 2 == 0 ? awkward[Int(c) % awkward.count] : Unicode.Scalar(c) ?? "\u{FFFD}") }
        view.append("x")
        return String(view)
    }

    @Test func ratingsWrittenAsCSVOrJSONLinesReadBackExactly() async {
        let row = zip(Self.id, Gen.int(in: 1...5))
        await propertyCheck(count: 150, input: row.array(of: 1...12)) { rows in
            // Distinct (user, item) pairs: the item id carries the row number.
            let ratings = rows.enumerated().map { n, r in (user: r.0, item: "i\(n)" + r.0, rating: r.1) }
            var csv = "userId,itemId,rating\r\n"
            for r in ratings {
                csv += "\"\(Self.doublingQuotes(r.user))\",\"\(Self.doublingQuotes(r.item))\",\(r.rating)\r\n"
            }
            var jsonl = ""
            for r in ratings {
                let object: [String: JSONValue] = ["userId": .string(r.user), "itemId": .string(r.item), "rating": .int(r.rating)]
                jsonl += String(decoding: try JSONEncoder().encode(object), as: UTF8.self) + "\n"
            }
            for (file, text) in [("r.csv", csv), ("r.jsonl", jsonl)] {
                let data = try RatingFileReader.parse(bytes: Array(text.utf8), file: file, options: RatingFileOptions())
                var users: [String] = []
                for r in ratings where !users.contains(r.user) { users.append(r.user) }
                #expect(data.users.ids == users, "\(file)")
                #expect(data.items.ids == ratings.map(\.item), "\(file)")
                #expect(data.values == ratings.map { Float($0.rating) }, "\(file)")
            }
        }
    }

    static func doublingQuotes(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            view.append(scalar)
            if scalar == "\"" { view.append(scalar) }
        }
        return String(view)
    }
}
