/// Splits one line of a delimited file into fields.
///
/// CSV rules (RFC 4180) within one line: a field that starts with `"` runs to
/// the next unescaped `"`, and `""` inside it is one quote. Records that span
/// lines are not supported (a ratings file has none): an unterminated quote is
/// a malformed row. Fields are returned untrimmed except for a trailing `\r`.
enum DelimitedLine {
    /// Separator between fields.
    enum Separator: Equatable {
        /// One byte such as `,` or tab.
        case byte(UInt8)
        /// The two bytes `::` of MovieLens `ratings.dat`.
        case doubleColon
    }

    /// The fields of `line`, or nil when its quoting is malformed.
    static func fields(_ line: ArraySlice<UInt8>, separator: Separator) -> [String]? {
        var result: [String] = []
        var i = line.startIndex
        let end = line.endIndex
        while true {
            if i < end, line[i] == UInt8(ascii: "\""), case .byte = separator {
                // Quoted field.
                var bytes: [UInt8] = []
                i += 1
                var closed = false
                while i < end {
                    let b = line[i]
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < end, line[i + 1] == UInt8(ascii: "\"") {
                            bytes.append(b)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    bytes.append(b)
                    i += 1
                }
                if !closed { return nil }
                result.append(String(decoding: bytes, as: UTF8.self))
                // After a closing quote only a separator or the end may follow.
                if i >= end { return result }
                guard let next = separatorEnd(line, at: i, separator: separator) else { return nil }
                i = next
                continue
            }
            let start = i
            var next: Int? = nil
            while i < end {
                if let n = separatorEnd(line, at: i, separator: separator) {
                    next = n
                    break
                }
                i += 1
            }
            result.append(String(decoding: line[start..<i], as: UTF8.self))
            guard let n = next else { return result }
            i = n
            if i == end {
                result.append("")
                return result
            }
        }
    }

    /// Index after the separator starting at `i`, or nil when none starts there.
    @inline(__always)
    private static func separatorEnd(_ line: ArraySlice<UInt8>, at i: Int, separator: Separator) -> Int? {
        switch separator {
        case .byte(let s):
            return line[i] == s ? i + 1 : nil
        case .doubleColon:
            if line[i] == UInt8(ascii: ":"), i + 1 < line.endIndex, line[i + 1] == UInt8(ascii: ":") { return i + 2 }
            return nil
        }
    }
}
