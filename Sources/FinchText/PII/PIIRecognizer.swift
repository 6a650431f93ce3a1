/// Finds one family of personal data in a text. Built-in recognizers
/// validate what they match (checksums, ranges, dates), so a bare pattern
/// match is not a finding.
public protocol PIIRecognizer: Sendable {
    /// The name reported in each finding (`EmailRecognizer`).
    var name: String { get }
    /// The types this recognizer can report.
    var supportedTypes: Set<PIIEntityType> { get }
    /// Every finding in `text`, overlaps allowed (the analyzer resolves them).
    func findings(in text: PIIText) throws -> [PIIFinding]
}
