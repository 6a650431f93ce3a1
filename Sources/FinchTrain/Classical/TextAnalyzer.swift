/// How a document becomes terms, as scikit-learn's `CountVectorizer`
/// `analyzer` (`word`, `char`, `char_wb`) with `lowercase=True`, no accent
/// stripping and no stop words.
///
/// - `word`: tokens are the matches of the default `token_pattern`
///   `(?u)\b\w\w+\b` — every maximal run of at least two word characters,
///   where a word character is, as in Python's `re`, a letter (L*), a number
///   (N*, or any scalar with a numeric value) or `_`; then word n-grams
///   joined by one space, unigrams first.
/// - `char`: runs of two or more white-space characters become one space,
///   then every character n-gram of the whole text.
/// - `char_wb`: the same white-space folding, then each white-space
///   separated word padded with a space on both sides gives its character
///   n-grams; a padded word shorter than `n` counts once, whole.
///
/// Terms are UTF-8 byte strings: two spellings that Swift's `String` treats
/// as equal (composed and decomposed accents) stay two terms, as in Python.
public enum TextAnalyzer: String, Codable, Sendable, CaseIterable {
    /// Word n-grams of the default token pattern.
    case word
    /// Character n-grams over the whole text.
    case char
    /// Character n-grams inside word boundaries (`char_wb`).
    case charWB = "char_wb"

    /// The terms of `document` for n-grams of `ngramRange` (inclusive, 1 ≤ lower ≤ upper), lowercased first.
    public func terms(_ document: String, ngramRange: ClosedRange<Int>) -> [[UInt8]] {
        let scalars = Array(document.lowercased().unicodeScalars)
        switch self {
        case .word: return Self.wordNGrams(Self.tokens(scalars), ngramRange)
        case .char: return Self.charNGrams(Self.foldingWhiteSpace(scalars), ngramRange)
        case .charWB: return Self.charWBNGrams(Self.foldingWhiteSpace(scalars), ngramRange)
        }
    }

    /// Python's `\w` (`str.isalnum()` or `_`).
    static func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return s.properties.numericType != nil
        }
    }

    /// Python's `str.isspace()`: Unicode white space, plus the information
    /// separators U+001C–U+001F.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace || (0x1C...0x1F).contains(s.value)
    }

    /// The maximal runs of at least two word characters.
    static func tokens(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var out: [[Unicode.Scalar]] = []
        var start = -1
        for (i, s) in scalars.enumerated() {
            if isWordCharacter(s) {
                if start < 0 { start = i }
            } else {
                if start >= 0 && i - start >= 2 { out.append(Array(scalars[start..<i])) }
                start = -1
            }
        }
        if start >= 0 && scalars.count - start >= 2 { out.append(Array(scalars[start...])) }
        return out
    }

    /// scikit-learn's `_word_ngrams`: all unigrams (when the range starts at
    /// 1), then each longer n in order, joined by a space.
    static func wordNGrams(_ tokens: [[Unicode.Scalar]], _ range: ClosedRange<Int>) -> [[UInt8]] {
        let words = tokens.map { utf8($0) }
        var out: [[UInt8]] = []
        let upper = Swift.min(range.upperBound, words.count)
        guard range.lowerBound <= upper else { return out }
        for n in range.lowerBound...upper {
            for i in 0...(words.count - n) {
                var term = words[i]
                for j in (i + 1)..<(i + n) {
                    term.append(0x20)
                    term.append(contentsOf: words[j])
                }
                out.append(term)
            }
        }
        return out
    }

    /// `re.sub(r"\s\s+", " ", text)`: runs of two or more white-space
    /// characters become one space; a single one stays as it is.
    static func foldingWhiteSpace(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            if isSpace(scalars[i]) {
                var j = i + 1
                while j < scalars.count && isSpace(scalars[j]) { j += 1 }
                out.append(j - i >= 2 ? " " : scalars[i])
                i = j
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return out
    }

    /// scikit-learn's `_char_ngrams` over the folded text.
    static func charNGrams(_ text: [Unicode.Scalar], _ range: ClosedRange<Int>) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let upper = Swift.min(range.upperBound, text.count)
        guard range.lowerBound <= upper else { return out }
        for n in range.lowerBound...upper {
            for i in 0...(text.count - n) { out.append(utf8(text[i..<(i + n)])) }
        }
        return out
    }

    /// scikit-learn's `_char_wb_ngrams` over the folded text.
    static func charWBNGrams(_ text: [Unicode.Scalar], _ range: ClosedRange<Int>) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var word: [Unicode.Scalar] = []
        func emit() {
            guard !word.isEmpty else { return }
            let w: [Unicode.Scalar] = [" "] + word + [" "]
            for n in range {
                var offset = 0
                out.append(utf8(w[0..<Swift.min(n, w.count)]))
                while offset + n < w.count {
                    offset += 1
                    out.append(utf8(w[offset..<(offset + n)]))
                }
                if offset == 0 { break }  // a padded word no longer than n counts once
            }
            word.removeAll(keepingCapacity: true)
        }
        for s in text {
            if isSpace(s) { emit() } else { word.append(s) }
        }
        emit()
        return out
    }

    static func utf8<C: Collection>(_ scalars: C) -> [UInt8] where C.Element == Unicode.Scalar {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for s in scalars { bytes.append(contentsOf: UTF8.encode(s)!) }
        return bytes
    }
}
