/// E-mail addresses: a local part, `@`, and a domain of at least two labels
/// whose last label (the top-level domain) is two or more letters. The local
/// part may not start or end with a dot or hold two dots in a row; domain
/// labels may not start or end with a hyphen.
public struct EmailRecognizer: PIIRecognizer {
    public let name = "EmailRecognizer"
    public let supportedTypes: Set<PIIEntityType> = [.emailAddress]

    /// The recognizer.
    public init() {}

    private static let pattern = PIIPattern(
        #"(?<![A-Za-z0-9._%+_\-])[A-Za-z0-9._%+_\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24})(?![A-Za-z0-9\-])(?!\.[A-Za-z0-9])"#
    )

    public func findings(in text: PIIText) -> [PIIFinding] {
        Self.pattern.matches(in: text).compactMap { m -> PIIFinding? in
            let value = text.slice(m.start, m.end)
            guard let at = value.firstIndex(of: "@") else { return nil }
            let local = value[..<at]
            let domain = value[value.index(after: at)...]
            guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
                domain.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({
                    !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-")
                })
            else { return nil }
            return PIIFinding(type: .emailAddress, start: m.start, end: m.end, score: 1.0, recognizer: name)
        }
    }
}
