import FinchSupport
import Foundation

/// The tokenizer files copied next to every saved model.
enum TokenizerFiles {
    /// Files a Hugging Face tokenizer may consist of.
    static let names = [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
        "sentencepiece.bpe.model", "added_tokens.json",
    ]

    /// Copies the tokenizer files of `source` into `destination` (atomically each).
    static func copy(from source: URL, to destination: URL) throws {
        let fm = FileManager.default
        for name in names {
            let from = source.appendingPathComponent(name), to = destination.appendingPathComponent(name)
            guard fm.fileExists(atPath: from.path), from.standardizedFileURL != to.standardizedFileURL else { continue }
            // Written through AtomicFile (temporary file, fsync, rename over): an existing copy is
            // replaced in one step, never removed first.
            try AtomicFile.write(Data(contentsOf: from), to: to)
        }
    }
}
