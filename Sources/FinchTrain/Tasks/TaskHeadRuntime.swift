import FinchNN
import FinchTensor
import FinchTransformers
import Foundation

/// What the classification and NER tasks do alike with their heads.
enum TaskHeadRuntime {
    /// Logits without autodiff: the fast inference path, or the module path when
    /// unmerged LoRA adapters are attached (the fast path reads base weights only).
    static func logits(_ head: some BertTaskHead, _ input: BertInput, workspace: BertWorkspace, adapted: Bool) throws -> Tensor {
        if adapted { return try withoutGradient { try head.logits(input) } }
        return try head.inferenceLogits(input, workspace: workspace)
    }

    /// The head, its LoRA adapters (when not merged), the tokenizer files and `finch_task.json`.
    static func save(
        _ head: some BertTaskHead, lora: LoRAConfiguration?, tokenizerDirectory: URL, metadata: TaskMetadata,
        to directory: URL
    ) throws {
        try head.save(to: directory)
        try LoRAFiles.save(head, configuration: lora, to: directory)
        try TokenizerFiles.copy(from: tokenizerDirectory, to: directory)
        try metadata.write(to: directory)
    }
}
