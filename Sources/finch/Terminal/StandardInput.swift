import FinchText
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Problems with standard input, located by line.
enum InputError: Error, CustomStringConvertible {
    /// `read(2)` failed (standard input is a directory, an I/O error).
    case unreadable(code: Int32)
    /// A line that does not hold what `--format` says.
    case badLine(line: Int, reason: String)

    var description: String {
        switch self {
        case .unreadable(let code): return "cannot read standard input: \(String(cString: strerror(code)))"
        case let .badLine(line, reason): return "standard input, line \(line): \(reason)"
        }
    }
}

/// Standard input as lines: `\n` ends a line, a `\r` before it is dropped, a
/// last line without `\n` counts, and bytes that are not UTF-8 read as U+FFFD.
/// A read error (for example `finch embed < DIR`) is an `InputError`, not an
/// empty input.
struct StandardInputLines {
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// 1-based number of the line `next()` returned last.
    private(set) var lineNumber = 0

    init() {}

    /// The next line, or nil at the end of input.
    mutating func next() throws(InputError) -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                return take(upTo: newline, skip: 1)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                return take(upTo: buffer.count, skip: 0)
            }
            try fill()
        }
    }

    private mutating func take(upTo end: Int, skip: Int) -> String {
        var line = buffer[start..<end]
        if line.last == 0x0D { line = line.dropLast() }
        start = end + skip
        lineNumber += 1
        return String(decoding: line, as: UTF8.self)
    }

    private mutating func fill() throws(InputError) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk = try Self.readChunk()
        if chunk.isEmpty { atEnd = true }
        buffer.append(contentsOf: chunk)
    }

    /// Up to `maxCount` bytes of standard input as they come; empty at the end.
    static func readChunk(maxCount: Int = 1 << 16) throws(InputError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = bytes.withUnsafeMutableBufferPointer { read(STDIN_FILENO, $0.baseAddress!, maxCount) }
            if count >= 0 {
                bytes.removeSubrange(count...)
                return bytes
            }
            if errno != EINTR { throw .unreadable(code: errno) }
        }
    }
}

/// One line of `--format text|jsonl` input as (text, pair).
enum LineInput {
    /// The text (and optional second text) a line holds.
    static func parse(_ line: String, format: LineTokenization.Format, lineNumber: Int) throws(InputError) -> (String, String?) {
        guard format == .jsonl else { return (line, nil) }
        if line.allSatisfy(\.isWhitespace) { throw .badLine(line: lineNumber, reason: "empty line, expected {\"text\": ...}") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) } catch {
            throw .badLine(line: lineNumber, reason: "not valid JSON, expected {\"text\": ...}")
        }
        guard let object = parsed as? [String: Any] else {
            throw .badLine(line: lineNumber, reason: "not a JSON object, expected {\"text\": ...}")
        }
        guard let value = object["text"] else { throw .badLine(line: lineNumber, reason: "missing field \"text\"") }
        guard let text = value as? String else {
            throw .badLine(line: lineNumber, reason: "field \"text\" is not a string (\(kind(of: value)))")
        }
        switch object["text_pair"] {
        case nil, is NSNull: return (text, nil)
        case let pair as String: return (text, pair)
        case let other?: throw .badLine(line: lineNumber, reason: "field \"text_pair\" is not a string (\(kind(of: other)))")
        }
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is Bool: return "a boolean"
        case is NSNumber: return "a number"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(type(of: value))"
        }
    }
}
