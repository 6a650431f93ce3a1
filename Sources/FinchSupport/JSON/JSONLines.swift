import Foundation

/// Reading JSON Lines files (one JSON object per line; blank lines skipped),
/// streaming: one chunk of the file and one line are in memory at a time.
public enum JSONLines {
    /// Calls `body` with each object of the file at `url`, in order, and
    /// returns how many there were.
    ///
    /// - Parameter file: the name used in errors.
    /// - Throws: `DataError.unreadableFile`, `.invalidUTF8` or `.malformedJSON`
    ///   (with the line), or whatever `body` throws.
    @discardableResult
    public static func forEachRecord(in url: URL, file: String, _ body: (JSONRecord) throws -> Void) throws -> Int {
        var splitter = LineSplitter()
        let decoder = JSONDecoder()
        var count = 0
        func handle(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Int) throws {
            if bytes.allSatisfy(isASCIIWhitespace) { return }
            let fields = try object(bytes, decoder: decoder, file: file, line: line)
            count += 1
            try body(JSONRecord(fields: fields, file: file, line: line))
        }
        try ByteChunks.forEach(in: url, file: file) { try splitter.consume($0, handle) }
        try splitter.finish(handle)
        return count
    }

    /// Calls `body` with each object of `bytes` (a whole file already in
    /// memory; a leading byte-order mark is skipped), in order, and returns
    /// how many there were.
    @discardableResult
    public static func forEachRecord(in bytes: [UInt8], file: String, _ body: (JSONRecord) throws -> Void) throws -> Int {
        var splitter = LineSplitter()
        let decoder = JSONDecoder()
        var count = 0
        func handle(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            if line.allSatisfy(isASCIIWhitespace) { return }
            let fields = try object(line, decoder: decoder, file: file, line: number)
            count += 1
            try body(JSONRecord(fields: fields, file: file, line: number))
        }
        try bytes.withUnsafeBufferPointer { all in
            var start = 0
            if all.count >= 3, all[0] == 0xEF, all[1] == 0xBB, all[2] == 0xBF { start = 3 }
            try splitter.consume(UnsafeBufferPointer(rebasing: all[start...]), handle)
        }
        try splitter.finish(handle)
        return count
    }

    /// The JSON object on one line.
    /// - Throws: `DataError.invalidUTF8` or `.malformedJSON` naming `file` and `line`.
    public static func object(
        _ bytes: UnsafeBufferPointer<UInt8>, decoder: JSONDecoder = JSONDecoder(), file: String, line: Int
    ) throws(DataError) -> [String: JSONValue] {
        guard isValidUTF8(bytes) else { throw .invalidUTF8(file: file, line: line, field: nil) }
        let value: JSONValue
        do {
            value = try decoder.decode(JSONValue.self, from: Data(buffer: bytes))
        } catch {
            throw .malformedJSON(file: file, line: line, reason: "invalid JSON")
        }
        guard case .object(let object) = value else {
            throw .malformedJSON(file: file, line: line, reason: "found \(value.kindDescription)")
        }
        return object
    }
}
