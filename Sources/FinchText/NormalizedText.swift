/// Where one normalized scalar came from: the half-open range
/// `start..<end` of Unicode scalar offsets in the original input.
///
/// Normalization never merges characters into one alignment, so every
/// alignment is the range of a single original scalar, except `(0, 0)`,
/// which `tokenizers` gives a character inserted before anything else.
struct Alignment: Equatable, Sendable {
    var start: Int
    var end: Int

    static let zero = Alignment(start: 0, end: 0)
}

/// One scalar of a transformation and how it relates to the text it
/// replaces, with the meaning `tokenizers`' `NormalizedString::transform`
/// gives it:
/// - `change == 0`: replaces the next old scalar (and takes its alignment);
/// - `change > 0`: is inserted (and takes the alignment of the old scalar
///   just before the read position, or `(0, 0)` at the very start);
/// - `change == -n`: replaces the next old scalar, then drops `n` more.
struct ScalarChange {
    var scalar: UInt32
    var change: Int
}

/// A piece of text under normalization: the current scalars and, for each,
/// its alignment in the original. It mirrors `tokenizers`' `NormalizedString`,
/// in Unicode scalar units instead of UTF-8 bytes (the Python bindings report
/// offsets in code points, which are scalars).
struct NormalizedText {
    /// Current (normalized) scalars.
    var scalars: [UInt32]
    /// `alignments[i]` is the original range of `scalars[i]`.
    var alignments: [Alignment]
    /// Offset in the original where this piece started when it was cut out
    /// (`NormalizedString::offsets_original().0`).
    var originalStart: Int

    /// An unnormalized piece: `scalars` found at `offset` in the original.
    init<C: Collection>(original scalars: C, offset: Int) where C.Element == UInt32 {
        self.scalars = Array(scalars)
        var alignments: [Alignment] = []
        alignments.reserveCapacity(self.scalars.count)
        for i in 0..<self.scalars.count { alignments.append(Alignment(start: offset + i, end: offset + i + 1)) }
        self.alignments = alignments
        self.originalStart = offset
    }

    init(scalars: [UInt32], alignments: [Alignment], originalStart: Int) {
        self.scalars = scalars
        self.alignments = alignments
        self.originalStart = originalStart
    }

    var isEmpty: Bool { scalars.isEmpty }

    /// Replaces `range` (normalized scalar indices) by `changes`, first
    /// skipping `initialOffset` old scalars, with `tokenizers`' alignment rules
    /// (see `ScalarChange`). Reads past the end of the old text (which
    /// `tokenizers` would reject with a panic) reuse the last alignment
    /// instead of crashing.
    mutating func transform(_ changes: [ScalarChange], range: Range<Int>, initialOffset: Int = 0) {
        var newScalars: [UInt32] = []
        var newAlignments: [Alignment] = []
        newScalars.reserveCapacity(changes.count)
        newAlignments.reserveCapacity(changes.count)
        var position = range.lowerBound + initialOffset
        let old = alignments
        func alignment(at index: Int) -> Alignment {
            if index < 0 { return .zero }
            if index < old.count { return old[index] }
            return old.last ?? .zero
        }
        for change in changes {
            let aligned: Alignment
            if change.change > 0 {
                aligned = position < 1 ? .zero : alignment(at: position - 1)
            } else {
                aligned = alignment(at: position)
                position += 1 - change.change
            }
            newScalars.append(change.scalar)
            newAlignments.append(aligned)
        }
        scalars.replaceSubrange(range, with: newScalars)
        alignments.replaceSubrange(range, with: newAlignments)
    }

    /// Replaces each of `matches` (ascending, disjoint ranges of normalized
    /// indices) by `content`, as `NormalizedString::replace`: the inserted
    /// scalars take the alignment of the last replaced scalar.
    mutating func replace(_ matches: [Range<Int>], with content: [UInt32]) {
        if matches.isEmpty { return }
        var newScalars: [UInt32] = []
        var newAlignments: [Alignment] = []
        newScalars.reserveCapacity(scalars.count)
        newAlignments.reserveCapacity(scalars.count)
        var last = 0
        for match in matches {
            newScalars.append(contentsOf: scalars[last..<match.lowerBound])
            newAlignments.append(contentsOf: alignments[last..<match.lowerBound])
            let aligned = match.upperBound < 1 ? Alignment.zero : alignments[match.upperBound - 1]
            for scalar in content {
                newScalars.append(scalar)
                newAlignments.append(aligned)
            }
            last = match.upperBound
        }
        newScalars.append(contentsOf: scalars[last...])
        newAlignments.append(contentsOf: alignments[last...])
        scalars = newScalars
        alignments = newAlignments
    }

    /// Inserts `prefix` before the first scalar as `NormalizedString::prepend`:
    /// the prefix and the first scalar all take the first scalar's alignment.
    mutating func prepend(_ prefix: [UInt32]) {
        guard let first = scalars.first, !prefix.isEmpty else { return }
        var changes = [ScalarChange(scalar: prefix[0], change: 0)]
        for scalar in prefix.dropFirst() { changes.append(ScalarChange(scalar: scalar, change: 1)) }
        changes.append(ScalarChange(scalar: first, change: 1))
        transform(changes, range: 0..<1)
    }

    /// Appends `suffix` after the last scalar as `NormalizedString::append`.
    mutating func append(_ suffix: [UInt32]) {
        guard !suffix.isEmpty else { return }
        if let last = scalars.last {
            var changes = [ScalarChange(scalar: last, change: 0)]
            for scalar in suffix { changes.append(ScalarChange(scalar: scalar, change: 1)) }
            transform(changes, range: (scalars.count - 1)..<scalars.count)
        } else {
            transform(suffix.map { ScalarChange(scalar: $0, change: 1) }, range: 0..<0)
        }
    }

    /// The piece `range` of this text (normalized indices), remembering where
    /// it starts in the original (`NormalizedString::slice`).
    func slice(_ range: Range<Int>) -> NormalizedText {
        let start = range.isEmpty ? originalStart : alignments[range.lowerBound].start
        return NormalizedText(
            scalars: Array(scalars[range]), alignments: Array(alignments[range]), originalStart: start)
    }

    /// The original range covered by the normalized `range`: the start of its
    /// first scalar's alignment to the end of its last
    /// (`NormalizedString::convert_offsets`).
    static func originalSpan(of range: Range<Int>, in alignments: UnsafeBufferPointer<Alignment>) -> (Int, Int) {
        if range.isEmpty { return (range.lowerBound, range.upperBound) }
        return (alignments[range.lowerBound].start, alignments[range.upperBound - 1].end)
    }
}
