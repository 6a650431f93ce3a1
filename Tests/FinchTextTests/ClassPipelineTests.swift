import Foundation
import Testing

@testable import FinchText

/// Where `transformers` departs from the `tokenizers` pipeline stored in a
/// file, and Finch follows `transformers` (issue 9 item 3). The expected ids
/// were printed by transformers 5.24.0 (`AutoTokenizer`) and tokenizers 0.23.3
/// (`Tokenizer.from_file`) on the same folder; the e5 fixture
/// (`Scripts/make_tokenizer_fixtures.py`) pins the rest of each class.
@Suite struct ClassPipelineTests {
    @Test func xlmRobertaClassDropsWhitespacePiecesTheFileWouldKeep() throws {
        let directory = try TextTestSupport.e5Directory()
        let asTransformers = try TextTestSupport.e5.get()
        let asFile = try Tokenizer(contentsOf: directory.appendingPathComponent("tokenizer.json"))
        let text = "  leading and trailing spaces  "
        #expect(asTransformers.encode(text).ids == [0, 105207, 136, 141037, 214, 32628, 7, 2])
        #expect(asFile.encode(text).ids == [0, 105207, 136, 141037, 214, 32628, 7, 6, 2])
        // transformers' offsets leave out the space before a word; the file's include it.
        #expect(asTransformers.encode(text).offsets[1] == TextSpan(start: 2, end: 9))
        #expect(asFile.encode(text).offsets[1] == TextSpan(start: 1, end: 9))
        #expect(asTransformers.encode("   ").ids == [0, 2])
        #expect(asFile.encode("   ").ids == [0, 6, 2])
        #expect(asTransformers.encode("<s> </s> <pad>").ids == [0, 0, 2, 1, 2])
        #expect(asFile.encode("<s> </s> <pad>").ids == [0, 0, 6, 2, 6, 1, 2])
    }

    @Test func anEmptySecondTextIsNoPair() throws {
        for tokenizer in [try TextTestSupport.e5.get(), try TextTestSupport.miniLM.get()] {
            let single = tokenizer.encode("hello")
            let pair = tokenizer.encode("hello", pair: "")
            #expect(pair.ids == single.ids && pair.typeIDs == single.typeIDs && pair.offsets == single.offsets)
            #expect(tokenizer.encode("hello", pair: "", truncation: Truncation(maxLength: 3)).ids.count == 3)
            // An empty first text still makes a pair, as in transformers.
            #expect(tokenizer.encode("", pair: "x").ids.count == tokenizer.specialTokenCount(isPair: true) + 1)
        }
    }
}
