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
        var tokens: [String] = []
        var tags: [String] = []
        var lines: [Int] = []
        var count = 0

        func endSentence() throws {
            guard !tokens.isEmpty else { return }
            if scheme == .iob2 {
                for i in tags.indices where TagScheme.startsWithInside(tags, at: i) {
                    let after = i == 0 ? "at the start of a sentence" : "after '\(tags[i - 1])'"
                    throw DataError.malformedCoNLLLine(
                        file: file, line: lines[i], content: "\(tokens[i])\t\(tags[i])",
                        reason: "'\(tags[i])' \(after) starts an entity with I-, which IOB2 does not allow (IOB1 does)")
                }
            }
            let iob2 = TagScheme.iob2(from: tags)
            try body(TaggedSentence(tokens: tokens, tags: iob2, line: lines[0]))
            count += 1
            tokens.removeAll(keepingCapacity: true)
            tags.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
        }

        func handle(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Int) throws {
            if bytes.allSatisfy(isASCIIWhitespace) {
                try endSentence()
                return
            }
            guard let (token, tag) = try Self.fields(bytes, file: file, line: line) else {
                try endSentence()  // -DOCSTART-
                return
            }
            tokens.append(token)
            tags.append(tag)
            lines.append(line)
        }

        try ByteChunks.forEach(in: url, file: file) { try splitter.consume($0, handle) }
        try splitter.finish(handle)
        try endSentence()
        if count == 0 { throw DataError.emptyFile(file: file) }
    }

    private static let docStart = Array("-DOCSTART-".utf8)

    /// Token and tag of a non-blank line; nil for a `-DOCSTART-` line.
    private static func fields(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int
    ) throws -> (String, String)? {
        if bytes.starts(with: docStart) { return nil }
        let n = bytes.count
        let tab = UInt8(ascii: "\t")
        let space = UInt8(ascii: " ")
        let token: Range<Int>
        let tag: Range<Int>
        if let firstTab = bytes.firstIndex(of: tab) {
            token = 0..<firstTab
            tag = (bytes.lastIndex(of: tab)! + 1)..<n
        } else {
            var start = 0
            var end = n
            while start < end && bytes[start] == space { start += 1 }
            while end > start && bytes[end - 1] == space { end -= 1 }
            guard let firstSpace = bytes[start..<end].firstIndex(of: space) else {
                throw DataError.malformedCoNLLLine(
                    file: file, line: line, content: String(decoding: bytes, as: UTF8.self),
                    reason: "expected a token and a tag separated by a tab or a space")
            }
            token = start..<firstSpace
            tag = (bytes[start..<end].lastIndex(of: space)! + 1)..<end
        }
        return try decode(bytes, token, tag, file: file, line: line)
    }

    private static func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, _ tokenRange: Range<Int>, _ tagRange: Range<Int>, file: String, line: Int
    ) throws -> (String, String) {
        guard let token = decodeUTF8(UnsafeBufferPointer(rebasing: bytes[tokenRange])),
            let rawTag = decodeUTF8(UnsafeBufferPointer(rebasing: bytes[tagRange]))
        else { throw DataError.invalidUTF8(file: file, line: line, field: nil) }
        let tag = rawTag.trimmingWhitespace
        if token.isEmpty {
            throw DataError.malformedCoNLLLine(
                file: file, line: line, content: String(decoding: bytes, as: UTF8.self), reason: "the token before the tab is empty")
        }
        if TagScheme.parse(tag) == nil {
            throw DataError.malformedCoNLLLine(
                file: file, line: line, content: String(decoding: bytes, as: UTF8.self),
                reason: "tag '\(tag)' is not O, B-TYPE or I-TYPE")
        }
        return (token, tag)
    }
}
