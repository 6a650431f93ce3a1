import FinchSupport
import Foundation

/// Tokenizes a stream of lines, one input per line, into one JSON object per
/// line — the work behind `finch tokenize`.
///
/// Input formats: `text` (the line is the text) or `jsonl` (an object with a
/// string `text` and an optional string `text_pair`). Lines end at `\n`; a
/// `\r` before it is dropped. Bytes that are not valid UTF-8 are replaced by
/// U+FFFD (which the BERT normalizer then removes), so any input file can be
/// read. Output per input, keys in this order:
/// `{"input_ids": [...], "tokens": [...], "token_type_ids": [...],
/// "attention_mask": [...], "offsets": [[start, end], ...]}` with offsets in
/// Unicode scalars (Python string indices).
public struct LineTokenization: Sendable {
    /// How a line holds its input.
    public enum Format: String, Sendable, CaseIterable {
        /// The line is the text.
        case text
        /// The line is `{"text": ..., "text_pair": ...}`.
        case jsonl
    }

    /// The tokenizer.
    public var tokenizer: Tokenizer
    /// The input format.
    public var format: Format
    /// Truncation, when asked for (none by default).
    public var truncation: Truncation?
    /// Lines encoded together (in parallel) before their output is written.
    public var batchSize: Int

    /// A line tokenizer.
    public init(tokenizer: Tokenizer, format: Format = .text, truncation: Truncation? = nil, batchSize: Int = 256) {
        self.tokenizer = tokenizer
        self.format = format
        self.truncation = truncation
        self.batchSize = Swift.max(1, batchSize)
    }

    /// The input held by one line (`lineNumber` is 1-based, for errors).
    ///
    /// - Throws: `TokenizerError.invalidInputLine` for malformed JSON, a
    ///   missing or non-string `text`, a non-string `text_pair`, or a
    ///   `truncation` too short for the special tokens the input needs.
    public func input(from line: String, lineNumber: Int) throws -> (text: String, pair: String?) {
        let input: (text: String, pair: String?)
        switch format {
        case .text:
            input = (line, nil)
        case .jsonl:
            input = try Self.parseJSONLine(line, lineNumber: lineNumber)
        }
        if let truncation {
            let specials = tokenizer.specialTokenCount(isPair: input.pair != nil)
            if truncation.maxLength < specials {
                throw TokenizerError.invalidInputLine(
                    line: lineNumber,
                    reason: "max length \(truncation.maxLength) is below the \(specials) special tokens "
                        + (input.pair == nil ? "of a single text" : "of a text pair"))
            }
        }
        return input
    }

    static func parseJSONLine(_ line: String, lineNumber: Int) throws -> (text: String, pair: String?) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        } catch {
            let reason = line.trimmingCharacters(in: .whitespaces).isEmpty ? "empty line" : "not valid JSON"
            throw TokenizerError.invalidInputLine(line: lineNumber, reason: "\(reason), expected {\"text\": ...}")
        }
        guard let fields = object as? [String: Any] else {
            throw TokenizerError.invalidInputLine(line: lineNumber, reason: "expected a JSON object with a `text` field")
        }
        guard let value = fields["text"] else {
            throw TokenizerError.invalidInputLine(line: lineNumber, reason: "missing field `text`")
        }
        guard let text = value as? String else {
            throw TokenizerError.invalidInputLine(line: lineNumber, reason: "field `text` must be a string")
        }
        switch fields["text_pair"] {
        case nil, is NSNull:
            return (text, nil)
        case let pair as String:
            return (text, pair.isEmpty ? nil : pair)  // an empty text_pair is no pair (`Tokenizer.encode`)
        default:
            throw TokenizerError.invalidInputLine(line: lineNumber, reason: "field `text_pair` must be a string")
        }
    }

    /// Reads all input with `readChunk` (nil or empty data at the end) and
    /// calls `write` with the output of each batch of lines, in input order.
    /// Stops at the first bad line with its error; the lines before it have
    /// been written.
    public func run(readChunk: () throws -> Data?, write: (String) throws -> Void) throws {
        var buffer: [UInt8] = []
        var pending: [(text: String, pair: String?)] = []
        var lineNumber = 0

        func flush() throws {
            guard !pending.isEmpty else { return }
            let encodings = try tokenizer.encode(batch: pending, truncation: truncation)
            var output = ""
            for encoding in encodings {
                output += Self.json(for: encoding)
                output += "\n"
            }
            pending.removeAll(keepingCapacity: true)
            try write(output)
        }

        func take(_ bytes: ArraySlice<UInt8>) throws {
            lineNumber += 1
            var line = bytes
            if line.last == 0x0D { line = line.dropLast() }
            let parsed: (text: String, pair: String?)
            do {
                parsed = try input(from: String(decoding: line, as: UTF8.self), lineNumber: lineNumber)
            } catch {
                try flush()  // the good lines before the bad one are written first
                throw error
            }
            pending.append(parsed)
            if pending.count >= batchSize { try flush() }
        }

        while let chunk = try readChunk(), !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
            var start = 0
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                try take(buffer[start..<newline])
                start = newline + 1
            }
            buffer.removeSubrange(0..<start)
        }
        if !buffer.isEmpty { try take(buffer[...]) }
        try flush()
    }

    /// The output object of one encoding (no trailing newline).
    public static func json(for encoding: Encoding) -> String {
        var out = "{\"input_ids\": ["
        appendIntegers(encoding.ids, to: &out)
        out += "], \"tokens\": ["
        for (i, token) in encoding.tokens.enumerated() {
            if i > 0 { out += ", " }
            appendJSONString(token, to: &out)
        }
        out += "], \"token_type_ids\": ["
        appendIntegers(encoding.typeIDs, to: &out)
        out += "], \"attention_mask\": ["
        appendIntegers(encoding.attentionMask, to: &out)
        out += "], \"offsets\": ["
        for (i, span) in encoding.offsets.enumerated() {
            out += i > 0 ? ", [" : "["
            out += String(span.start)
            out += ", "
            out += String(span.end)
            out += "]"
        }
        out += "]}"
        return out
    }

    private static func appendIntegers(_ values: [Int], to out: inout String) {
        for (i, value) in values.enumerated() {
            if i > 0 { out += ", " }
            out += String(value)
        }
    }

    /// Appends `value` as a JSON string literal (FinchSupport's `JSONString`).
    static func appendJSONString(_ value: String, to out: inout String) {
        JSONString.append(value, to: &out)
    }
}
