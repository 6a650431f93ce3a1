/// One entity (chunk) found in a tag sequence: its type and the positions of
/// its first and last tokens, both inclusive — seqeval's `(type, start, end)`.
public struct Entity: Hashable, Sendable, Codable {
    /// The entity type (`PER`); `_` for a bare `B`/`I` tag.
    public var type: String
    /// Position of the first token.
    public var start: Int
    /// Position of the last token (inclusive).
    public var end: Int

    /// An entity.
    public init(type: String, start: Int, end: Int) {
        self.type = type
        self.start = start
        self.end = end
    }
}

/// Finds entities in tag sequences by seqeval's default rules
/// (`seqeval.metrics.sequence_labeling.get_entities`, the conlleval.pl
/// chunking): a chunk starts at `B`/`S`, at an `I`/`E` after `O`, `E` or `S`
/// (so IOB1 and malformed IOB2 are read the conlleval way), or wherever the
/// type changes; it ends before `B`, `S`, `O` or a type change, and after `E`
/// or `S`. Works for IOB1, IOB2, IOE and IOBES.
public enum EntityChunker {
    /// Entities of one tag sequence; positions index `tags`.
    ///
    /// - Parameter suffix: tags written `PER-B` instead of `B-PER`.
    public static func entities(in tags: [String], suffix: Bool = false) -> [Entity] {
        var chunks: [Entity] = []
        var previousTag: Unicode.Scalar = "O"
        var previousType = ""
        var begin = 0
        for i in 0...tags.count {
            let (tag, type) = i < tags.count ? split(tags[i], suffix: suffix) : ("O", "_")
            if endOfChunk(previousTag, tag, previousType, type) {
                chunks.append(Entity(type: previousType, start: begin, end: i - 1))
            }
            if startOfChunk(previousTag, tag, previousType, type) { begin = i }
            previousTag = tag
            previousType = type
        }
        return chunks
    }

    /// Entities of sentences, numbered as seqeval numbers nested lists: the
    /// sentences joined with one `O` after each, so entities never cross a
    /// sentence boundary and positions are unique across the corpus.
    public static func entities(in sentences: [[String]], suffix: Bool = false) -> [Entity] {
        var flat: [String] = []
        flat.reserveCapacity(sentences.reduce(0) { $0 + $1.count + 1 })
        for sentence in sentences {
            flat += sentence
            flat.append("O")
        }
        return entities(in: flat, suffix: suffix)
    }

    /// seqeval's reading of one tag: the prefix is the first character (last
    /// with `suffix`), the type what follows the first `-` (precedes the last
    /// `-`), or the rest when there is no `-`, or `_` when that is empty. An
    /// empty tag reads as `O`.
    static func split(_ tag: String, suffix: Bool) -> (Unicode.Scalar, String) {
        let scalars = tag.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return ("O", "_") }
        var type: Substring.UnicodeScalarView
        if suffix {
            let rest = scalars.dropLast()
            if let dash = rest.lastIndex(of: "-") { type = rest[..<dash] } else { type = rest }
            let t = String(type)
            return (last, t.isEmpty ? "_" : t)
        }
        let rest = scalars.dropFirst()
        if let dash = rest.firstIndex(of: "-") { type = rest[rest.index(after: dash)...] } else { type = rest }
        let t = String(type)
        return (first, t.isEmpty ? "_" : t)
    }

    static func endOfChunk(_ prevTag: Unicode.Scalar, _ tag: Unicode.Scalar, _ prevType: String, _ type: String) -> Bool {
        if prevTag == "E" || prevTag == "S" { return true }
        if prevTag == "B" && (tag == "B" || tag == "S" || tag == "O") { return true }
        if prevTag == "I" && (tag == "B" || tag == "S" || tag == "O") { return true }
        if prevTag != "O" && prevTag != "." && prevType != type { return true }
        return false
    }

    static func startOfChunk(_ prevTag: Unicode.Scalar, _ tag: Unicode.Scalar, _ prevType: String, _ type: String) -> Bool {
        if tag == "B" || tag == "S" { return true }
        if (prevTag == "E" || prevTag == "S" || prevTag == "O") && (tag == "E" || tag == "I") { return true }
        if tag != "O" && tag != "." && prevType != type { return true }
        return false
    }
}
