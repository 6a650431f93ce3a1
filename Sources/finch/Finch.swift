import ArgumentParser
import FinchSupport
import Foundation

@main
struct Finch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finch",
        abstract: "Applied AI in Swift: transformers, fine-tuning, recommenders, serving.",
        version: FinchVersion.string,
        subcommands: [
            Demo.self, Tokenize.self, Embed.self, Search.self, Train.self, Distill.self, Evaluate.self, Predict.self,
            Recommend.self, Doctor.self,
            Serve.self, Keys.self, Quantize.self, Assistant.self, Redact.self, Audit.self, AuditLogCommand.self, Card.self,
            Explain.self,
            Feedback.self, Retrain.self, MonitorCommand.self, Runs.self, Tune.self,
        ]
    )

    /// Parses, validates and runs the command. A mistake on the command line
    /// (caught while parsing or in `validate()`) gets ArgumentParser's message,
    /// usage and exit 64; anything that fails while the command runs (a bad
    /// file, a bad input line, a failed write) gets one line from
    /// `ErrorMessage` on standard error and exit 1 — no usage banner.
    /// Before any command it says once when OpenBLAS runs with a generic core (`finch doctor`).
    static func main() async {
        BLASFallbackNotice.emit()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error where error is ExitCode || error is CleanExit || isParserError(error) {
            exit(withError: error)
        } catch {
            StandardError.write("Error: \(ErrorMessage.render(error))\n")
            Foundation.exit(1)
        }
    }

    /// ArgumentParser reports `--help` and similar requests as its own
    /// (internal) error types from `run()`; they keep its handling.
    /// A `ValidationError` thrown while running (an option checked against the
    /// loaded model, a bad input line) is rendered here like any other error.
    private static func isParserError(_ error: any Error) -> Bool {
        !(error is ValidationError) && String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
