/// One labelled example for sequence classification: a text (or a pair of
/// texts, as in natural-language inference) and its label, as written in the
/// file.
public struct ClassificationExample: Equatable, Hashable, Sendable, Codable {
    /// The text to classify, exactly as in the file (never empty or only white space).
    public var text: String
    /// The second text of a pair (`--text-pair-column`), or nil.
    public var textPair: String?
    /// The label as a string, white space trimmed (JSON numbers and booleans
    /// are written as `1`, `true`).
    public var label: String
    /// The 1-based line where the example starts in its file (the header is
    /// line 1 of a CSV file), for error messages.
    public var line: Int

    /// An example; `line` is 0 for examples that do not come from a file.
    public init(text: String, textPair: String? = nil, label: String, line: Int = 0) {
        self.text = text
        self.textPair = textPair
        self.label = label
        self.line = line
    }
}

/// Which columns of a table (or keys of a JSON object) hold the text, the
/// optional second text and the label. Defaults are those of `finch train
/// classify` and of Hugging Face's `run_glue.py` (`text`, `label`).
public struct ClassificationColumns: Equatable, Sendable {
    /// Column with the text (`--text-column`).
    public var text: String
    /// Column with the second text of a pair (`--text-pair-column`), or nil.
    public var textPair: String?
    /// Column with the label (`--label-column`).
    public var label: String

    /// Columns by name.
    public init(text: String = "text", textPair: String? = nil, label: String = "label") {
        self.text = text
        self.textPair = textPair
        self.label = label
    }
}

/// The layout of a classification data file.
public enum ClassificationFileFormat: Equatable, Sendable {
    /// Comma-separated values (RFC 4180) with a header line.
    case csv
    /// Tab-separated values with a header line. `quoting` off (the default)
    /// follows the IANA definition: fields hold no tabs or line breaks and a
    /// quote is an ordinary character, which is what GLUE-style TSV files
    /// need. With `quoting` on, quotes work as in CSV (files written by
    /// `pandas.to_csv(sep="\t")`).
    case tsv(quoting: Bool)
    /// JSON lines: one JSON object per line.
    case jsonLines

    /// The format implied by a file name: `.csv`, `.tsv`/`.tab`, or
    /// `.jsonl`/`.ndjson`/`.json`; nil for anything else.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv(quoting: false)
        case "jsonl", "ndjson", "json": self = .jsonLines
        default: return nil
        }
    }
}
