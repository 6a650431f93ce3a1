import FinchText

/// The one gate every user text passes before the service stores it
/// (assistant questions, feedback inputs, monitored documents, event notes):
/// with a redactor, personal data is replaced first; without one (turned off
/// in the configuration), the text is stored as given.
public struct StoredTextRedaction: Sendable {
    /// The redactor, or nil when stored texts are kept verbatim.
    public let redactor: (any TextRedactor)?

    public init(redactor: (any TextRedactor)?) {
        self.redactor = redactor
    }

    /// Keeps texts verbatim.
    public static let off = StoredTextRedaction(redactor: nil)

    public var isEnabled: Bool { redactor != nil }

    /// The text to store.
    public func apply(_ text: String) throws -> String {
        guard let redactor else { return text }
        return try redactor.redact(text).text
    }
}
