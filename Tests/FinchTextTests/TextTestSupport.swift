import FinchTestSupport
import Foundation
import Testing

@testable import FinchText

/// Locations and fixtures for the FinchText tests.
enum TextTestSupport {
    /// Repository root (three levels above this file).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<name>`.
    static func fixtureURL(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// all-MiniLM-L6-v2 (`TestSupport.miniLMDirectory`: env FINCH_MINILM_DIR, else `.build/finch-python`).
    static func miniLMDirectory() throws -> URL { try TestSupport.miniLMDirectory() }

    /// multilingual-e5-small's tokenizer (`TestSupport.e5Directory`: env FINCH_E5_DIR, else `.build/finch-python`).
    static func e5Directory() throws -> URL { try TestSupport.e5Directory() }

    /// Tokenizers are loaded once per test process and shared.
    static let miniLM: Result<Tokenizer, any Error> = Result { try Tokenizer.load(directory: try miniLMDirectory()) }
    static let miniLMFromVocabulary: Result<Tokenizer, any Error> = Result {
        let directory = try miniLMDirectory()
        return try Tokenizer.wordPiece(
            vocabularyFile: directory.appendingPathComponent("vocab.txt"),
            config: try Tokenizer.readConfig(in: directory))
    }
    static let e5: Result<Tokenizer, any Error> = Result { try Tokenizer.load(directory: try e5Directory()) }
}

/// A test resource that is not installed.
struct MissingResource: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One line of a tokenizer fixture (see Scripts/make_tokenizer_fixtures.py).
struct TokenizerCase: Decodable {
    var text: String
    var pair: String?
    var maxLength: Int?
    var side: TruncationSide?
    var ids: [Int]
    var tokens: [String]
    var typeIDs: [Int]
    var offsets: [Int]
    var words: [Int?]
    var special: [Int]

    enum CodingKeys: String, CodingKey {
        case text, pair, ids, tokens, offsets, words, special, side
        case maxLength = "max_length"
        case typeIDs = "type_ids"
    }
}

/// A batch-padding line of a tokenizer fixture.
struct PaddingCase: Decodable {
    var batch: [String]
    var padding: Padding.Length
    var multipleOf: Int?
    var ids: [[Int]]
    var typeIDs: [[Int]]
    var attention: [[Int]]
    var special: [[Int]]

    enum CodingKeys: String, CodingKey {
        case batch, padding, ids, attention, special
        case multipleOf = "multiple_of"
        case typeIDs = "type_ids"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        batch = try c.decode([String].self, forKey: .batch)
        if let n = try? c.decode(Int.self, forKey: .padding) {
            padding = .fixed(n)
        } else {
            let name = try c.decode(String.self, forKey: .padding)
            guard name == "longest" else {
                throw DecodingError.dataCorruptedError(forKey: .padding, in: c, debugDescription: name)
            }
            padding = .longest
        }
        multipleOf = try c.decodeIfPresent(Int.self, forKey: .multipleOf)
        ids = try c.decode([[Int]].self, forKey: .ids)
        typeIDs = try c.decode([[Int]].self, forKey: .typeIDs)
        attention = try c.decode([[Int]].self, forKey: .attention)
        special = try c.decode([[Int]].self, forKey: .special)
    }
}

/// A parsed fixture file.
struct TokenizerFixture {
    var meta: [String: Any]
    var cases: [TokenizerCase]
    var batches: [PaddingCase]

    /// `synthetic.jsonl`: cases tagged with the tokenizer file they use.
    static func loadSynthetic() throws -> [(tokenizer: String, case: TokenizerCase)] {
        let text = try String(contentsOf: TextTestSupport.fixtureURL("tokenizers/synthetic.jsonl"), encoding: .utf8)
        struct Tag: Decodable { var tokenizer: String? }
        var result: [(tokenizer: String, case: TokenizerCase)] = []
        for line in text.split(separator: "\n") {
            let data = Data(line.utf8)
            guard let name = try JSONDecoder().decode(Tag.self, from: data).tokenizer else { continue }
            result.append((name, try JSONDecoder().decode(TokenizerCase.self, from: data)))
        }
        return result
    }

    static func load(_ name: String) throws -> TokenizerFixture {
        let text = try String(contentsOf: TextTestSupport.fixtureURL("tokenizers/\(name)"), encoding: .utf8)
        var fixture = TokenizerFixture(meta: [:], cases: [], batches: [])
        let decoder = JSONDecoder()
        for line in text.split(separator: "\n") {
            let data = Data(line.utf8)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            if let meta = object["meta"] as? [String: Any] {
                fixture.meta = meta
            } else if object["batch"] != nil {
                fixture.batches.append(try decoder.decode(PaddingCase.self, from: data))
            } else {
                fixture.cases.append(try decoder.decode(TokenizerCase.self, from: data))
            }
        }
        return fixture
    }
}
