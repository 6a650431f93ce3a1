import FinchNN
import FinchTensor

/// Dropout masks keyed by (seed, module, optimizer step, global sample index) instead of
/// each module's stream, so that a sample draws the same mask whichever rank computes it
/// and however its batch was split or padded.
///
/// The mask of an input shaped [B·R, d₁, …, dₙ] (B samples, R rows per sample: 1 for
/// [B, S, H] and [B, heads, S, S], S for a flattened [B·S, H]) is built line by line: a
/// line's key chains the sample's key with the row within the sample (when R > 1) and the
/// coordinates d₁…dₙ₋₁, so [B·S, H] and [B, S, H] draw the same mask; element j of the line keeps its value when SplitMix64(key, j) falls below
/// 1 − p. No key depends on a dimension's size, so padding a batch to another length
/// leaves the mask of every real position unchanged.
final class SampleKeyedDropout {
    /// The optimizer step the next forward pass belongs to.
    var step = 0
    /// Global sample indices of the rows of the next forward pass.
    var samples: [Int] = []

    /// Keys every dropout module of `model` by its name and `seed`, reading the step and
    /// samples from the returned object before each forward pass.
    static func install(on model: any Module, seed: UInt64) -> SampleKeyedDropout {
        let keys = SampleKeyedDropout()
        for (name, dropout) in model.dropoutModules() {
            let moduleKey = mix(seed, fnv1a(name))
            let p = dropout.probability
            dropout.maskSource = { [unowned keys] shape in keys.mask(shape: shape, probability: p, moduleKey: moduleKey) }
        }
        return keys
    }

    /// Puts every dropout module of `model` back on its stream.
    static func uninstall(from model: any Module) {
        for (_, dropout) in model.dropoutModules() { dropout.maskSource = nil }
    }

    /// The mask for one module's input of `shape` (see the type's comment).
    func mask(shape: [Int], probability p: Float, moduleKey: UInt64) -> Tensor {
        precondition(
            !shape.isEmpty && !samples.isEmpty && shape[0] % samples.count == 0,
            "dropout input \(shape) does not start with the \(samples.count) samples")
        let last = shape.count > 1 ? shape[shape.count - 1] : 1
        let middle = shape.count > 2 ? Array(shape[1..<(shape.count - 1)]) : []
        let perRow = middle.reduce(1, *)
        let rowsPerSample = shape[0] / samples.count
        let lines = shape[0] * perRow
        let threshold = UInt64((1 - p) * 16_777_216)
        let scale = 1 / (1 - p)
        let sampleKeys = samples.map { Self.mix(Self.mix(moduleKey, UInt64(step)), UInt64($0)) }
        return Tensor(shape: shape) { out in
            let o = out.baseAddress!
            sampleKeys.withUnsafeBufferPointer { keys in
                Parallel.forRanges(lines, cost: last * 4) { range in
                    for line in range {
                        let row = line / perRow
                        var rest = line % perRow
                        var key = keys[row / rowsPerSample]
                        // A flattened [B·S, H] input: the row within the sample is the position.
                        if rowsPerSample > 1 { key = Self.mix(key, UInt64(row % rowsPerSample)) }
                        // Coordinates d₁…dₙ₋₁ of the line, most significant first.
                        var divisor = perRow
                        for d in middle {
                            divisor /= d
                            key = Self.mix(key, UInt64(rest / divisor))
                            rest %= divisor
                        }
                        let base = o + line * last
                        for j in 0..<last { base[j] = Self.mix(key, UInt64(j)) >> 40 < threshold ? scale : 0 }
                    }
                }
            }
        }
    }

    /// SplitMix64's finalizer applied to `a` advanced by `b` golden-ratio steps.
    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ (b &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a of a module's path: its key, independent of the order modules are built in.
    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }
}
