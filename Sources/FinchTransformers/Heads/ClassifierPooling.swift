/// What the linear layer of a sequence classifier reads.
///
/// `.pooler` is Hugging Face's `BertForSequenceClassification`: the pooler's
/// tanh(dense(hidden[CLS])). Checkpoints saved without a pooler (sentence-
/// transformers models such as multilingual-e5 or paraphrase-MiniLM-L3) get a
/// new one when a head is trained on them, initialized as `transformers` does.
/// `.cls` and `.mean` skip the pooler: the first token's hidden state, or the
/// mean of the attended ones (as a sentence-transformers model pools). Only
/// `.pooler` is a model `transformers` runs as is; the others are recorded in
/// `config.json` under `configKey` for Finch.
public enum ClassifierPooling: String, Codable, Sendable, CaseIterable {
    /// tanh(dense(hidden[CLS])), BERT's pooler (the reference's behaviour, the default).
    case pooler
    /// hidden[CLS], no pooler.
    case cls
    /// The mean of the attended hidden states, no pooler.
    case mean

    /// The `config.json` key a fine-tuned classifier stores a pooling other than `.pooler` under.
    public static let configKey = "finch_classifier_pooling"
    /// The `config.json` key that records a pooler initialized for training (for the model card).
    public static let initializationKey = "finch_pooler_initialization"
}
