import FinchNN
import FinchTensor

/// 784-512-512-10 ReLU MLP, batch 128: forward, cross-entropy, backward, AdamW step.
func benchMLP() {
    var rng = FinchRNG(seed: 3)
    let layers = [Linear(inFeatures: 784, outFeatures: 512, rng: &rng), Linear(inFeatures: 512, outFeatures: 512, rng: &rng),
                  Linear(inFeatures: 512, outFeatures: 10, rng: &rng)]
    let params = layers.enumerated().flatMap { $0.element.namedParameters(prefix: "\($0.offset).") }
    let optimizer = try! AdamW(parameters: params)
    let x = Tensor.randomNormal([128, 784], rng: &rng)
    let y = (0..<128).map { $0 % 10 }
    let t = medianSeconds(repeats: 21, warmup: 3) {
        optimizer.zeroGrad()
        layers[2](layers[1](layers[0](x).relu()).relu()).crossEntropy(targets: y).backward()
        optimizer.step()
    }
    report("mlp.784-512-512-10.b128.train_step", t)
}
