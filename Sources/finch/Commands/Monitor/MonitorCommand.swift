import ArgumentParser

/// `finch monitor …`: sentiment and topic monitoring of a stream of texts.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Monitor a stream of texts: sentiment, topics and entities per time bucket, with alerts.",
        subcommands: [MonitorReplayCommand.self, MonitorIngestCommand.self])
}
