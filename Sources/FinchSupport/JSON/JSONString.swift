/// JSON string literals written by hand (for output whose key order or
/// spacing `JSONEncoder` does not control: safetensors headers, JSON Lines
/// streamed to stdout).
public enum JSONString {
    /// `value` as a JSON string literal, quotes included, escaped as
    /// serde_json and Python's `json.dumps(ensure_ascii=False)` do: `"` and
    /// `\`, the short escapes `\n \r \t \b \f`, `\u00XX` (lower-case hex) for
    /// the other control characters below U+0020; everything else, non-ASCII
    /// included, as raw UTF-8.
    public static func quoted(_ value: String) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    /// Appends `quoted(value)` to `out`, without building an intermediate string.
    public static func append(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
