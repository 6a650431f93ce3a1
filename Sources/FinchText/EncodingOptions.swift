/// Truncation of an input (or pair) to a maximum number of tokens, special
/// tokens included: Hugging Face's `longest_first` strategy.
///
/// For a pair of lengths `a` and `b` (without special tokens) and a budget
/// `m = maxLength - specials`: when `a + b <= m` nothing changes; when the
/// shorter fits in half the budget, it stays and the longer gets the rest;
/// otherwise both get `m / 2`, the longer one the odd token. (This is
/// `tokenizers`' `truncate_encodings`, which the fast tokenizers of
/// `transformers` use.) A single text keeps its first `m` tokens.
///
/// Nothing is truncated unless you ask: Finch ignores the truncation stored
/// in a `tokenizer.json`, as `transformers` does.
public struct Truncation: Hashable, Sendable {
    /// Maximum number of tokens of the final encoding, special tokens included.
    /// A value below the number of special tokens empties the texts and
    /// leaves only the special tokens.
    public var maxLength: Int
    /// Which end tokens are removed from.
    public var side: TruncationSide

    /// Truncation to `maxLength` tokens, cutting at the end by default.
    public init(maxLength: Int, side: TruncationSide = .right) {
        self.maxLength = maxLength
        self.side = side
    }

    /// Truncates the texts' encodings (no special tokens yet) so that with
    /// `specialTokenCount` added they fit in `maxLength`.
    func apply(to first: inout Encoding, _ second: inout Encoding?, specialTokenCount: Int) {
        let budget = Swift.max(0, maxLength - specialTokenCount)
        if budget == 0 {
            cut(&first, to: 0)
            if second != nil { cut(&second!, to: 0) }
            return
        }
        let total = first.count + (second?.count ?? 0)
        guard total > budget else { return }
        guard var pair = second else {
            cut(&first, to: budget)
            return
        }
        var short = Swift.min(first.count, pair.count)
        var long = Swift.max(first.count, pair.count)
        let firstIsLonger = first.count > pair.count
        long = short > budget ? short : Swift.max(short, budget - short)
        if short + long > budget {
            short = budget / 2
            long = short + budget % 2
        }
        cut(&first, to: firstIsLonger ? long : short)
        cut(&pair, to: firstIsLonger ? short : long)
        second = pair
    }

    private func cut(_ encoding: inout Encoding, to length: Int) {
        guard length < encoding.count else { return }
        if side == .right {
            encoding.truncate(to: length)
        } else {
            var kept = Encoding()
            let drop = encoding.count - length
            kept.ids = Array(encoding.ids[drop...])
            kept.tokens = Array(encoding.tokens[drop...])
            kept.typeIDs = Array(encoding.typeIDs[drop...])
            kept.attentionMask = Array(encoding.attentionMask[drop...])
            kept.specialTokensMask = Array(encoding.specialTokensMask[drop...])
            kept.offsets = Array(encoding.offsets[drop...])
            kept.wordIDs = Array(encoding.wordIDs[drop...])
            kept.sequenceIDs = Array(encoding.sequenceIDs[drop...])
            encoding = kept
        }
    }
}

/// Which end truncation removes tokens from.
public enum TruncationSide: String, Hashable, Sendable, Codable {
    /// Remove tokens from the start (keep the end).
    case left
    /// Remove tokens from the end (the default).
    case right
}

/// Padding of a batch to a common length.
public struct Padding: Hashable, Sendable {
    /// What length to pad to.
    public enum Length: Hashable, Sendable {
        /// The longest encoding of the batch.
        case longest
        /// A fixed length (longer encodings are left as they are).
        case fixed(Int)
    }

    /// What length to pad to.
    public var length: Length
    /// Round the target length up to a multiple of this, if set.
    public var multipleOf: Int?
    /// Which end padding goes to.
    public var side: PaddingSide

    /// Padding to `length`, on the right by default.
    public init(length: Length = .longest, multipleOf: Int? = nil, side: PaddingSide = .right) {
        self.length = length
        self.multipleOf = multipleOf
        self.side = side
    }

    /// The length a batch whose longest encoding has `longest` tokens is padded to.
    public func targetLength(longest: Int) -> Int {
        var target: Int
        switch length {
        case .longest: target = longest
        case .fixed(let n): target = n
        }
        if let multiple = multipleOf, multiple > 0, target % multiple != 0 {
            target += multiple - target % multiple
        }
        return target
    }

    /// Pads every encoding of `batch` to the target length with `token`.
    public func apply(to batch: inout [Encoding], token: PaddingToken) {
        let target = targetLength(longest: batch.map(\.count).max() ?? 0)
        for i in batch.indices { batch[i].pad(to: target, with: token, side: side) }
    }
}
