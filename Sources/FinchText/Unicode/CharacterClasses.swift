/// Constant-time lookups into `CharacterTables`, the character classes of
/// Hugging Face `tokenizers` (see Scripts/make_unicode_tables.py).
///
/// Basic Multilingual Plane scalars are classified through a 64 Ki flag
/// table; the rare scalars above it through binary search in the range
/// tables. Mappings (accent stripping, lowercasing) live in one flat value
/// array addressed by `MappingEntry`, so reading one costs no reference
/// counting.
final class CharacterClasses: Sendable {
    /// Bits of `flags`.
    static let removedBit: UInt8 = 1
    static let whitespaceBit: UInt8 = 2
    static let punctuationBit: UInt8 = 4
    static let accentBit: UInt8 = 8
    static let lowerBit: UInt8 = 16
    static let chineseBit: UInt8 = 32

    /// The shared instance, built on first use (about 1 ms).
    static let shared = CharacterClasses()

    /// Flags of every BMP scalar, indexed by its value.
    let flags: [UInt8]
    /// Accent stripping: scalar → slice of `mappedValues`.
    let accentEntries: [UInt32: MappingEntry]
    /// Lowercasing: scalar → slice of `mappedValues`.
    let lowerEntries: [UInt32: MappingEntry]
    /// The mapped scalars of both tables, back to back.
    let mappedValues: [UInt32]

    /// Where a mapping's output sits in `mappedValues`.
    struct MappingEntry: Sendable {
        var start: Int32
        var count: Int32
    }

    private init() {
        var flags = [UInt8](repeating: 0, count: 0x10000)
        func mark(ranges: [UInt32], bit: UInt8) {
            var i = 0
            while i + 1 < ranges.count {
                let lo = ranges[i]
                let hi = Swift.min(ranges[i + 1], 0xFFFF)
                if lo <= hi { for cp in lo...hi { flags[Int(cp)] |= bit } }
                i += 2
            }
        }
        mark(ranges: CharacterTables.removedRanges, bit: Self.removedBit)
        mark(ranges: CharacterTables.punctuationRanges, bit: Self.punctuationBit)
        for cp in CharacterTables.whitespace where cp <= 0xFFFF { flags[Int(cp)] |= Self.whitespaceBit }
        for range in [0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF] as [ClosedRange<Int>] {
            for cp in range { flags[cp] |= Self.chineseBit }
        }
        var values: [UInt32] = []
        let accents = Self.parseMapping(CharacterTables.accentStripping, into: &values)
        let lowers = Self.parseMapping(CharacterTables.lowercasing, into: &values)
        for key in accents.keys where key <= 0xFFFF { flags[Int(key)] |= Self.accentBit }
        for key in lowers.keys where key <= 0xFFFF { flags[Int(key)] |= Self.lowerBit }
        self.flags = flags
        self.accentEntries = accents
        self.lowerEntries = lowers
        self.mappedValues = values
    }

    /// Parses `KEY:V V;KEY:;...` (hex) into entries pointing into `values`.
    private static func parseMapping(_ text: String, into values: inout [UInt32]) -> [UInt32: MappingEntry] {
        var result: [UInt32: MappingEntry] = [:]
        for item in text.split(separator: ";") {
            guard let colon = item.firstIndex(of: ":"), let key = UInt32(item[..<colon], radix: 16) else {
                preconditionFailure("malformed generated table entry \(item)")
            }
            let start = values.count
            for part in item[item.index(after: colon)...].split(separator: " ") {
                guard let value = UInt32(part, radix: 16) else { preconditionFailure("malformed value in \(item)") }
                values.append(value)
            }
            result[key] = MappingEntry(start: Int32(start), count: Int32(values.count - start))
        }
        return result
    }

    /// True when `ranges` (inclusive pairs, ascending) contains `scalar`.
    static func rangesContain(_ ranges: [UInt32], _ scalar: UInt32) -> Bool {
        var lo = 0
        var hi = ranges.count / 2
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[2 * mid + 1] < scalar {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        return lo < ranges.count / 2 && ranges[2 * lo] <= scalar
    }

    /// The flags of any scalar (BMP by table, others by search).
    @inline(__always)
    func flags(of scalar: UInt32) -> UInt8 {
        if scalar <= 0xFFFF { return flags[Int(scalar)] }
        return supplementaryFlags(of: scalar)
    }

    private func supplementaryFlags(of scalar: UInt32) -> UInt8 {
        var result: UInt8 = 0
        if Self.rangesContain(CharacterTables.removedRanges, scalar) { result |= Self.removedBit }
        if Self.rangesContain(CharacterTables.punctuationRanges, scalar) { result |= Self.punctuationBit }
        if accentEntries[scalar] != nil { result |= Self.accentBit }
        if lowerEntries[scalar] != nil { result |= Self.lowerBit }
        if Self.isSupplementaryChinese(scalar) { result |= Self.chineseBit }
        return result
    }

    /// The CJK ranges of `tokenizers`' `is_chinese_char` above the BMP.
    private static func isSupplementaryChinese(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Whitespace as Rust's `char::is_whitespace` (Unicode White_Space).
    @inline(__always)
    func isWhitespace(_ scalar: UInt32) -> Bool {
        scalar <= 0xFFFF && flags[Int(scalar)] & Self.whitespaceBit != 0
    }
}
