import ArgumentParser

@main
struct Finch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finch",
        abstract: "Applied AI in Swift: transformers, fine-tuning, recommenders, serving.",
        version: FinchVersion.string,
        subcommands: [
            Demo.self, Tokenize.self, Embed.self, Search.self, Train.self, Evaluate.self, Predict.self, Recommend.self, Doctor.self,
        ]
    )

    /// Says once, before any command, when OpenBLAS runs with a generic core (`finch doctor`).
    static func main() {
        BLASFallbackNotice.emit()
        main(nil)
    }
}

enum FinchVersion {
    static let string = "0.1.0"
}
