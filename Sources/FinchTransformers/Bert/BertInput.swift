/// A padded batch for the encoder: `batchSize` rows of `sequenceLength`
/// token ids, row-major. `attentionMask` is 1 for real tokens and 0 for
/// padding (nil means all real); `tokenTypeIDs` nil means all segment 0;
/// positions are 0 ..< sequenceLength in every row, as Hugging Face's
/// `BertEmbeddings` uses for right-padded input.
public struct BertInput: Sendable, Equatable {
    /// Rows in the batch, B.
    public let batchSize: Int
    /// Tokens per row after padding, S.
    public let sequenceLength: Int
    /// Token ids, [B · S].
    public let inputIDs: [Int]
    /// Segment ids, [B · S], or nil for all zeros.
    public let tokenTypeIDs: [Int]?
    /// 1 = attend, 0 = padding, [B · S]; nil for all ones.
    public let attentionMask: [Int]?

    /// Wraps an already padded batch; the arrays must hold B · S entries.
    public init(batchSize: Int, sequenceLength: Int, inputIDs: [Int], tokenTypeIDs: [Int]? = nil, attentionMask: [Int]? = nil) {
        precondition(batchSize > 0 && sequenceLength > 0, "empty batch \(batchSize)×\(sequenceLength)")
        let n = batchSize * sequenceLength
        precondition(inputIDs.count == n, "\(inputIDs.count) input ids for a \(batchSize)×\(sequenceLength) batch")
        precondition(tokenTypeIDs.map { $0.count == n } ?? true, "token type ids do not match the batch shape")
        precondition(attentionMask.map { $0.count == n } ?? true, "attention mask does not match the batch shape")
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.inputIDs = inputIDs
        self.tokenTypeIDs = tokenTypeIDs
        self.attentionMask = attentionMask
    }

    /// Pads variable-length sequences on the right to the longest one
    /// (dynamic padding). Each sequence's own mask and type ids, when given,
    /// must match its length; padding gets `padTokenID`, type 0 and mask 0.
    public init(padding sequences: [[Int]], tokenTypeIDs: [[Int]]? = nil, attentionMasks: [[Int]]? = nil, padTokenID: Int = 0) {
        precondition(!sequences.isEmpty, "no sequences to pad")
        let s = max(1, sequences.map(\.count).max() ?? 1)
        var ids = [Int](repeating: padTokenID, count: sequences.count * s)
        var mask = [Int](repeating: 0, count: sequences.count * s)
        var types: [Int]? = tokenTypeIDs.map { _ in [Int](repeating: 0, count: sequences.count * s) }
        for (b, seq) in sequences.enumerated() {
            let base = b * s
            for (j, id) in seq.enumerated() { ids[base + j] = id }
            if let m = attentionMasks?[b] {
                precondition(m.count == seq.count, "sequence \(b): \(m.count) mask entries for \(seq.count) tokens")
                for (j, v) in m.enumerated() { mask[base + j] = v }
            } else {
                for j in 0..<seq.count { mask[base + j] = 1 }
            }
            if let t = tokenTypeIDs?[b] {
                precondition(t.count == seq.count, "sequence \(b): \(t.count) token types for \(seq.count) tokens")
                for (j, v) in t.enumerated() { types![base + j] = v }
            }
        }
        self.init(batchSize: sequences.count, sequenceLength: s, inputIDs: ids, tokenTypeIDs: types, attentionMask: mask)
    }

    /// The mask as 0/1, all ones when absent.
    public var resolvedAttentionMask: [Int] { attentionMask ?? [Int](repeating: 1, count: inputIDs.count) }
}
