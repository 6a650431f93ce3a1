/// How raw text is cut into words when predicting.
public enum WordSplitting: String, Codable, Sendable {
    /// Runs of non-space characters (English and other space-separated text).
    case whitespace
    /// Every non-space character is a word (Chinese, Japanese: text written without spaces).
    case characters
}
