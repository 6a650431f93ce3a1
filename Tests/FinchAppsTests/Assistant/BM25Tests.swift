import FinchTestSupport
import Foundation
import Testing

@testable import FinchApps

/// BM25 against rank_bm25's BM25Okapi (`Scripts/make_bm25_fixture.py`, version in the fixture's meta).
@Suite struct BM25Tests {
    struct Corpus: Decodable {
        struct Query: Decodable {
            var text: String
            var terms: [String]
            var scores: [Double]
        }
        var documents: [String]
        var terms: [[String]]
        var idf: [String: Double]
        var floored_terms: [String]
        var queries: [Query]
    }

    struct Fixture: Decodable {
        var meta: [String: String]
        var corpora: [String: Corpus]
    }

    static func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestSupport.fixtureURL("assistant/bm25_okapi.json")))
    }

    @Test(arguments: ["english", "chinese"])
    func scoresEqualRankBM25(_ name: String) throws {
        let fixture = try Self.fixture()
        #expect(fixture.meta["rank_bm25"] != nil)
        let corpus = try #require(fixture.corpora[name])
        #expect(corpus.documents.map(LexicalTokenizer.terms) == corpus.terms)
        #expect(!corpus.floored_terms.isEmpty, "the fixture exercises the negative-idf floor")
        let bm25 = BM25Okapi(documents: corpus.terms)
        #expect(bm25.k1 == 1.5 && bm25.b == 0.75 && bm25.epsilon == 0.25)
        for (term, idf) in corpus.idf {
            let mine = try #require(bm25.idf[term])
            #expect(Swift.abs(mine - idf) <= 1e-12 * Swift.max(1, Swift.abs(idf)), "idf of \(term)")
        }
        var nonzero = 0
        for q in corpus.queries {
            #expect(LexicalTokenizer.terms(q.text) == q.terms)
            let scores = bm25.scores(q.terms)
            #expect(scores.count == q.scores.count)
            for (a, b) in zip(scores, q.scores) {
                #expect(Swift.abs(a - b) <= 1e-9 * Swift.max(Swift.abs(b), 1e-300) || a == b, "\(q.text): \(a) vs \(b)")
                if b != 0 { nonzero += 1 }
            }
        }
        #expect(nonzero > 5)
    }

    @Test func tokenizerSplitsWordsAndHanCharactersWithBigrams() {
        #expect(LexicalTokenizer.terms("Don't RESET my password!") == ["don't", "reset", "my", "password"])
        #expect(LexicalTokenizer.terms("密码忘了") == ["密", "密码", "码", "码忘", "忘", "忘了", "了"])
        #expect(LexicalTokenizer.terms("用Python写的，对吗") == ["用", "python", "写", "写的", "的", "对", "对吗", "吗"])
        #expect(LexicalTokenizer.terms(" ' -- ") == [])
    }

    @Test func aTermInMoreThanHalfTheDocumentsGetsTheFloor() {
        let bm25 = BM25Okapi(documents: [["a", "b"], ["a"], ["a", "c"], ["d"]])
        // idf(a) = ln(1.5) - ln(3.5) < 0; mean over a, b, c, d; floor = 0.25 · mean.
        let idfB = log(4 - 1 + 0.5) - log(1.5)
        let mean = (log(1.5) - log(3.5) + 3 * idfB) / 4
        #expect(Swift.abs(bm25.idf["a"]! - 0.25 * mean) < 1e-15)
        #expect(bm25.scores(["zzz"]) == [0, 0, 0, 0])
        #expect(bm25.scores(["b", "b"])[0] == 2 * bm25.scores(["b"])[0])
    }
}
