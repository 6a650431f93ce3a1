import FinchTestSupport
import Foundation
import Testing

@testable import FinchTrain

/// Cases written by Scripts/make_tfidf_fixture.py (scikit-learn's TfidfVectorizer).
struct TfidfFixture: Decodable {
    struct Settings: Decodable {
        let analyzer: String
        let ngram_min: Int
        let ngram_max: Int
        let sublinear_tf: Bool
        let smooth_idf: Bool
        let normalize: Bool
        let max_features: Int?
        let min_df: [String: Double]
        let max_df: [String: Double]
    }
    struct CSR: Decodable {
        let indptr: [Int]
        let indices: [Int32]
        let data: [Double]
    }
    struct Case: Decodable {
        let name: String
        let settings: Settings
        let vocabulary: [String]
        let idf: [Double]
        let fit_transform: CSR
        let transform: CSR
    }
    let meta: [String: String]
    let corpus: [String]
    let unseen: [String]
    let cases: [Case]

    static func load() throws -> TfidfFixture {
        try JSONDecoder().decode(TfidfFixture.self, from: Data(contentsOf: TestSupport.fixtureURL("classical/tfidf.json")))
    }

    static var caseNames: [String] {
        do { return try load().cases.map(\.name) } catch { return ["tfidf.json did not load: \(error)"] }
    }
}

extension TfidfFixture.Settings {
    var configuration: TfidfConfiguration {
        var c = TfidfConfiguration()
        c.analyzer = TextAnalyzer(rawValue: analyzer)!
        c.ngramMin = ngram_min
        c.ngramMax = ngram_max
        c.sublinearTF = sublinear_tf
        c.smoothIDF = smooth_idf
        c.normalize = normalize
        c.maxFeatures = max_features
        c.minDF = Self.limit(min_df)
        c.maxDF = Self.limit(max_df)
        return c
    }

    static func limit(_ v: [String: Double]) -> DocumentFrequencyLimit {
        if let n = v["count"] { return .count(Int(n)) }
        return .fraction(v["fraction"]!)
    }
}

@Suite struct TfidfVectorizerTests {
    /// Values within 1e-12 of scikit-learn's (float64 sums in another order differ in the last bits).
    static let tolerance = 1e-12

    static func expectEqual(_ m: SparseMatrix, _ reference: TfidfFixture.CSR, _ what: String) {
        #expect(m.rowStarts == reference.indptr, "\(what): row layout")
        #expect(m.columns == reference.indices, "\(what): columns")
        let worst = zip(m.values, reference.data).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(m.values.count == reference.data.count && worst <= tolerance, "\(what): largest difference \(worst)")
    }

    @Test(arguments: TfidfFixture.caseNames)
    func matchesScikitLearn(_ name: String) throws {
        let fixture = try TfidfFixture.load()
        let reference = try #require(fixture.cases.first { $0.name == name })
        let (vectorizer, features) = try TfidfVectorizer.fitTransform(fixture.corpus, configuration: reference.settings.configuration)
        #expect(vectorizer.vocabulary == reference.vocabulary)
        let idfError = zip(vectorizer.idf, reference.idf).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(vectorizer.idf.count == reference.idf.count && idfError <= Self.tolerance)
        Self.expectEqual(features, reference.fit_transform, "fit_transform")
        Self.expectEqual(vectorizer.transform(fixture.unseen), reference.transform, "transform")
        // A saved and reloaded vectorizer transforms identically.
        let reloaded = try JSONDecoder().decode(TfidfVectorizer.self, from: JSONEncoder().encode(vectorizer))
        #expect(reloaded == vectorizer)
        #expect(reloaded.transform(fixture.unseen) == vectorizer.transform(fixture.unseen))
    }

    @Test func defaultsAreScikitLearns() {
        let c = TfidfConfiguration()
        #expect(c.analyzer == .word && c.ngramMin == 1 && c.ngramMax == 1)
        #expect(c.minDF == .count(1) && c.maxDF == .fraction(1.0) && c.maxFeatures == nil)
        #expect(!c.sublinearTF && c.smoothIDF && c.normalize)
    }

    @Test func wordTokensFollowPythonsWordCharacters() {
        // A combining accent is not a word character in Python's re; an underscore and digits are.
        let terms = TextAnalyzer.word.terms("Cafe\u{301} snake_case x1 a 12%", ngramRange: 1...1)
        #expect(terms.map { String(decoding: $0, as: UTF8.self) } == ["cafe", "snake_case", "x1", "12"])
    }

    @Test func prunedToNothingIsAnError() {
        var c = TfidfConfiguration()
        c.minDF = .count(2)
        #expect(throws: ClassicalError.emptyVocabulary(reason: "after pruning no terms remain; try a lower min_df or a higher max_df")) {
            try TfidfVectorizer.fit(["one two", "three four"], configuration: c)
        }
        #expect(
            throws: ClassicalError.emptyVocabulary(reason: "no document has a term; the documents may be empty or hold only punctuation")
        ) {
            try TfidfVectorizer.fit(["!", "a ?"])  // one-letter words are no tokens of the default pattern
        }
        c.maxDF = .count(1)
        #expect(throws: ClassicalError.invalidSetting(name: "max_df", reason: "corresponds to fewer documents (1) than min_df (2)")) {
            try TfidfVectorizer.fit(["aa bb", "bb cc"], configuration: c)
        }
    }

    @Test func documentFrequencyLimitsParseAsPythonTellsIntFromFloat() {
        #expect(DocumentFrequencyLimit(parsing: "2") == .count(2))
        #expect(DocumentFrequencyLimit(parsing: "1.0") == .fraction(1.0))
        #expect(DocumentFrequencyLimit(parsing: "0.5") == .fraction(0.5))
        #expect(DocumentFrequencyLimit(parsing: "1.5") == nil)
        #expect(DocumentFrequencyLimit(parsing: "-1") == nil)
    }
}
