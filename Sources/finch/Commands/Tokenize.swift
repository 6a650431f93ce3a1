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

    @OptionGroup var model: ModelOption
    @OptionGroup var maxLength: MaxLengthOption
    @OptionGroup var input: InputFormatOption

    func run() throws {
        let tokenizer = try Tokenizer.load(directory: try model.resolve())
        let job = LineTokenization(
            tokenizer: tokenizer, format: input.format, truncation: maxLength.maxLength.map { Truncation(maxLength: $0) })
        try job.run(
            readChunk: { Data(try StandardInputLines.readChunk()) },
            write: { try StandardOutput.write($0) })
    }
}
