import Foundation

/// A self-contained HTML page (no scripts, no external files) showing
/// explanations: the input text with each word shaded — green where it
/// raised the explained output, red where it lowered it, the opacity
/// proportional to |attribution| / the largest |attribution| of that
/// explanation — and an SVG bar per word below it.
public enum ExplanationHTML {
    /// The page for `explanations` of `text` (and `pair`).
    public static func page(_ explanations: [Explanation], text: String, pair: String? = nil, title: String = "Finch explanation")
        -> String
    {
        var body = ""
        for e in explanations {
            body += section(e, text: text, pair: pair)
        }
        if explanations.isEmpty { body = "<p>Nothing to explain: the model found no entity in this text.</p>\n" }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}
            .text{font-size:1.2rem;line-height:2.2rem}
            .w{padding:.15rem .2rem;border-radius:.25rem}
            .meta{color:#555;font-size:.9rem}
            svg text{font-size:12px;font-family:system-ui,sans-serif}
            </style></head><body>
            <h1>\(escape(title))</h1>
            \(body)</body></html>

            """
    }

    /// Background colour of a word: green for positive, red for negative, alpha by size.
    static func colour(_ value: Double, scale: Double) -> String {
        let alpha = scale > 0 ? Swift.min(1, abs(value) / scale) : 0
        let a = String(format: "%.3f", alpha * 0.85)
        return value >= 0 ? "rgba(22,163,74,\(a))" : "rgba(220,38,38,\(a))"
    }

    static func section(_ e: Explanation, text: String, pair: String?) -> String {
        let scale = e.attributions.map { abs($0.attribution) }.max() ?? 0
        var out = "<section>\n<h2>\(escape(e.label)) \(String(format: "%.4f", e.score))"
        if let entity = e.entity { out += " — “\(escape(entity.text))” [\(entity.start), \(entity.end))" }
        out += "</h2>\n<p class=\"meta\">\(e.method == .ig ? "integrated gradients" : "occlusion")"
        if let steps = e.steps { out += ", \(steps) steps" }
        if let baseline = e.baseline { out += ", \(baseline.rawValue) baseline" }
        if let occluder = e.occluder { out += ", words replaced by \(escape(occluder))" }
        if let delta = e.delta { out += ", convergence delta \(String(format: "%.3g", delta))" }
        out += "</p>\n"
        for (segment, part) in [(0, text), (1, pair)] {
            guard let part else { continue }
            let words = e.attributions.filter { ($0.segment ?? 0) == segment }
            out += "<p class=\"text\">" + shaded(part, words: words, scale: scale) + "</p>\n"
        }
        if !e.special.isEmpty {
            let items = e.special.map { "\(escape($0.token))@\($0.position): \(String(format: "%.4g", $0.attribution))" }
            out += "<p class=\"meta\">special tokens: \(items.joined(separator: ", "))</p>\n"
        }
        out += bars(e.attributions, scale: scale)
        return out + "</section>\n"
    }

    /// `text` with each word's span wrapped in a shaded span; the rest as is.
    static func shaded(_ text: String, words: [WordAttribution], scale: Double) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = "", cursor = 0
        func plain(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return escape(String(view))
        }
        for w in words.sorted(by: { $0.start < $1.start }) where w.start >= cursor && w.end <= scalars.count {
            out += plain(cursor..<w.start)
            out += "<span class=\"w\" style=\"background:\(colour(w.attribution, scale: scale))\" "
            out += "title=\"\(String(format: "%.5g", w.attribution))\">\(plain(w.start..<w.end))</span>"
            cursor = w.end
        }
        return out + plain(cursor..<scalars.count)
    }

    /// A horizontal SVG bar chart, one bar per word, centred on zero.
    static func bars(_ words: [WordAttribution], scale: Double) -> String {
        let row = 18, width = 600, label = 160, half = (width - label) / 2
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(words.count * row + 4)\" role=\"img\">\n"
        for (i, w) in words.enumerated() {
            let y = i * row + 2
            let length = scale > 0 ? Int((abs(w.attribution) / scale * Double(half - 4)).rounded()) : 0
            let x = w.attribution >= 0 ? label + half : label + half - length
            svg += "<text x=\"\(label - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(escape(w.word))</text>"
            svg +=
                "<rect x=\"\(x)\" y=\"\(y + 2)\" width=\"\(length)\" height=\"\(row - 4)\" fill=\"\(colour(w.attribution, scale: scale / 1.2))\"/>\n"
        }
        svg += "<line x1=\"\(label + half)\" y1=\"0\" x2=\"\(label + half)\" y2=\"\(words.count * row + 4)\" stroke=\"#888\"/>\n"
        return svg + "</svg>\n"
    }

    /// HTML-escapes text for element content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
