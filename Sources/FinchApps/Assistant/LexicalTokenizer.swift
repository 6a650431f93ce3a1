/// The terms BM25 counts: lower-cased words for alphabetic scripts, and for
/// Chinese (Han characters, which have no spaces between words) every
/// character plus every pair of neighbouring characters, so a two-character
/// word matches as a unit and a rephrased one still matches by its characters.
///
/// A word is a run of letters, digits, marks or apostrophes (`don't` is one
/// term; a lone apostrophe is none); everything else separates terms. A run of
/// Han characters inside a word is split out of it. The rule is restated in
/// `Scripts/make_bm25_fixture.py`, whose fixture pins both to the same terms.
public enum LexicalTokenizer {
    /// The terms of `text`, in order (repeats kept: BM25 counts them).
    public static func terms(_ text: String) -> [String] {
        var out: [String] = []
        var word = String.UnicodeScalarView()
        var han: [Unicode.Scalar] = []
        func flushWord() {
            let trimmed = String(word).trimmingApostrophes
            if !trimmed.isEmpty { out.append(trimmed) }
            word.removeAll()
        }
        func flushHan() {
            for (i, c) in han.enumerated() {
                out.append(String(c))
                if i + 1 < han.count { out.append(String(c) + String(han[i + 1])) }
            }
            han.removeAll()
        }
        for scalar in text.lowercased().unicodeScalars {
            if isHan(scalar) {
                flushWord()
                han.append(scalar)
            } else if isWordScalar(scalar) {
                flushHan()
                word.append(scalar)
            } else {
                flushWord()
                flushHan()
            }
        }
        flushWord()
        flushHan()
        return out
    }

    /// CJK Unified Ideographs and their extensions, and the compatibility ideographs.
    static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s == "'" || s == "\u{2019}" { return true }
        let p = s.properties
        return p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
    }
}

extension String {
    /// The text without apostrophes at either end (`'tis'` → `tis`).
    fileprivate var trimmingApostrophes: String {
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, f == "'" || f == "\u{2019}" { scalars.removeFirst() }
        while let l = scalars.last, l == "'" || l == "\u{2019}" { scalars.removeLast() }
        return String(scalars)
    }
}
