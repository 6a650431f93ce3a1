import Foundation
import Testing

@testable import FinchText

/// Loading failures name the file and field; unsupported components are
/// reported by type instead of failing obscurely.
@Suite struct LoadingErrorTests {
    /// A fresh temporary directory holding `files` (name → contents).
    static func directory(_ files: [String: Data]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-text-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: url.appendingPathComponent(name)) }
        return url
    }

    static func loadError(_ files: [String: String]) throws -> TokenizerError {
        let url = try directory(files.mapValues { Data($0.utf8) })
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try Tokenizer.load(directory: url)
        } catch let error as TokenizerError {
            return error
        }
        Issue.record("loading \(files.keys.sorted()) should have failed")
        throw MissingResource("no error")
    }

    @Test func emptyDirectory() throws {
        let error = try Self.loadError([:])
        guard case .noTokenizerFiles = error else { throw MissingResource("wrong error \(error)") }
        #expect(error.description.contains("no tokenizer.json or vocab.txt"))
    }

    @Test func malformedJSONNamesTheField() throws {
        let missingModel = try Self.loadError(["tokenizer.json": #"{"version": "1.0"}"#])
        #expect(missingModel.description.contains("tokenizer.json"))
        #expect(missingModel.description.contains("`model`"), "\(missingModel)")
        let badVocab = try Self.loadError([
            "tokenizer.json": #"{"model": {"type": "WordPiece", "vocab": {"a": "x"}, "unk_token": "a"}}"#
        ])
        #expect(badVocab.description.contains("model.vocab.a"), "\(badVocab)")
        let notJSON = try Self.loadError(["tokenizer.json": "{not json"])
        guard case .invalidJSON = notJSON else { throw MissingResource("wrong error \(notJSON)") }
    }

    @Test func unsupportedComponentsAreNamed() throws {
        let bpe = try Self.loadError(["tokenizer.json": #"{"model": {"type": "BPE", "vocab": {}, "merges": []}}"#])
        #expect(bpe == .unsupported(path: bpe.path, component: "model", type: "BPE"))
        let nfkc = try Self.loadError([
            "tokenizer.json":
                #"{"normalizer": {"type": "NFKC"}, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}"#
        ])
        #expect(nfkc.description.contains("normalizer of type `NFKC` is not supported"), "\(nfkc)")
        let byteLevel = try Self.loadError([
            "tokenizer.json":
                #"{"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "ByteLevel"}]}, "#
                + #""model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}"#
        ])
        #expect(byteLevel.description.contains("`ByteLevel`"), "\(byteLevel)")
    }

    @Test func missingUnknownToken() throws {
        let error = try Self.loadError([
            "tokenizer.json": #"{"model": {"type": "WordPiece", "vocab": {"a": 0}, "unk_token": "[UNK]"}}"#
        ])
        #expect(error == .missingToken(token: "[UNK]", role: "WordPiece unk_token"))
    }

    @Test func outOfRangeVocabularyIDs() throws {
        for id in ["-1", "99999999999"] {
            let error = try Self.loadError([
                "tokenizer.json": #"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": \#(id)}}}"#
            ])
            guard case .invalidConfiguration(let field, _) = error else { throw MissingResource("wrong error \(error)") }
            #expect(field == "model.vocab")
        }
    }

    @Test func badPrecompiledCharsMap() throws {
        for charsMap in ["%%% not base64", "AAAA", "/////w=="] {
            let error = try Self.loadError([
                "tokenizer.json":
                    #"{"normalizer": {"type": "Precompiled", "precompiled_charsmap": "\#(charsMap)"}, "#
                    + #""model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]}}"#
            ])
            guard case .invalidConfiguration(let field, _) = error else { throw MissingResource("wrong error \(error)") }
            #expect(field == "normalizer.precompiled_charsmap")
        }
    }

    @Test func vocabularyFileWithInvalidUTF8NamesTheLine() throws {
        var bytes = Data("[PAD]\n[UNK]\n[CLS]\n".utf8)
        bytes.append(contentsOf: [0x66, 0xFF, 0x0A])
        let url = try Self.directory(["vocab.txt": bytes])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(
            throws: TokenizerError.invalidVocabularyLine(
                path: url.appendingPathComponent("vocab.txt").path, line: 4, reason: "not valid UTF-8")
        ) {
            try Tokenizer.load(directory: url)
        }
    }

    @Test func vocabularyFileLineEndings() throws {
        // Python's universal newlines: \r\n and \r end lines too; an empty line is the token "".
        let url = try Self.directory(["vocab.txt": Data("[PAD]\r\n[UNK]\r[CLS]\n[SEP]\n\nhello\nworld".utf8)])
        defer { try? FileManager.default.removeItem(at: url) }
        let tokenizer = try Tokenizer.load(directory: url)
        #expect(tokenizer.tokenID(for: "[UNK]") == 1)
        #expect(tokenizer.tokenID(for: "[SEP]") == 3)
        #expect(tokenizer.tokenID(for: "") == 4)
        #expect(tokenizer.encode("Hello WORLD").ids == [2, 5, 6, 3])
        #expect(tokenizer.paddingToken == PaddingToken(id: 0, token: "[PAD]"))
    }

    @Test func vocabularyFallbackHonoursTheConfig() throws {
        let url = try Self.directory([
            "vocab.txt": Data("<pad>\n<unk>\n<cls>\n<sep>\nHello\nhello\né\ne\n".utf8),
            "tokenizer_config.json": Data(
                #"{"do_lower_case": false, "unk_token": {"content": "<unk>", "__type": "AddedToken"}}"#.utf8),
            "special_tokens_map.json": Data(#"{"cls_token": "<cls>", "sep_token": "<sep>", "pad_token": "<pad>"}"#.utf8),
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let tokenizer = try Tokenizer.load(directory: url)
        // Cased: "Hello" stays, accents stay (strip_accents follows do_lower_case).
        #expect(tokenizer.encode("Hello hello é").tokens == ["<cls>", "Hello", "hello", "é", "<sep>"])
        #expect(tokenizer.encode("HELLO").tokens == ["<cls>", "<unk>", "<sep>"])
        #expect(tokenizer.paddingToken == PaddingToken(id: 0, token: "<pad>"))
    }
}

extension TokenizerError {
    /// The file a loading error names, for comparisons.
    var path: String {
        switch self {
        case .unsupported(let path, _, _), .invalidJSON(let path, _, _), .unreadableFile(let path, _),
            .invalidVocabularyLine(let path, _, _):
            return path
        default:
            return ""
        }
    }
}
