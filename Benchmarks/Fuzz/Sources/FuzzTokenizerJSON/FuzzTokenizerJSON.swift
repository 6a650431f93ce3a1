import FinchText
import Foundation
import FuzzSupport

/// One fuzz input: the input is a `tokenizer.json`. A file that loads is then
/// used to encode a few texts (a pair, special tokens, truncation, odd Unicode),
/// so a configuration that loads but breaks encoding is found too.
func fuzzTokenizerJSON(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let url = Fuzz.file(named: "tokenizer.json", bytes: bytes, count: count)
    guard let tokenizer = try? Tokenizer(contentsOf: url) else { return 0 }
    for (text, pair) in Inputs.texts {
        let encoding = tokenizer.encode(text, pair: pair, truncation: Truncation(maxLength: 8))
        precondition(encoding.ids.count == encoding.offsets.count, "ids and offsets disagree")
        _ = tokenizer.encode(text, pair: pair)
    }
    return 0
}

enum Inputs {
    static let texts: [(String, String?)] = [
        ("Hello, world!", nil), ("  leading and trailing  ", ""), ("<s> </s> [CLS] [MASK]", "ünïcödé 東京 🙂"),
        ("", nil), ("a\u{0301}\u{200B}\tb\r\nc", "x"),
    ]
}
