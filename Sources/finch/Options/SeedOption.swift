import ArgumentParser

/// `--seed N`: the one seed of a command's randomness (data order, new weights,
/// splits). The default is 42 in every command, so two commands run without
/// `--seed` agree on their random choices.
struct SeedOption: ParsableArguments {
    /// The default seed of every command.
    static let defaultSeed: UInt64 = 42

    @Option(help: "Seed of every random choice (same seed, same result).")
    var seed: UInt64 = SeedOption.defaultSeed

    init() {}
}
