import ArgumentParser

/// A command's default number of results for `--top-k` and what one result is.
protocol TopKDefault {
    /// The value when `--top-k` is not given.
    static var defaultValue: Int { get }
    /// What is counted, for the help text ("hits per query", "items").
    static var counted: String { get }
}

/// `--top-k N` (short `-k N`): how many results to print, at least 1. The one
/// spelling of "how many" across commands; `Default` gives each command its
/// default and wording.
struct TopKOption<Default: TopKDefault>: ParsableArguments {
    @Option(name: [.customLong("top-k"), .customShort("k")], help: ArgumentHelp("Number of \(Default.counted) (at least 1)."))
    var topK: Int = Default.defaultValue

    init() {}

    func validate() throws {
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, got \(topK)") }
    }
}
