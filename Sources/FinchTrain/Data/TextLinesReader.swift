import FinchSupport
import Foundation

/// A text read from a file of one text per line, with its 1-based line number.
public struct TextLine: Equatable, Hashable, Sendable {
    /// The line without its line break (white space inside kept).
    public var text: String
    /// The 1-based line in its file, for error messages.
    public var line: Int

    /// A text and where it came from (0: not from a file).
    public init(text: String, line: Int = 0) {
        self.text = text
        self.line = line
    }
}

/// Reads unlabelled texts, one per line (`\n` or `\r\n`); lines holding only
/// white space are skipped.
public struct TextLinesReader: Sendable {
    /// A reader.
    public init() {}

    /// The texts of `url`; `name` is the file name errors give (default: the path as given).
    ///
    /// - Throws: `DataError.unreadableFile`, `.invalidUTF8` naming the line, or `.emptyFile` when no line holds text.
    public func read(_ url: URL, name: String? = nil) throws -> [TextLine] {
        let file = name ?? url.relativePath
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError.unreadableFile(file: file, reason: SystemReason.describe(error))
        }
        var out: [TextLine] = []
        for (index, bytes) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = bytes.last == 0x0D ? bytes.dropLast() : bytes
            guard let text = String(data: Data(line), encoding: .utf8) else {
                throw DataError.invalidUTF8(file: file, line: index + 1, field: nil)
            }
            if !text.allSatisfy(\.isWhitespace) { out.append(TextLine(text: text, line: index + 1)) }
        }
        guard !out.isEmpty else { throw DataError.emptyFile(file: file) }
        return out
    }
}
