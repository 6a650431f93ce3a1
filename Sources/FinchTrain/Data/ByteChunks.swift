import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in fixed-size chunks so readers never hold more than one
/// chunk of raw bytes (plus the record being parsed). A UTF-8 byte-order mark
/// at the start of the file is dropped.
enum ByteChunks {
    /// Bytes read per system call: large enough that the call cost vanishes,
    /// small enough to stay in cache.
    static let chunkSize = 1 << 20

    /// Calls `body` with each chunk of `url`'s contents, in order. Returns
    /// the number of bytes passed to `body` (0 for an empty file, or one that
    /// holds only a byte-order mark).
    ///
    /// - Parameter file: the name used in errors.
    @discardableResult
    static func forEach(
        in url: URL, file: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> Int {
        let fd = open(url.path, O_RDONLY)
        if fd < 0 { throw DataError.unreadableFile(file: file, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var total = 0
        var first = true
        while true {
            let n = read(fd, buffer, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw DataError.unreadableFile(file: file, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            var bytes = UnsafeBufferPointer(start: buffer, count: n)
            if first, n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                bytes = UnsafeBufferPointer(start: buffer + 3, count: n - 3)
            }
            first = false
            if bytes.count > 0 {
                total += bytes.count
                try body(bytes)
            }
        }
        return total
    }
}

/// Receives the lines of a `LineSplitter`.
protocol LineSink {
    /// Handles line `number` (1-based), without its line break.
    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) throws
}

/// Splits chunks of bytes into lines, carrying a partial line from one chunk
/// to the next. A line ends at LF, CRLF or a lone CR; the terminator is not
/// part of the line. Line numbers start at 1.
///
/// Lines go to a `LineSink` passed `inout` (statically dispatched, no
/// dynamic exclusivity checks per line) or to a closure.
struct LineSplitter {
    private var pending: [UInt8] = []
    private var lastWasCR = false
    private(set) var lineNumber = 0

    /// Hands every line completed inside `chunk` to `sink`.
    mutating func consume<Sink: LineSink>(_ chunk: UnsafeBufferPointer<UInt8>, into sink: inout Sink) throws {
        guard let base = chunk.baseAddress else { return }
        let n = chunk.count
        var start = 0
        var i = 0
        if lastWasCR, n > 0, base[0] == 0x0A {  // the LF of a CRLF split across chunks
            start = 1
            i = 1
        }
        lastWasCR = false
        while i < n {
            let b = base[i]
            if b == 0x0A || b == 0x0D {
                lineNumber += 1
                let piece = UnsafeBufferPointer(start: base + start, count: i - start)
                if pending.isEmpty {
                    try sink.line(piece, number: lineNumber)
                } else {
                    pending.append(contentsOf: piece)
                    let number = lineNumber
                    try pending.withUnsafeBufferPointer { try sink.line($0, number: number) }
                    pending.removeAll(keepingCapacity: true)
                }
                if b == 0x0D {
                    if i + 1 < n {
                        if base[i + 1] == 0x0A { i += 1 }
                    } else {
                        lastWasCR = true
                    }
                }
                start = i + 1
            }
            i += 1
        }
        if start < n { pending.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start)) }
    }

    /// Delivers the last line when the input does not end with a line break.
    mutating func finish<Sink: LineSink>(into sink: inout Sink) throws {
        guard !pending.isEmpty else { return }
        lineNumber += 1
        let number = lineNumber
        try pending.withUnsafeBufferPointer { try sink.line($0, number: number) }
        pending.removeAll()
    }

    /// Calls `body(line, number)` for every line completed inside `chunk`.
    mutating func consume(
        _ chunk: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        try withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            try consume(chunk, into: &sink)
        }
    }

    /// Calls `body` with the last line when the input does not end with a line break.
    mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        try withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            try finish(into: &sink)
        }
    }

    private struct ClosureSink: LineSink {
        let body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
        func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) throws { try body(bytes, number) }
    }
}

/// Decodes bytes that must be UTF-8; nil when they are not.
///
/// Validates with `isValidUTF8` and then builds the string with
/// `String(decoding:as:)`, which on a buffer pointer takes the standard
/// library's fast path (`String(validating:as:)` goes through generic
/// metadata look-ups that cost more than the decoding on short fields).
@inline(__always)
func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
}

/// Whether `bytes` are well-formed UTF-8 (Unicode 15, table 3-7): no
/// overlong forms, no surrogates, nothing above U+10FFFF, no truncated
/// sequences.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let p = bytes.baseAddress else { return true }
    let n = bytes.count
    var i = 0
    while i < n {
        let b0 = p[i]
        if b0 < 0x80 {
            i += 1
            continue
        }
        @inline(__always) func continuation(_ k: Int) -> Bool { i + k < n && p[i + k] & 0xC0 == 0x80 }
        if b0 >= 0xC2 && b0 <= 0xDF {
            guard continuation(1) else { return false }
            i += 2
        } else if b0 >= 0xE0 && b0 <= 0xEF {
            guard i + 1 < n else { return false }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low && b1 <= high, continuation(2) else { return false }
            i += 3
        } else if b0 >= 0xF0 && b0 <= 0xF4 {
            guard i + 1 < n else { return false }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= low && b1 <= high, continuation(2), continuation(3) else { return false }
            i += 4
        } else {
            return false
        }
    }
    return true
}

/// True for the bytes of ASCII space, tab, CR, LF, FF and VT.
@inline(__always)
func isASCIIWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
}

extension String {
    /// The string without leading and trailing white space (Unicode
    /// `isWhitespace`, which includes the ideographic space U+3000 and NBSP).
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
