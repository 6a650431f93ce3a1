import ArgumentParser

@main
struct Finch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finch",
        abstract: "Applied AI in Swift: transformers, fine-tuning, recommenders, serving.",
        version: FinchVersion.string,
        subcommands: [Demo.self, Recommend.self]
    )
}

enum FinchVersion {
    static let string = "0.1.0"
}
