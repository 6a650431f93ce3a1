import FinchNN
import FinchTensor

/// The stack of blocks (`BertEncoder`). Keys: `layer.0`, `layer.1`, ….
public final class BertEncoder: Module {
    /// `layer.0` … `layer.{L-1}`.
    public let layer: [BertLayer]
    /// Training mode (dropout active in `callAsFunction`); set through `train(_:)`.
    public var isTraining = false

    /// Children by checkpoint key.
    public var children: [(name: String, module: any Module)] {
        layer.enumerated().map { ("layer.\($0.offset)", $0.element as any Module) }
    }

    /// `num_hidden_layers` new blocks.
    public init(config: BertConfig, initializer: inout BertInitializer) {
        var layers: [BertLayer] = []
        for _ in 0..<config.numHiddenLayers { layers.append(BertLayer(config: config, initializer: &initializer)) }
        layer = layers
    }

    /// [B, S, H] → [B, S, H].
    public func callAsFunction(_ hiddenStates: Tensor, maskBias: Tensor?) -> Tensor {
        var h = hiddenStates
        for block in layer { h = block(h, maskBias: maskBias) }
        return h
    }
}
