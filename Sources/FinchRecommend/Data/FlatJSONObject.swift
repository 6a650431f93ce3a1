/// A minimal reader for one JSON Lines record: a JSON object whose values of
/// interest are strings or numbers.
///
/// Numbers keep their literal text, so an id written as `196` stays `"196"`
/// (a general JSON decoder would give `196.0`). Nested objects, arrays,
/// booleans and null are parsed and skipped; a key that holds one of them
/// reads as absent.
struct FlatJSONObject {
    /// Scalar values by key: strings unescaped, numbers as written.
    private(set) var fields: [String: String] = [:]

    /// Why a line is not a JSON object.
    struct SyntaxError: Error {
        let message: String
    }

    /// Parses `bytes` (one line).
    init(_ bytes: ArraySlice<UInt8>) throws {
        var p = Parser(bytes: bytes, i: bytes.startIndex)
        p.skipSpace()
        try p.expect(UInt8(ascii: "{"))
        p.skipSpace()
        if p.peek() == UInt8(ascii: "}") {
            p.i += 1
        } else {
            while true {
                p.skipSpace()
                let key = try p.string()
                p.skipSpace()
                try p.expect(UInt8(ascii: ":"))
                p.skipSpace()
                if let value = try p.value() { fields[key] = value }
                p.skipSpace()
                if p.peek() == UInt8(ascii: ",") {
                    p.i += 1
                    continue
                }
                try p.expect(UInt8(ascii: "}"))
                break
            }
        }
        p.skipSpace()
        if p.i != bytes.endIndex { throw SyntaxError(message: "unexpected text after the JSON object") }
    }

    private struct Parser {
        let bytes: ArraySlice<UInt8>
        var i: Int

        func peek() -> UInt8? { i < bytes.endIndex ? bytes[i] : nil }

        mutating func skipSpace() {
            while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { i += 1 }
        }

        mutating func expect(_ b: UInt8) throws {
            guard peek() == b else {
                throw SyntaxError(message: "expected '\(Character(Unicode.Scalar(b)))' at column \(i - bytes.startIndex + 1)")
            }
            i += 1
        }

        /// A scalar's text, or nil for null, booleans and nested values.
        mutating func value() throws -> String? {
            guard let b = peek() else { throw SyntaxError(message: "missing value") }
            switch b {
            case UInt8(ascii: "\""):
                return try string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try skipNested()
                return nil
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                for word in ["true", "false", "null"] {
                    let w = Array(word.utf8)
                    if bytes[i...].starts(with: w) {
                        i += w.count
                        return nil
                    }
                }
                throw SyntaxError(message: "invalid literal at column \(i - bytes.startIndex + 1)")
            default:
                let start = i
                while let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || (c >= 0x30 && c <= 0x39)
                {
                    i += 1
                }
                if start == i { throw SyntaxError(message: "invalid value at column \(i - bytes.startIndex + 1)") }
                return String(decoding: bytes[start..<i], as: UTF8.self)
            }
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while let b = peek() {
                i += 1
                if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    continue
                }
                guard let e = peek() else { break }
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar < 0xDC00, bytes[i...].starts(with: Array("\\u".utf8)) {
                        i += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw SyntaxError(message: "invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: out.append(e)
                }
            }
            throw SyntaxError(message: "unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.endIndex, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
            else { throw SyntaxError(message: "invalid \\u escape") }
            i += 4
            return v
        }

        mutating func skipNested() throws {
            var depth = 0
            while let b = peek() {
                if b == UInt8(ascii: "\"") {
                    _ = try string()
                    continue
                }
                i += 1
                if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return }
                }
            }
            throw SyntaxError(message: "unterminated nested value")
        }
    }
}
