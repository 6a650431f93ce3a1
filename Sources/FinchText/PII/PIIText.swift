/// A text prepared for recognizers: its Unicode scalars (the offsets every
/// finding uses) and a map from UTF-16 offsets (what `NSRegularExpression`
/// reports) to scalar offsets.
public struct PIIText: Sendable {
    /// The text itself.
    public let string: String
    /// The text's scalars; finding offsets index this array.
    public let scalars: [Unicode.Scalar]
    /// `scalarAtUTF16[u]` is the scalar offset of UTF-16 offset `u` (count + 1 entries).
    let scalarAtUTF16: [Int]

    /// Prepares `string`.
    public init(_ string: String) {
        self.string = string
        let scalars = Array(string.unicodeScalars)
        var map: [Int] = []
        map.reserveCapacity(scalars.count + 1)
        for (i, scalar) in scalars.enumerated() {
            map.append(i)
            if scalar.value > 0xFFFF { map.append(i) }
        }
        map.append(scalars.count)
        self.scalars = scalars
        self.scalarAtUTF16 = map
    }

    /// Number of UTF-16 code units (the range a regular expression searches).
    var utf16Count: Int { scalarAtUTF16.count - 1 }

    /// The scalars `start..<end` as a string.
    public func slice(_ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    /// Whether the scalar at `i` is an ASCII letter or digit (false outside the text).
    /// Matches never start or end next to one, so no finding sits inside a longer run.
    func isASCIIAlphanumeric(at i: Int) -> Bool {
        guard i >= 0 && i < scalars.count else { return false }
        return Self.isASCIIAlphanumeric(scalars[i])
    }

    static func isASCIIAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 48 && s.value <= 57) || (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122)
    }

    /// The ASCII digits among the scalars `start..<end`, as values 0...9.
    func digits(_ start: Int, _ end: Int) -> [Int] {
        var out: [Int] = []
        for s in scalars[start..<end] where s.value >= 48 && s.value <= 57 { out.append(Int(s.value - 48)) }
        return out
    }

    /// Whether one of `words` (ASCII letters compared case-blind) occurs in the
    /// `before` scalars ahead of `start` or the `after` scalars behind `end`.
    func hasContext(_ words: [String], start: Int, end: Int, before: Int, after: Int) -> Bool {
        let lo = Swift.max(0, start - before)
        let hi = Swift.min(scalars.count, end + after)
        return words.contains { occurs($0, in: lo..<start) || occurs($0, in: end..<hi) }
    }

    /// Start offsets of `word` (ASCII case-blind) inside `range`.
    func occurrences(of word: String, in range: Range<Int>) -> [Int] {
        let w = Array(word.unicodeScalars)
        guard !w.isEmpty, range.count >= w.count else { return [] }
        var out: [Int] = []
        for i in range.lowerBound...(range.upperBound - w.count) where matches(w, at: i) { out.append(i) }
        return out
    }

    private func occurs(_ word: String, in range: Range<Int>) -> Bool { !occurrences(of: word, in: range).isEmpty }

    /// Whether `word` sits at `i`, ASCII letters compared without case.
    func matches(_ word: [Unicode.Scalar], at i: Int) -> Bool {
        guard i >= 0 && i + word.count <= scalars.count else { return false }
        for (k, w) in word.enumerated() where Self.fold(scalars[i + k]) != Self.fold(w) { return false }
        return true
    }

    /// ASCII upper case folded to lower case; every other scalar as is (so offsets never move).
    static func fold(_ s: Unicode.Scalar) -> UInt32 { (s.value >= 65 && s.value <= 90) ? s.value + 32 : s.value }
}
