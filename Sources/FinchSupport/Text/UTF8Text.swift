/// Decodes bytes that must be UTF-8; nil when they are not.
///
/// Validates with `isValidUTF8` and then builds the string with
/// `String(decoding:as:)`, which on a buffer pointer takes the standard
/// library's fast path (`String(validating:as:)` goes through generic
/// metadata look-ups that cost more than the decoding on short fields).
@inline(__always)
public func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
}

/// Whether `bytes` are well-formed UTF-8 (Unicode 15, table 3-7): no
/// overlong forms, no surrogates, nothing above U+10FFFF, no truncated
/// sequences.
public func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let p = bytes.baseAddress else { return true }
    let n = bytes.count
    var i = 0
    while i < n {
        let b0 = p[i]
        if b0 < 0x80 {
            i += 1
            continue
        }
        @inline(__always) func continuation(_ k: Int) -> Bool { i + k < n && p[i + k] & 0xC0 == 0x80 }
        if b0 >= 0xC2 && b0 <= 0xDF {
            guard continuation(1) else { return false }
            i += 2
        } else if b0 >= 0xE0 && b0 <= 0xEF {
            guard i + 1 < n else { return false }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low && b1 <= high, continuation(2) else { return false }
            i += 3
        } else if b0 >= 0xF0 && b0 <= 0xF4 {
            guard i + 1 < n else { return false }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= low && b1 <= high, continuation(2), continuation(3) else { return false }
            i += 4
        } else {
            return false
        }
    }
    return true
}

/// True for the bytes of ASCII space, tab, CR, LF, FF and VT.
@inline(__always)
public func isASCIIWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
}

extension String {
    /// The string without leading and trailing white space (Unicode
    /// `isWhitespace`, which includes the ideographic space U+3000 and NBSP).
    public var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
