import Foundation
import Testing

@testable import FinchText

/// Random and adversarial texts: findings stay inside the text, sorted and
/// disjoint; the redacted text is the original with exactly the findings cut
/// out (byte for byte); long runs of digits, separators and colons finish in
/// linear-looking time (no regular-expression blow-up).
@Suite struct PIIRobustnessTests {
    /// A seeded generator (SplitMix64), so a failure replays.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = [
        "4111 1111 1111 1111", "ann@x.io", "13812345678", "+44 20 7946 0958", "11010519491231002X", "GB82 WEST 1234 5698 7654 32",
        "123-45-6789", "10.0.0.1", "fe80::1", "https://finch.dev/a", "born 1990-04-23", "出生", "😀", "👩‍💻", "e\u{301}", " ", "-", ".",
        ":", "/", "0", "7", "x", "SSN", "电话", "\r\n", "\u{200B}",
    ]

    @Test func randomTextsRedactToTheTextWithoutTheFindings() throws {
        var rng = SplitMix(state: 20_261_203)
        let analyzer = try PIIAnalyzer.standard()
        let remover = PIIRedactor(analyzer: analyzer, operators: PIIOperators(defaultOperator: .remove))
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...24, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            let findings = try analyzer.analyze(text)
            let scalars = Array(text.unicodeScalars)
            var expected = String.UnicodeScalarView()
            var next = 0
            for f in findings {
                #expect(f.start >= next && f.start < f.end && f.end <= scalars.count, "\(text): \(findings)")
                guard f.start >= next && f.end <= scalars.count else { break }
                expected.append(contentsOf: scalars[next..<f.start])
                next = f.end
            }
            expected.append(contentsOf: scalars[min(next, scalars.count)...])
            #expect(Array(try remover.redact(text).text.utf8) == Array(String(expected).utf8), "\(text)")
        }
    }

    @Test func longAdversarialRunsStayFast() throws {
        let analyzer = try PIIAnalyzer.standard()
        let runs = [
            String(repeating: "1", count: 50_000), String(repeating: "12 ", count: 20_000), String(repeating: "a:", count: 25_000) + "g",
            String(repeating: "+1-", count: 15_000), String(repeating: "x.", count: 25_000) + "com",
            String(repeating: "born 1990-01-01 ", count: 3_000),
            String(repeating: "a@", count: 20_000),
        ]
        for run in runs {
            let start = Date()
            _ = try analyzer.analyze(run)
            let seconds = Date().timeIntervalSince(start)
            #expect(seconds < 20, "\(run.prefix(12))… took \(seconds) s")
        }
    }
}
