import FinchTensor

extension BertModel {
    /// Fast forward pass for inference: no autodiff recording, no dropout
    /// (eval semantics whatever `isTraining` says), every intermediate in
    /// `workspace` (a fresh one when nil), GEMMs through BLAS and attention
    /// per (row, head) on strided slices. Same function as
    /// `callAsFunction(_:)` in eval mode.
    public func inference(_ input: BertInput, workspace: BertWorkspace? = nil) throws(BertInputError) -> BertModelOutput {
        try validate(input)
        let ws = workspace ?? BertWorkspace()
        let x = encode(input, workspace: ws)
        let b = input.batchSize, s = input.sequenceLength, h = config.hiddenSize
        let hidden = Tensor(shape: [b, s, h]) { $0.baseAddress!.update(from: x, count: b * s * h) }
        var pooled: Tensor?
        if let pooler {
            let y = ws.buffer(.pooled, count: b * h)
            BlasThreading.singleThreaded { pooler.infer(x, batch: b, sequence: s, workspace: ws, into: y) }
            pooled = Tensor(shape: [b, h]) { $0.baseAddress!.update(from: y, count: b * h) }
        }
        return BertModelOutput(lastHiddenState: hidden, poolerOutput: pooled)
    }

    /// Runs embeddings and every layer on a validated batch; returns the
    /// workspace buffer holding the last hidden states [B·S, H] (valid until
    /// the workspace is used again).
    func encode(_ input: BertInput, workspace ws: BertWorkspace) -> UnsafeMutablePointer<Float> {
        let b = input.batchSize, s = input.sequenceLength, h = config.hiddenSize
        let x = ws.buffer(.hidden, count: b * s * h)
        var maskBias: UnsafeMutablePointer<Float>?
        if let mask = input.attentionMask, mask.contains(0) {
            let m = ws.buffer(.maskBias, count: b * s)
            for (i, v) in mask.enumerated() { m[i] = v == 0 ? Self.maskedScore : 0 }
            maskBias = m
        }
        withoutGradient {  // raw buffers only; nothing could record, but say so
            BlasThreading.singleThreaded {
                embeddings.infer(input, into: x)
                for block in encoder.layer {
                    block.infer(x, batch: b, sequence: s, maskBias: maskBias.map { UnsafePointer($0) }, workspace: ws)
                }
            }
        }
        return x
    }
}
