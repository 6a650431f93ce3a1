import FinchSupport
import Foundation
import Testing

@testable import FinchTrain

@Suite struct CoNLLReaderTests {
    @Test func msraSliceMatchesTheFile() throws {
        let expected = try ExpectedData.load().sentences("msra_slice.bio")
        let sentences = try CoNLLReader().read(dataFixture("msra_slice.bio"))
        #expect(sentences.count == 40)
        #expect(sentences.count == expected.count)
        for (s, e) in zip(sentences, expected) {
            #expect(s.tokens == e.tokens)
            #expect(s.tags == e.tags)
            #expect(s.line == e.line)
        }
        #expect(Set(sentences.flatMap(\.tags)).isSubset(of: ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]))
    }

    @Test func separatorsDocstartAndLineEnds() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let text =
            "\u{FEFF}-DOCSTART- -X- -X- O\r\n\r\nEU NNP B-NP B-ORG\r\nrejects VBZ B-VP O\r\n\r\n\r\n  Peter   B-PER  \r\nBlackburn\tI-PER\r\nNew York\tB-LOC"
        let sentences = try CoNLLReader().read(try files.write("c.conll", text))
        #expect(
            sentences == [
                TaggedSentence(tokens: ["EU", "rejects"], tags: ["B-ORG", "O"], line: 3),
                TaggedSentence(tokens: ["Peter", "Blackburn", "New York"], tags: ["B-PER", "I-PER", "B-LOC"], line: 7),
            ])
    }

    @Test func iob1IsRewrittenToIOB2() throws {
        let files = try TestFiles()
        defer { files.remove() }
        // IOB1: entities start with I-; B- only between two adjacent same-type entities.
        let text = "I\tO\nmet\tO\nPeter\tI-PER\nSmith\tI-PER\nJohn\tB-PER\nin\tO\nNew\tI-LOC\nYork\tI-LOC\nUN\tI-ORG\n"
        for scheme in [nil, TagScheme.iob1] {
            let sentences = try CoNLLReader(scheme: scheme).read(try files.write("iob1.bio", text))
            #expect(sentences.first?.tags == ["O", "O", "B-PER", "I-PER", "B-PER", "O", "B-LOC", "I-LOC", "B-ORG"])
        }
        // IOB2 input is left as it is.
        let iob2 = ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "I-LOC", "B-ORG"]
        #expect(TagScheme.iob2(from: iob2) == iob2)
        // The rewrite keeps seqeval's entities.
        let iob1 = ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG"]
        #expect(EntityChunker.entities(in: [iob1]) == EntityChunker.entities(in: [TagScheme.iob2(from: iob1)]))
    }

    @Test func streamingAcrossChunkBoundaries() throws {
        // A CRLF split across two chunks must still count as one line break.
        var splitter = LineSplitter()
        var lines: [String] = []
        let handle: (UnsafeBufferPointer<UInt8>, Int) throws -> Void = { lines.append(String(decoding: $0, as: UTF8.self) + "@\($1)") }
        for piece in ["a\tO\r", "\nb\tO", "\r\n\r", "\nc\tB-X"] {
            try Array(piece.utf8).withUnsafeBufferPointer { try splitter.consume($0, handle) }
        }
        try splitter.finish(handle)
        #expect(lines == ["a\tO@1", "b\tO@2", "@3", "c\tB-X@4"])
    }
}
