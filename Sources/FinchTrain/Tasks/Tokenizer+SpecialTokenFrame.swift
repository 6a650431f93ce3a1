import FinchText

extension Tokenizer {
    /// Special tokens the template puts before and after a single sequence
    /// (`[CLS]` / `[SEP]`, `<s>` / `</s>`), found by encoding a probe text.
    func specialTokenFrame() -> (prefix: [Int], suffix: [Int]) {
        let plain = encode("a", addSpecialTokens: false).ids
        let full = encode("a", addSpecialTokens: true).ids
        guard !plain.isEmpty, full.count >= plain.count else { return ([], []) }
        for start in 0...(full.count - plain.count) where Array(full[start..<(start + plain.count)]) == plain {
            return (Array(full[..<start]), Array(full[(start + plain.count)...]))
        }
        return ([], [])
    }

    /// The id used to pad batches.
    var padID: Int { paddingToken?.id ?? 0 }
}
