import ArgumentParser

/// `--max-length N`: tokens per text, special tokens included; longer input is
/// cut. Validated at parse time (at least `minimum`); above the model's limit it
/// is an error that names the limit (`checked(limit:source:)`), never a silent cap.
struct MaxLengthOption: ParsableArguments {
    /// The smallest length that still holds a token between `[CLS]` and `[SEP]`.
    static let minimum = 2

    @Option(name: .customLong("max-length"), help: "Tokens per text, special tokens included; longer text is cut.")
    var maxLength: Int?

    init() {}

    func validate() throws {
        if let maxLength, maxLength < Self.minimum {
            throw ValidationError("--max-length must be at least \(Self.minimum), got \(maxLength)")
        }
    }

    /// The requested length, or an error when it exceeds `limit` (the model's
    /// longest input; `source` says where that limit comes from).
    func checked(limit: Int, source: String) throws -> Int? {
        if let maxLength, maxLength > limit {
            throw ValidationError(
                "--max-length \(maxLength) is above the model's limit of \(limit) tokens (\(source)); use at most \(limit)")
        }
        return maxLength
    }
}
