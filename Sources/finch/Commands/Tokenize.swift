import ArgumentParser
import FinchText
import Foundation

/// `finch tokenize`: one input per stdin line → one JSON object per stdout line.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize text read from standard input, one input per line.",
        discussion: """
            Reads one input per line from standard input and writes one JSON
            object per line:
              {"input_ids": [...], "tokens": [...], "token_type_ids": [...],
               "attention_mask": [...], "offsets": [[start, end], ...]}
            The ids and tokens are those of Hugging Face tokenizers for the
            same model. Offsets are Unicode scalar (code point) positions in
            the input text, like Python string indices; special tokens have
            [0, 0]; offsets of a text_pair count from the start of the pair.

            Formats:
              text   the whole line is the text (a trailing \\r is dropped)
              jsonl  each line is {"text": "...", "text_pair": "..."};
                     text_pair is optional (the second segment of a pair)

            Nothing is truncated unless --max-length is given (special tokens
            count toward it; pairs are truncated longest-first). Bytes that
            are not valid UTF-8 are read as U+FFFD. A malformed line stops the
            run with an error naming its line number.
            """)

    @Option(name: .long, help: "Model directory in Hugging Face layout (tokenizer.json, or vocab.txt).")
    var model: String

    @Option(name: .long, help: "Truncate each encoding to at most this many tokens, special tokens included.")
    var maxLength: Int?

    @Option(name: .long, help: "Input format: text or jsonl.")
    var format: LineTokenization.Format = .text

    func validate() throws {
        if let maxLength, maxLength < 1 {
            throw ValidationError("--max-length must be at least 1")
        }
    }

    func run() throws {
        let tokenizer = try Tokenizer.load(directory: try ModelLocation.resolve(model))
        let job = LineTokenization(
            tokenizer: tokenizer, format: format, truncation: maxLength.map { Truncation(maxLength: $0) })
        let input = FileHandle.standardInput
        let output = FileHandle.standardOutput
        try job.run(
            readChunk: { try input.read(upToCount: 1 << 16) },
            write: { output.write(Data($0.utf8)) })
    }
}

extension LineTokenization.Format: ExpressibleByArgument {}
