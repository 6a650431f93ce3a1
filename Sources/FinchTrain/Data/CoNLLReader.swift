import FinchSupport
import Foundation

/// Reads CoNLL/BIO files for token classification into `TaggedSentence`s,
/// streaming (one chunk of the file and one sentence in memory).
///
/// Format: one token per line, `token<TAB>tag` or `token tag` (with more
/// columns, as in CoNLL-2003's `EU NNP B-NP B-ORG`, the first is the token
/// and the last the tag); a blank line ends a sentence; lines starting with
/// `-DOCSTART-` are skipped. LF or CRLF line ends, an optional UTF-8
/// byte-order mark. Tags are `O`, `B-TYPE` or `I-TYPE`.
///
/// IOB1 files are rewritten to IOB2 (see `TagScheme`); with `scheme` nil
/// (the default) any file is rewritten, which leaves IOB2 unchanged and
/// turns a stray `I-X` after `O` into `B-X` — the entity seqeval's default
/// mode would count. With `scheme == .iob2` such a stray tag is an error.
public struct CoNLLReader: Sendable {
    /// The tagging scheme of the files; nil accepts IOB1 and IOB2.
    public var scheme: TagScheme?

    /// A reader for files in `scheme` (nil: IOB1 or IOB2).
    public init(scheme: TagScheme? = nil) {
        self.scheme = scheme
    }

    /// All sentences of the file at `url`, in file order, tags in IOB2.
    ///
    /// - Parameter name: the file name used in errors; defaults to
    ///   `url.relativePath`.
    public func read(_ url: URL, name: String? = nil) throws -> [TaggedSentence] {
        var sentences: [TaggedSentence] = []
        try forEachSentence(in: url, name: name) { sentences.append($0) }
        return sentences
    }

    /// Calls `body` with each sentence of the file at `url`, in order.
    /// Throws `DataError.emptyFile` at the end when there was none.
    public func forEachSentence(in url: URL, name: String? = nil, _ body: (TaggedSentence) throws -> Void) throws {
        let file = name ?? url.relativePath
        var splitter = LineSplitter()
        var builder = SentenceBuilder(file: file, scheme: scheme)
        var count = 0
        func drain() throws {
            for sentence in builder.ready { try body(sentence) }
            count += builder.ready.count
            builder.ready.removeAll(keepingCapacity: true)
        }
        try ByteChunks.forEach(in: url, file: file) { chunk in
            try splitter.consume(chunk, into: &builder)
            try drain()
        }
        try splitter.finish(into: &builder)
        try builder.endSentence()
        try drain()
        if count == 0 { throw DataError.emptyFile(file: file) }
    }
}

/// Collects the lines of a CoNLL file into sentences; finished sentences wait
/// in `ready` until the reader hands them on (after each chunk).
private struct SentenceBuilder: LineSink {
    let file: String
    let scheme: TagScheme?
    var ready: [TaggedSentence] = []
    private var tags = TagTable()
    private var tokens: [String] = []
    private var tagIDs: [Int] = []
    private var lines: [Int] = []

    init(file: String, scheme: TagScheme?) {
        self.file = file
        self.scheme = scheme
    }

    private static let docStart = Array("-DOCSTART-".utf8)

    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) throws {
        if bytes.allSatisfy(isASCIIWhitespace) || bytes.starts(with: Self.docStart) {
            try endSentence()
            return
        }
        let (tokenRange, tagRange) = try Self.fields(bytes, file: file, line: number)
        guard let token = decodeUTF8(UnsafeBufferPointer(rebasing: bytes[tokenRange])) else {
            throw DataError.invalidUTF8(file: file, line: number, field: nil)
        }
        let tagBytes = UnsafeBufferPointer(rebasing: bytes[tagRange])
        guard let id = tags.id(of: tagBytes) else {
            guard let tag = decodeUTF8(tagBytes) else { throw DataError.invalidUTF8(file: file, line: number, field: nil) }
            throw DataError.malformedCoNLLLine(
                file: file, line: number, content: String(decoding: bytes, as: UTF8.self),
                reason: "tag '\(tag.trimmingWhitespace)' is not O, B-TYPE or I-TYPE")
        }
        if token.isEmpty {
            throw DataError.malformedCoNLLLine(
                file: file, line: number, content: String(decoding: bytes, as: UTF8.self),
                reason: "the token before the tab is empty")
        }
        tokens.append(token)
        tagIDs.append(id)
        lines.append(number)
    }

    /// Closes the sentence being built (if any), rewriting its tags to IOB2.
    mutating func endSentence() throws {
        guard !tokens.isEmpty else { return }
        var iob2: [String] = []
        iob2.reserveCapacity(tagIDs.count)
        var previous = -1
        for i in tagIDs.indices {
            let id = tagIDs[i]
            defer { previous = id }
            let startsWithInside =
                tags.prefixes[id] == .inside
                && (previous < 0 || tags.prefixes[previous] == .outside || tags.typeIDs[previous] != tags.typeIDs[id])
            if !startsWithInside {
                iob2.append(tags.tags[id])
                continue
            }
            if scheme == .iob2 {
                let after = previous < 0 ? "at the start of a sentence" : "after '\(tags.tags[previous])'"
                throw DataError.malformedCoNLLLine(
                    file: file, line: lines[i], content: "\(tokens[i])\t\(tags.tags[id])",
                    reason: "'\(tags.tags[id])' \(after) starts an entity with I-, which IOB2 does not allow (IOB1 does)")
            }
            iob2.append(tags.beginTags[id])
        }
        ready.append(TaggedSentence(tokens: tokens, tags: iob2, line: lines[0]))
        tokens.removeAll(keepingCapacity: true)
        tagIDs.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
    }

    /// Byte ranges of the token and the tag of a non-blank line.
    private static func fields(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int
    ) throws -> (Range<Int>, Range<Int>) {
        let n = bytes.count
        let tab = UInt8(ascii: "\t")
        let space = UInt8(ascii: " ")
        if let firstTab = bytes.firstIndex(of: tab) {
            return (0..<firstTab, (bytes.lastIndex(of: tab)! + 1)..<n)
        }
        var start = 0
        var end = n
        while start < end && bytes[start] == space { start += 1 }
        while end > start && bytes[end - 1] == space { end -= 1 }
        guard let firstSpace = bytes[start..<end].firstIndex(of: space) else {
            throw DataError.malformedCoNLLLine(
                file: file, line: line, content: String(decoding: bytes, as: UTF8.self),
                reason: "expected a token and a tag separated by a tab or a space")
        }
        return (start..<firstSpace, (bytes[start..<end].lastIndex(of: space)! + 1)..<end)
    }
}

/// The distinct tags of a file, parsed once each: a corpus has millions of
/// tokens but a few dozen tags, so a tag is found by comparing its bytes with
/// those seen before (most recent first) rather than by building and hashing
/// a string per token.
private struct TagTable {
    enum Prefix { case outside, begin, inside }

    /// The tags' bytes as written, their trimmed text, prefix, entity type
    /// (as a number) and the `B-TYPE` an entity-starting `I-TYPE` becomes in
    /// IOB2; parallel arrays indexed by tag id.
    private var raws: [[UInt8]] = []
    private(set) var tags: [String] = []
    private(set) var prefixes: [Prefix] = []
    private(set) var typeIDs: [Int] = []
    private(set) var beginTags: [String] = []
    private var typeIDsByName: [Substring: Int] = [:]
    private var last = 0

    /// The entry of a tag's bytes as written (before trimming); nil when
    /// they are not UTF-8 or not a valid tag.
    mutating func id(of raw: UnsafeBufferPointer<UInt8>) -> Int? {
        if last < raws.count, Self.equal(raws[last], raw) { return last }
        for i in raws.indices where Self.equal(raws[i], raw) {
            last = i
            return i
        }
        guard let rawTag = decodeUTF8(raw) else { return nil }
        let tag = rawTag.trimmingWhitespace
        guard let (prefix, type) = TagScheme.parse(tag) else { return nil }
        let typeID: Int
        if let known = typeIDsByName[type] {
            typeID = known
        } else {
            typeID = typeIDsByName.count
            typeIDsByName[type] = typeID
        }
        raws.append(Array(raw))
        tags.append(tag)
        prefixes.append(prefix == nil ? .outside : prefix == "B" ? .begin : .inside)
        typeIDs.append(typeID)
        beginTags.append("B-" + type)
        last = raws.count - 1
        return last
    }

    private static func equal(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let q = b.baseAddress, !a.isEmpty else { return true }
        return a.withUnsafeBufferPointer { memcmp($0.baseAddress!, q, a.count) == 0 }
    }
}
