/// One piece of a pre-tokenized text: a range of the shared buffers of
/// `PreTokenizedText`, or an added token found in the input.
struct TextSplit {
    /// The split's scalars in `PreTokenizedText.scalars`; never empty.
    var range: Range<Int>
    /// Offset in the original where the split started when it was cut out.
    var originalStart: Int
    /// The id of the added token this split is, or -1 for text to tokenize.
    var addedTokenID: Int
}

/// A normalized text cut into splits, the unit the model tokenizes
/// (`tokenizers`' `PreTokenizedString`). All splits live in one scalar buffer
/// and one alignment buffer, so cutting a text into words allocates nothing
/// per word.
struct PreTokenizedText {
    /// Scalars of all splits.
    var scalars: [UInt32] = []
    /// Alignment of every scalar in `scalars`.
    var alignments: [Alignment] = []
    /// Splits in text order.
    var splits: [TextSplit] = []

    init() {}

    /// Appends `text` as one split unless it is empty (empty splits vanish,
    /// as in `PreTokenizedString::split`).
    mutating func append(_ text: NormalizedText, addedTokenID: Int = -1) {
        guard !text.isEmpty else { return }
        let start = scalars.count
        scalars.append(contentsOf: text.scalars)
        alignments.append(contentsOf: text.alignments)
        splits.append(TextSplit(range: start..<scalars.count, originalStart: text.originalStart, addedTokenID: addedTokenID))
    }

    /// Appends the non-empty `pieces` (ranges of `text`) as splits, each
    /// remembering where it starts in the original (`NormalizedString::slice`).
    mutating func append(pieces: [Range<Int>], of text: NormalizedText) {
        for piece in pieces where !piece.isEmpty {
            let start = scalars.count
            scalars.append(contentsOf: text.scalars[piece])
            alignments.append(contentsOf: text.alignments[piece])
            splits.append(
                TextSplit(
                    range: start..<scalars.count, originalStart: text.alignments[piece.lowerBound].start,
                    addedTokenID: -1))
        }
    }

    /// The split as its own `NormalizedText`.
    func text(of split: TextSplit) -> NormalizedText {
        NormalizedText(
            scalars: Array(scalars[split.range]), alignments: Array(alignments[split.range]),
            originalStart: split.originalStart)
    }

    /// Replaces every split that is not an added token by the pieces
    /// `cut` returns: ranges relative to the split, ascending and disjoint.
    /// The buffers are unchanged; empty pieces are dropped.
    mutating func cutSplits(_ cut: (UnsafeBufferPointer<UInt32>, inout [Range<Int>]) -> Void) {
        var newSplits: [TextSplit] = []
        newSplits.reserveCapacity(splits.count * 2)
        var pieces: [Range<Int>] = []
        scalars.withUnsafeBufferPointer { buffer in
            for split in splits {
                if split.addedTokenID >= 0 {
                    newSplits.append(split)
                    continue
                }
                pieces.removeAll(keepingCapacity: true)
                let view = UnsafeBufferPointer(rebasing: buffer[split.range])
                cut(view, &pieces)
                for piece in pieces where !piece.isEmpty {
                    let range = (split.range.lowerBound + piece.lowerBound)..<(split.range.lowerBound + piece.upperBound)
                    newSplits.append(
                        TextSplit(
                            range: range, originalStart: alignments[range.lowerBound].start,
                            addedTokenID: -1))
                }
            }
        }
        splits = newSplits
    }

    /// Rebuilds the text split by split: added tokens are copied, every
    /// other split is handed to `rewrite` as a `NormalizedText` and replaced
    /// by the pieces it appends to `output`.
    mutating func rewriteSplits(_ rewrite: (NormalizedText, inout PreTokenizedText) -> Void) {
        var output = PreTokenizedText()
        output.scalars.reserveCapacity(scalars.count + splits.count)
        output.alignments.reserveCapacity(scalars.count + splits.count)
        for split in splits {
            if split.addedTokenID >= 0 {
                output.append(text(of: split), addedTokenID: split.addedTokenID)
            } else {
                rewrite(text(of: split), &output)
            }
        }
        self = output
    }
}

/// How a pattern's matches are kept when a text is split on them (the
/// `SplitDelimiterBehavior` of `tokenizers`).
enum SplitDelimiterBehavior: String, Sendable, Codable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"
}

/// Splitting by a scalar predicate with `tokenizers`' delimiter behaviours.
enum PatternSplitter {
    /// Pieces of `text` cut where `isDelimiter` holds, appended to `pieces`.
    @inline(__always)
    static func split(
        _ text: UnsafeBufferPointer<UInt32>, behavior: SplitDelimiterBehavior, into pieces: inout [Range<Int>],
        isDelimiter: (UInt32) -> Bool
    ) {
        let n = text.count
        if n == 0 { return }
        switch behavior {
        case .removed:
            var start = 0
            for i in 0..<n where isDelimiter(text[i]) {
                if start < i { pieces.append(start..<i) }
                start = i + 1
            }
            if start < n { pieces.append(start..<n) }
        case .isolated:
            var start = 0
            for i in 0..<n where isDelimiter(text[i]) {
                if start < i { pieces.append(start..<i) }
                pieces.append(i..<(i + 1))
                start = i + 1
            }
            if start < n { pieces.append(start..<n) }
        case .mergedWithPrevious:
            // A delimiter joins the text piece right before it; a delimiter
            // after a delimiter (or first in the text) stands alone.
            var start = 0
            for i in 0..<n where isDelimiter(text[i]) {
                pieces.append(start..<(i + 1))
                start = i + 1
            }
            if start < n { pieces.append(start..<n) }
        case .mergedWithNext:
            // A delimiter starts the text piece right after it; a delimiter
            // before a delimiter (or last in the text) stands alone.
            let first = pieces.count
            var end = n
            var i = n - 1
            while i >= 0 {
                if isDelimiter(text[i]) {
                    pieces.append(i..<end)
                    end = i
                }
                i -= 1
            }
            if end > 0 { pieces.append(0..<end) }
            pieces[first...].reverse()
        case .contiguous:
            var i = 0
            while i < n {
                let delimiter = isDelimiter(text[i])
                var j = i + 1
                while j < n && isDelimiter(text[j]) == delimiter { j += 1 }
                pieces.append(i..<j)
                i = j
            }
        }
    }
}
