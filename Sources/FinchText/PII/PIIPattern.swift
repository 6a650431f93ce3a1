import Foundation

/// A regular expression whose matches are reported in scalar offsets.
///
/// `NSRegularExpression` is immutable once built and documented safe to use
/// from several threads, hence `@unchecked Sendable`. Built-in patterns spell
/// digits `[0-9]` and letters `[A-Za-z]`: ICU's `\d` and `\w` also match other
/// scripts' digits and every CJK character, which would stop "手机13812345678"
/// from matching.
struct PIIPattern: @unchecked Sendable {
    let regex: NSRegularExpression

    /// A built-in pattern (a bad one is a programming error).
    init(_ pattern: String, caseInsensitive: Bool = false) {
        do {
            regex = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            preconditionFailure("built-in PII pattern does not compile: \(pattern): \(error)")
        }
    }

    /// A pattern from a configuration file.
    init(checking pattern: String, caseInsensitive: Bool) throws {
        regex = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    /// Every non-overlapping match, left to right, with capture groups (nil when a group did not take part).
    func matches(in text: PIIText) -> [PIIMatch] {
        let range = NSRange(location: 0, length: text.utf16Count)
        return regex.matches(in: text.string, options: [], range: range).compactMap { result -> PIIMatch? in
            let whole = result.range
            guard whole.location != NSNotFound, whole.length > 0 else { return nil }
            var groups: [Range<Int>?] = []
            for g in 0..<result.numberOfRanges {
                let r = result.range(at: g)
                groups.append(
                    r.location == NSNotFound
                        ? nil : text.scalarAtUTF16[r.location]..<text.scalarAtUTF16[r.location + r.length])
            }
            return PIIMatch(
                start: text.scalarAtUTF16[whole.location], end: text.scalarAtUTF16[whole.location + whole.length], groups: groups)
        }
    }

    /// Left boundary for numbers: no ASCII letter or digit (or `+`) just before, and
    /// not right after a digit and a separator (so "12-345-6789" is not read from its middle).
    static let numberStart = #"(?<![A-Za-z0-9+])(?<![0-9][.\-/])"#
    /// Right boundary for numbers: no ASCII letter or digit after, nor a separator and a digit.
    static let numberEnd = #"(?![A-Za-z0-9])(?![.\-/][0-9])"#
}

/// One regular-expression match in scalar offsets.
struct PIIMatch {
    var start: Int
    var end: Int
    /// Capture groups; index 0 is the whole match.
    var groups: [Range<Int>?]
}
