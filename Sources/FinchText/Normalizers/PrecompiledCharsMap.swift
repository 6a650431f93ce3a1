import Foundation

/// SentencePiece's compiled normalization rules (`precompiled_charsmap`).
///
/// Format (SentencePiece `normalizer.cc`): a little-endian `UInt32` byte
/// length `T` of a trie, then `T / 4` little-endian `UInt32` units of a
/// darts-clone double-array trie keyed by UTF-8 bytes, then a blob of
/// NUL-terminated UTF-8 replacement strings. A trie value is the offset of a
/// replacement in the blob.
///
/// Double-array unit layout (darts-clone): bit 8 `has_leaf`; `label` =
/// bits 0–7 plus bit 31; `offset` = `(unit >> 10) << ((unit & 0x200) >> 6)`;
/// a leaf unit's `value` = bits 0–30. From node position `p`, the child for
/// byte `c` is at `p ^ offset(unit[p]) ^ c` and exists when its label is `c`;
/// a node has a value when `has_leaf`, stored in the unit at
/// `p ^ offset(unit[p])`.
struct PrecompiledCharsMap: Sendable {
    private let units: [UInt32]
    private let replacements: [UInt8]

    /// Parses the decoded blob; throws on a truncated or inconsistent one.
    init(blob: [UInt8]) throws {
        guard blob.count >= 4 else { throw Self.invalid("shorter than its 4-byte header") }
        let trieBytes = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        guard trieBytes % 4 == 0, trieBytes >= 4, 4 + trieBytes <= blob.count else {
            throw Self.invalid("trie length \(trieBytes) does not fit a blob of \(blob.count) bytes")
        }
        var units = [UInt32](repeating: 0, count: trieBytes / 4)
        for i in 0..<units.count {
            let o = 4 + 4 * i
            units[i] = UInt32(blob[o]) | UInt32(blob[o + 1]) << 8 | UInt32(blob[o + 2]) << 16 | UInt32(blob[o + 3]) << 24
        }
        self.units = units
        self.replacements = Array(blob[(4 + trieBytes)...])
        guard String(validating: replacements, as: UTF8.self) != nil else {
            throw Self.invalid("its replacement strings are not valid UTF-8")
        }
    }

    /// Parses the base64 text of a `tokenizer.json`.
    init(base64: String) throws {
        guard let data = Data(base64Encoded: base64) else { throw Self.invalid("not valid base64") }
        try self.init(blob: [UInt8](data))
    }

    private static func invalid(_ reason: String) -> TokenizerError {
        .invalidConfiguration(field: "normalizer.precompiled_charsmap", reason: reason)
    }

    /// The replacement of the shortest rule that is a prefix of `key`
    /// (`tokenizers` takes the first result of `common_prefix_search`), as
    /// scalars, or nil when no rule applies. A NUL byte ends the key.
    func firstPrefixReplacement(_ key: UnsafeBufferPointer<UInt8>) -> [UInt32]? {
        let count = units.count
        return units.withUnsafeBufferPointer { unit -> [UInt32]? in
            guard count > 0 else { return nil }
            var position = Int(Self.offset(unit[0]))
            for byte in key {
                if byte == 0 { return nil }
                position ^= Int(byte)
                guard position < count else { return nil }
                let u = unit[position]
                guard Self.label(u) == UInt32(byte) else { return nil }
                position ^= Int(Self.offset(u))
                guard position < count else { return nil }
                if u & 0x100 != 0 {
                    return replacement(at: Int(unit[position] & 0x7FFF_FFFF))
                }
            }
            return nil
        }
    }

    @inline(__always) private static func offset(_ unit: UInt32) -> UInt32 {
        (unit >> 10) << ((unit & 0x200) >> 6)
    }

    @inline(__always) private static func label(_ unit: UInt32) -> UInt32 {
        unit & 0x8000_00FF
    }

    /// The NUL-terminated string at `index` of the blob, as scalars.
    private func replacement(at index: Int) -> [UInt32]? {
        guard index >= 0 && index <= replacements.count else { return nil }
        var end = index
        while end < replacements.count && replacements[end] != 0 { end += 1 }
        let text = String(decoding: replacements[index..<end], as: UTF8.self)
        return text.unicodeScalars.map(\.value)
    }
}
