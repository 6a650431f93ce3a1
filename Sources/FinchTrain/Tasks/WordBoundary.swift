/// Which piece of a word carries its label.
///
/// With `keep`, words are tokenized as Hugging Face does with
/// `is_split_into_words=True` and the label goes on the first piece. For text
/// written without spaces a SentencePiece/Metaspace tokenizer then puts a bare
/// `▁` before every character, the label lands on that piece, identical for
/// every character, and the model must recover each label from context. With
/// `drop`, a word gets no boundary piece of its own: a bare leading `▁` is
/// removed, and a first piece `▁x` becomes `x` when `x` is in the vocabulary.
public enum WordBoundary: String, Codable, Sendable, CaseIterable {
    /// Hugging Face's alignment: the word's first piece, whatever it is.
    case keep
    /// No boundary piece of its own (see above).
    case drop
}
