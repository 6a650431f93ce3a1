/// Finds watchlist aliases in texts, case-insensitively. A Latin (or other
/// spaced-script) alias matches only on word boundaries: the scalar before and
/// after the match must not be a letter or digit of a spaced script, so "Apple"
/// is not found in "Pineapple" but is in "$AAPL" or "Apple的股票". Scripts
/// written without spaces (Han, Hiragana, Katakana, Hangul) match on
/// character boundaries: "苹果" is found in "我喜欢苹果手机". Overlapping
/// matches keep the earliest, then the longest.
///
/// Offsets are Unicode scalars of the original text; case folding maps each
/// scalar to one scalar (its lowercase when that is one scalar), so offsets
/// never shift.
public struct WatchlistMatcher: Sendable {
    struct Alias: Sendable {
        var scalars: [Unicode.Scalar]
        var entity: String
    }

    /// Aliases by their first folded scalar, longest first.
    let index: [Unicode.Scalar: [Alias]]
    /// Folded alias → entity, for normalizing tagged entities.
    let exact: [String: String]

    public init(_ watchlist: Watchlist) {
        var index: [Unicode.Scalar: [Alias]] = [:], exact: [String: String] = [:]
        for entity in watchlist.entities {
            for alias in entity.allAliases {
                let folded = Self.fold(alias.trimmingWhitespace)
                guard let first = folded.first else { continue }
                index[first, default: []].append(Alias(scalars: folded, entity: entity.name))
                exact[Self.key(folded)] = exact[Self.key(folded)] ?? entity.name
            }
        }
        self.index = index.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
        self.exact = exact
    }

    /// Whether the matcher knows no alias.
    public var isEmpty: Bool { index.isEmpty }

    /// Watchlist mentions in `text`, in text order.
    public func mentions(in text: String) -> [EntityMention] {
        let original = Array(text.unicodeScalars)
        let folded = original.map(Self.fold)
        var out: [EntityMention] = []
        var i = 0
        while i < folded.count {
            var matched = false
            if let candidates = index[folded[i]] {
                for alias in candidates where matches(alias.scalars, in: folded, at: i) {
                    let end = i + alias.scalars.count
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: original[i..<end])
                    out.append(EntityMention(entity: alias.entity, text: String(view), type: nil, start: i, end: end, origin: .watchlist))
                    i = end
                    matched = true
                    break
                }
            }
            if !matched { i += 1 }
        }
        return out
    }

    /// The watchlist entity a tagged span stands for: the entity one of whose
    /// aliases equals the span (case-insensitively), else the entity of the
    /// first alias found inside it; nil when neither.
    public func entity(forTagged span: String) -> String? {
        let folded = Self.fold(span.trimmingWhitespace)
        if let e = exact[Self.key(folded)] { return e }
        return mentions(in: span).first?.entity
    }

    func matches(_ alias: [Unicode.Scalar], in text: [Unicode.Scalar], at i: Int) -> Bool {
        let end = i + alias.count
        guard end <= text.count else { return false }
        for k in 0..<alias.count where text[i + k] != alias[k] { return false }
        // A word-like edge of the alias must not continue into a word-like neighbour.
        if Self.isSpacedWordScalar(alias[0]), i > 0, Self.isSpacedWordScalar(text[i - 1]) { return false }
        if Self.isSpacedWordScalar(alias[alias.count - 1]), end < text.count, Self.isSpacedWordScalar(text[end]) { return false }
        return true
    }

    /// A letter, digit or combining mark of a script written with spaces between words.
    static func isSpacedWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
        }
        let p = s.properties
        guard p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark || s == "_" else { return false }
        return !isUnspacedScript(s)
    }

    /// Han, Hiragana, Katakana, Hangul, Thai and the CJK punctuation and
    /// compatibility blocks: scripts written without spaces between words.
    static func isUnspacedScript(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0E00...0x0E7F,  // Thai
            0x1100...0x11FF,  // Hangul Jamo
            0x2E80...0x2FDF,  // CJK radicals
            0x3000...0x30FF,  // CJK symbols, Hiragana, Katakana
            0x3100...0x31FF,  // Bopomofo, Hangul compatibility Jamo, Katakana extensions
            0x3400...0x4DBF,  // CJK extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFF66...0xFF9F,  // half-width Katakana
            0x20000...0x3134F:  // CJK extensions B–G
            return true
        default:
            return false
        }
    }

    /// The scalar's lowercase when that is one scalar; the scalar otherwise.
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.isASCII { return (0x41...0x5A).contains(s.value) ? Unicode.Scalar(UInt8(s.value + 32)) : s }
        let lower = s.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : s
    }

    static func fold(_ text: String) -> [Unicode.Scalar] { text.unicodeScalars.map(fold) }

    static func key(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
