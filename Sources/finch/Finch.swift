import ArgumentParser

@main
struct Finch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finch",
        abstract: "Applied AI in Swift: transformers, fine-tuning, recommenders, serving.",
        version: FinchVersion.string,
        subcommands: [Demo.self, Tokenize.self, Embed.self, Search.self, Train.self, Evaluate.self, Predict.self, Recommend.self, Serve.self, Keys.self]
    )
}

enum FinchVersion {
    static let string = "0.1.0"
}
