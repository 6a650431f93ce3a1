/// BERT's text normalizer (`tokenizers`' `BertNormalizer`), in this order:
/// 1. `cleanText`: drop NUL, U+FFFD and control/format/private-use
///    characters (tab, newline, return excepted); turn whitespace into ' '.
/// 2. `handleChineseCharacters`: put spaces around CJK ideographs so each
///    becomes its own word.
/// 3. `stripAccents` (defaults to `lowercase` when nil): canonical
///    decomposition, then drop non-spacing marks ("é" → "e").
/// 4. `lowercase`: full Unicode lowercasing per scalar ("İ" → "i̇").
///
/// Character classes are `tokenizers`' own (see `CharacterClasses`), so the
/// result matches it scalar for scalar. Every step maps one scalar to zero or
/// more, so each output scalar keeps the alignment of the input scalar it
/// came from, exactly as `tokenizers`' chain of transforms leaves it.
/// (Canonical reordering of combining marks is not applied: the marks it
/// reorders are removed by step 3, and with accents kept `tokenizers` does
/// not decompose at all.)
struct BertNormalizer: Hashable, Sendable {
    /// Remove control characters and normalize whitespace.
    public var cleanText: Bool
    /// Isolate CJK ideographs with spaces.
    public var handleChineseCharacters: Bool
    /// Strip accents; nil means "as `lowercase`".
    public var stripAccents: Bool?
    /// Lowercase.
    public var lowercase: Bool

    /// A BERT normalizer; the defaults are `tokenizers`' (uncased BERT).
    public init(
        cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil,
        lowercase: Bool = true
    ) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    func normalize(_ text: inout NormalizedText) {
        let classes = CharacterClasses.shared
        let strip = stripAccents ?? lowercase
        let n = text.scalars.count
        var out = ScalarSink(capacity: n + n / 4 + 4)
        classes.flags.withUnsafeBufferPointer { flags in
            classes.mappedValues.withUnsafeBufferPointer { mapped in
                text.scalars.withUnsafeBufferPointer { input in
                    text.alignments.withUnsafeBufferPointer { inputAlignments in
                        @inline(__always) func flagsOf(_ c: UInt32) -> UInt8 {
                            c <= 0xFFFF ? flags[Int(c)] : classes.flags(of: c)
                        }
                        @inline(__always) func emitLowered(_ c: UInt32, _ a: Alignment) {
                            guard lowercase else { return out.append(c, a) }
                            if c < 0x80 {
                                out.append(c >= 0x41 && c <= 0x5A ? c + 32 : c, a)
                            } else if flagsOf(c) & CharacterClasses.lowerBit != 0,
                                let entry = classes.lowerEntries[c]
                            {
                                for k in Int(entry.start)..<Int(entry.start + entry.count) { out.append(mapped[k], a) }
                            } else {
                                out.append(c, a)
                            }
                        }
                        @inline(__always) func emitStripped(_ c: UInt32, _ f: UInt8, _ a: Alignment) {
                            if strip && c >= 0x80 {
                                if f & CharacterClasses.accentBit != 0, let entry = classes.accentEntries[c] {
                                    for k in Int(entry.start)..<Int(entry.start + entry.count) {
                                        emitLowered(mapped[k], a)
                                    }
                                    return
                                }
                                if c >= 0xAC00 && c <= 0xD7A3 {
                                    // Hangul syllable: algorithmic canonical decomposition.
                                    let s = c - 0xAC00
                                    out.append(0x1100 + s / 588, a)
                                    out.append(0x1161 + (s % 588) / 28, a)
                                    if s % 28 != 0 { out.append(0x11A7 + s % 28, a) }
                                    return
                                }
                            }
                            emitLowered(c, a)
                        }
                        for i in 0..<n {
                            var c = input[i]
                            let a = inputAlignments[i]
                            var f = flagsOf(c)
                            if cleanText {
                                if f & CharacterClasses.removedBit != 0 { continue }
                                if f & CharacterClasses.whitespaceBit != 0 {
                                    c = 0x20
                                    f = 0
                                }
                            }
                            if handleChineseCharacters && f & CharacterClasses.chineseBit != 0 {
                                out.append(0x20, a)
                                emitStripped(c, f, a)
                                out.append(0x20, a)
                            } else {
                                emitStripped(c, f, a)
                            }
                        }
                    }
                }
            }
        }
        text.scalars = out.scalars
        text.alignments = out.alignments
    }
}

/// Output buffers of a scalar-by-scalar normalizer.
struct ScalarSink {
    var scalars: [UInt32] = []
    var alignments: [Alignment] = []

    init(capacity: Int) {
        scalars.reserveCapacity(capacity)
        alignments.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func append(_ scalar: UInt32, _ alignment: Alignment) {
        scalars.append(scalar)
        alignments.append(alignment)
    }
}
