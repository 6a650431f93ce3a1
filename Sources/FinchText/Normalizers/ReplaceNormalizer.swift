import Foundation

/// Replaces every match of a pattern by fixed content (`tokenizers`'
/// `Replace` normalizer; e5 uses it to collapse runs of spaces: regex
/// `" {2,}"` → `" "`). The replacement scalars take the alignment of the
/// last scalar of the match.
///
/// Patterns: a literal string, or a regular expression. The common regex
/// shape "one literal scalar, repeated" (`x+`, `x{2,}`, `x{2,5}`) is matched
/// natively; other expressions go to `NSRegularExpression` (ICU), whose
/// syntax agrees with `tokenizers`' Oniguruma for ordinary patterns.
struct ReplaceNormalizer: Sendable {
    /// What to search for.
    enum Pattern: Sendable {
        case literal([UInt32])
        case repeatedScalar(UInt32, minimum: Int, maximum: Int?)
        case regex(RegexBox)
    }

    let pattern: Pattern
    let content: [UInt32]

    /// A literal-string pattern.
    init(literal: String, content: String) {
        self.pattern = .literal(literal.unicodeScalars.map(\.value))
        self.content = content.unicodeScalars.map(\.value)
    }

    /// A regular-expression pattern; throws when it does not compile.
    init(regex: String, content: String) throws {
        self.content = content.unicodeScalars.map(\.value)
        if let repeated = Self.repeatedScalar(regex) {
            self.pattern = repeated
        } else {
            do {
                self.pattern = .regex(RegexBox(try NSRegularExpression(pattern: regex)))
            } catch {
                throw TokenizerError.invalidConfiguration(
                    field: "normalizer.pattern.Regex", reason: "`\(regex)` does not compile: \(error)")
            }
        }
    }

    /// Recognizes `c+`, `c*`, `c{m,}`, `c{m,n}`, `c{m}` for a plain character `c`.
    static func repeatedScalar(_ regex: String) -> Pattern? {
        let scalars = Array(regex.unicodeScalars)
        guard scalars.count >= 2 else { return nil }
        let c = scalars[0]
        let meta = "\\^$.|?*+()[]{}"
        guard !meta.unicodeScalars.contains(c) else { return nil }
        let rest = String(String.UnicodeScalarView(scalars[1...]))
        if rest == "+" { return .repeatedScalar(c.value, minimum: 1, maximum: nil) }
        guard rest.hasPrefix("{"), rest.hasSuffix("}") else { return nil }
        let inner = rest.dropFirst().dropLast()
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
        guard let minimum = Int(parts[0]), minimum >= 1 else { return nil }
        if parts.count == 1 { return .repeatedScalar(c.value, minimum: minimum, maximum: minimum) }
        guard parts.count == 2 else { return nil }
        if parts[1].isEmpty { return .repeatedScalar(c.value, minimum: minimum, maximum: nil) }
        guard let maximum = Int(parts[1]), maximum >= minimum else { return nil }
        return .repeatedScalar(c.value, minimum: minimum, maximum: maximum)
    }

    func normalize(_ text: inout NormalizedText) {
        let matches = findMatches(in: text.scalars)
        text.replace(matches, with: content)
    }

    /// Leftmost, non-overlapping matches in `scalars`.
    func findMatches(in scalars: [UInt32]) -> [Range<Int>] {
        var matches: [Range<Int>] = []
        let n = scalars.count
        switch pattern {
        case .literal(let needle):
            guard !needle.isEmpty, needle.count <= n else { return [] }
            var i = 0
            while i + needle.count <= n {
                if scalars[i] == needle[0] && scalars[i..<(i + needle.count)].elementsEqual(needle) {
                    matches.append(i..<(i + needle.count))
                    i += needle.count
                } else {
                    i += 1
                }
            }
        case .repeatedScalar(let c, let minimum, let maximum):
            var i = 0
            while i < n {
                guard scalars[i] == c else {
                    i += 1
                    continue
                }
                var j = i
                while j < n && scalars[j] == c { j += 1 }
                // Greedy chunks of at most `maximum` within the run.
                var k = i
                while j - k >= minimum {
                    let take = Swift.min(j - k, maximum ?? (j - k))
                    matches.append(k..<(k + take))
                    k += take
                }
                i = j
            }
        case .regex(let box):
            matches = box.matches(in: scalars)
        }
        return matches
    }
}

/// An `NSRegularExpression`, which is immutable once built and documented
/// as safe to use from several threads; the box states that to Swift.
final class RegexBox: @unchecked Sendable {
    let expression: NSRegularExpression

    init(_ expression: NSRegularExpression) { self.expression = expression }

    /// Matches as ranges of scalar indices.
    func matches(in scalars: [UInt32]) -> [Range<Int>] {
        var view = String.UnicodeScalarView()
        // utf16 offset → scalar index, for converting match ranges back.
        var scalarIndexOfUTF16: [Int] = []
        scalarIndexOfUTF16.reserveCapacity(scalars.count + 1)
        for (index, value) in scalars.enumerated() {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            view.append(scalar)
            scalarIndexOfUTF16.append(index)
            if scalar.value > 0xFFFF { scalarIndexOfUTF16.append(index) }
        }
        scalarIndexOfUTF16.append(scalars.count)
        let string = String(view)
        let nsRange = NSRange(location: 0, length: scalarIndexOfUTF16.count - 1)
        return expression.matches(in: string, range: nsRange).compactMap { match in
            let lower = match.range.location
            let upper = match.range.location + match.range.length
            guard lower >= 0, upper < scalarIndexOfUTF16.count, match.range.length > 0 else { return nil }
            return scalarIndexOfUTF16[lower]..<scalarIndexOfUTF16[upper]
        }
    }
}
