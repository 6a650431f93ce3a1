import Foundation
import PropertyBased

/// Generators of hostile but realistic input, shared by the property tests.
enum PropertyInputs {
    /// Scalars that break text handling: separators and quotes, every kind of
    /// white space and line end, controls, combining marks, zero-width and
    /// byte-order marks, CJK, emoji, and the bracket characters of special tokens.
    static let awkwardScalars: [Unicode.Scalar] =
        Array(
            ",;\t\"' \r\n\u{0B}\u{0C}\u{85}\u{A0}\u{2028}\u{3000}\u{0}\u{1}\u{7F}\u{301}\u{200B}\u{200D}\u{FEFF}"
                .unicodeScalars) + Array("aZ09#.-[]<>|/\\東京한글ß🙂👍🏽▁é".unicodeScalars)

    /// Any Unicode string of up to 40 scalars: two thirds drawn from
    /// `awkwardScalars`, the rest anywhere in Unicode (surrogate code points,
    /// which are not scalars, become U+FFFD).
    static let text = Gen.uint32(in: 0...0x10_FFFF).array(of: 0...40).map(string(from:))

    /// The same, up to 12 scalars.
    static let shortText = Gen.uint32(in: 0...0x10_FFFF).array(of: 0...12).map(string(from:))

    @Sendable static func string(from codes: [UInt32]) -> String {
        var text = String.UnicodeScalarView()
        for code in codes {
            if code % 3 != 0 {
                text.append(awkwardScalars[Int(code) % awkwardScalars.count])
            } else {
                text.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            }
        }
        return String(text)
    }

    /// Arbitrary bytes, up to 300 of them.
    static let bytes = Gen.uint8().array(of: 0...300)

    /// A fresh temporary file holding `data`.
    static func file(_ data: Data, name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-property-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// The committed test fixtures.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
}
