import ArgumentParser
import FinchText

/// `--format text|jsonl`: how each standard-input line holds its input. With
/// `text` the line is the text; with `jsonl` it is `{"text": ..., "text_pair": ...}`
/// (`text_pair` optional). The same closed choice in every command that reads
/// lines of text, so `--help` lists the values.
struct InputFormatOption: ParsableArguments {
    @Option(help: "How each input line holds its text: text (the line) or jsonl ({\"text\": ..., \"text_pair\": ...}).")
    var format: LineTokenization.Format = .text

    init() {}
}

extension LineTokenization.Format: ExpressibleByArgument {}
