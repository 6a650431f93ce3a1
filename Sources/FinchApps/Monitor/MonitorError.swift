import Foundation

/// What went wrong in a monitor: a rule or configuration field that does not
/// hold, a document that cannot be read, a model that does not fit.
public enum MonitorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field of an alert rule is missing or out of range.
    case invalidRule(field: String, reason: String)
    /// A field of a monitor's configuration is missing or out of range.
    case invalidConfig(field: String, reason: String)
    /// A document of an input stream cannot be read (`line` is 1-based; 0 when not from a file).
    case invalidDocument(source: String, line: Int, field: String, reason: String)
    /// A classifier label has no polarity in the configuration.
    case unmappedLabel(model: String, label: String)
    /// A model returned a different number of results than it was given texts.
    case modelMismatch(model: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case .invalidRule(let field, let reason): "alert rule: field '\(field)': \(reason)"
        case .invalidConfig(let field, let reason): "monitor configuration: field '\(field)': \(reason)"
        case .invalidDocument(let source, let line, let field, let reason):
            line > 0 ? "\(source):\(line): field '\(field)': \(reason)" : "\(source): field '\(field)': \(reason)"
        case .unmappedLabel(let model, let label):
            "model '\(model)': label '\(label)' is not mapped to negative, neutral or positive"
        case .modelMismatch(let model, let expected, let got): "model '\(model)' gave \(got) results for \(expected) texts"
        }
    }
}
