/// SentencePiece normalization by compiled rules (`tokenizers`' `Precompiled`
/// normalizer, as used by XLM-R, e5, mBART, T5).
///
/// The text is walked by extended grapheme clusters. A cluster shorter than
/// 6 UTF-8 bytes is first looked up whole; if a rule is a prefix of it, the
/// whole cluster is replaced by that rule's output. Otherwise each scalar of
/// the cluster is looked up on its own. (`tokenizers` documents this quirk
/// and keeps it for parity with SentencePiece on XNLI; so does Finch.)
///
/// Alignments follow `tokenizers`' bookkeeping exactly, including its
/// handling of a replacement that removes text (the removal is charged to
/// the previous output scalar, and a removal at the very start shifts the
/// following alignments). Grapheme clusters come from the Swift standard
/// library's recognizer (Unicode 15.1+ rules, like `unicode-segmentation`).
struct PrecompiledNormalizer: Sendable {
    let charsMap: PrecompiledCharsMap

    func normalize(_ text: inout NormalizedText) {
        let n = text.scalars.count
        if n == 0 { return }
        var changes: [ScalarChange] = []
        changes.reserveCapacity(n + 8)
        var modified = false
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        var recognizer = Unicode._CharacterRecognizer()
        text.scalars.withUnsafeBufferPointer { scalars in
            var clusterStart = 0
            _ = recognizer.hasBreak(before: Unicode.Scalar(scalars[0]) ?? "\u{FFFD}")
            var i = 1
            while clusterStart < n {
                // Find the end of the cluster that starts at clusterStart.
                while i < n && !recognizer.hasBreak(before: Unicode.Scalar(scalars[i]) ?? "\u{FFFD}") { i += 1 }
                let cluster = clusterStart..<i
                bytes.removeAll(keepingCapacity: true)
                for k in cluster { Self.appendUTF8(scalars[k], to: &bytes) }
                var handled = false
                if bytes.count < 6,
                    let replacement = bytes.withUnsafeBufferPointer({ charsMap.firstPrefixReplacement($0) })
                {
                    modified = true
                    Self.replace(cluster.count, with: replacement, in: &changes)
                    handled = true
                }
                if !handled {
                    for k in cluster {
                        bytes.removeAll(keepingCapacity: true)
                        Self.appendUTF8(scalars[k], to: &bytes)
                        if let replacement = bytes.withUnsafeBufferPointer({ charsMap.firstPrefixReplacement($0) }) {
                            modified = true
                            Self.replace(1, with: replacement, in: &changes)
                        } else {
                            changes.append(ScalarChange(scalar: scalars[k], change: 0))
                        }
                    }
                }
                clusterStart = i
                i += 1
            }
        }
        if modified { text.transform(changes, range: 0..<n) }
    }

    /// `tokenizers`' `replace(transformations, old_part, new_part)`: the new
    /// scalars replace the old ones one for one; extra new scalars are
    /// insertions; missing ones are charged as removals to the last change
    /// recorded so far (if any).
    static func replace(_ oldCount: Int, with new: [UInt32], in changes: inout [ScalarChange]) {
        let diff = new.count - oldCount
        for scalar in new { changes.append(ScalarChange(scalar: scalar, change: 0)) }
        if diff > 0 {
            for k in (changes.count - diff)..<changes.count { changes[k].change = 1 }
        } else if diff < 0, !changes.isEmpty {
            changes[changes.count - 1].change += diff
        }
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (scalar >> 6)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (scalar >> 12)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (scalar >> 18)))
            bytes.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
