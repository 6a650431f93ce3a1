import FinchNN
import FinchTensor
import FinchTransformers

/// Leave-one-word-out occlusion: a word's attribution is F(input) −
/// F(input with every token of the word replaced by `replacementID`), so a
/// positive value means the word raised F. Token types, positions and the
/// attention mask stay as they are; the sequence keeps its length. Runs the
/// head's inference path (no autodiff), `batchSize` occluded copies per pass.
public struct Occlusion {
    /// The model.
    public let model: any EmbeddingInputModel
    /// Occluded copies per forward pass.
    public var batchSize: Int

    /// Occludes with `model`, `batchSize` copies per pass.
    public init(model: any EmbeddingInputModel, batchSize: Int = 32) {
        model.eval()
        self.model = model
        self.batchSize = Swift.max(1, batchSize)
    }

    /// F of the full input and the drop for each group of token positions (a word).
    public func attribute(ids: [Int], typeIDs: [Int]? = nil, groups: [[Int]], replacementID: Int, target: AttributionTarget) throws
        -> (output: Double, drops: [Double])
    {
        let s = ids.count
        var rows: [[Int]] = [ids]
        for group in groups {
            var occluded = ids
            for position in group { occluded[position] = replacementID }
            rows.append(occluded)
        }
        var values: [Double] = []
        let workspace = BertWorkspace()
        var first = 0
        while first < rows.count {
            let part = rows[first..<Swift.min(first + batchSize, rows.count)]
            let input = BertInput(
                batchSize: part.count, sequenceLength: s, inputIDs: part.flatMap { $0 },
                tokenTypeIDs: typeIDs.map { t in part.flatMap { _ in t } })
            try model.encoderModel.validate(input)
            values += target.values(of: try model.inferenceLogits(input, workspace: workspace))
            first += batchSize
        }
        return (values[0], values.dropFirst().map { values[0] - $0 })
    }
}
