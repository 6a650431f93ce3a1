extension StoredTextRedaction {
    /// The text to store with `spans` moved onto it: a span outside every
    /// redacted finding keeps its words at their new offsets; a span that
    /// overlaps a finding is dropped (its words are no longer in the text).
    ///
    /// The redactor copies the text between findings unchanged, so each
    /// replacement ends where the next unchanged stretch of text starts again
    /// (the first place it matches; a replacement that itself contains the
    /// following stretch would be misread, which operators' `<TYPE>` outputs never do).
    public func applyKeepingSpans(_ text: String, spans: [FeedbackSpan]) throws -> (text: String, spans: [FeedbackSpan]) {
        guard let redactor else { return (text, spans) }
        let redaction = try redactor.redact(text)
        if redaction.text == text { return (text, spans) }
        let original = Array(text.unicodeScalars), redacted = Array(redaction.text.unicodeScalars)
        var findings: [(start: Int, end: Int)] = []
        for f in redaction.entities.map({ (start: $0.start, end: $0.end) }).sorted(by: { $0.start < $1.start }) {
            if let last = findings.last, f.start < last.end {
                findings[findings.count - 1].end = Swift.max(last.end, f.end)
            } else {
                findings.append(f)
            }
        }
        // (start, end, shift after it) per finding, in original offsets.
        var shifts: [(start: Int, end: Int, shift: Int)] = []
        var position = 0  // in `redacted`, where the current finding's replacement starts
        var previousEnd = 0
        for (i, f) in findings.enumerated() {
            position += f.start - previousEnd
            let nextStart = i + 1 < findings.count ? findings[i + 1].start : original.count
            let stretch = original[f.end..<nextStart]
            var end = position
            if i + 1 == findings.count {
                end = redacted.count - stretch.count
            } else {
                while end + stretch.count <= redacted.count && !redacted[end..<(end + stretch.count)].elementsEqual(stretch) { end += 1 }
            }
            shifts.append((f.start, f.end, end - f.end))
            position = end
            previousEnd = f.end
        }
        var kept: [FeedbackSpan] = []
        for span in spans where !shifts.contains(where: { span.start < $0.end && $0.start < span.end }) {
            let delta = shifts.last(where: { $0.end <= span.start })?.shift ?? 0
            kept.append(FeedbackSpan(start: span.start + delta, end: span.end + delta, type: span.type))
        }
        return (redaction.text, kept)
    }
}
