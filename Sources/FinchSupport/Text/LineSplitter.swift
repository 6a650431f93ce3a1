/// Receives the lines of a `LineSplitter`.
public protocol LineSink {
    /// Handles line `number` (1-based), without its line break.
    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) throws
}

/// Splits chunks of bytes into lines, carrying a partial line from one chunk
/// to the next. A line ends at LF, CRLF or a lone CR; the terminator is not
/// part of the line. Line numbers start at 1.
///
/// Lines go to a `LineSink` passed `inout` (statically dispatched, no
/// dynamic exclusivity checks per line) or to a closure.
public struct LineSplitter {
    private var pending: [UInt8] = []
    private var lastWasCR = false
    /// Lines completed so far.
    public private(set) var lineNumber = 0

    /// A splitter at the start of its input.
    public init() {}

    /// Hands every line completed inside `chunk` to `sink`.
    public mutating func consume<Sink: LineSink>(_ chunk: UnsafeBufferPointer<UInt8>, into sink: inout Sink) throws {
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
    public mutating func finish<Sink: LineSink>(into sink: inout Sink) throws {
        guard !pending.isEmpty else { return }
        lineNumber += 1
        let number = lineNumber
        try pending.withUnsafeBufferPointer { try sink.line($0, number: number) }
        pending.removeAll()
    }

    /// Calls `body(line, number)` for every line completed inside `chunk`.
    public mutating func consume(
        _ chunk: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        try withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            try consume(chunk, into: &sink)
        }
    }

    /// Calls `body` with the last line when the input does not end with a line break.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
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
