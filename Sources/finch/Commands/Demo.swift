import ArgumentParser
import Foundation

/// `finch demo`: the spiral problem, trained end to end.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a small network end to end and watch its loss fall.",
        discussion: """
            A two-layer GELU network learns to separate two interleaved spirals with AdamW, \
            linear warmup and decay, and gradient clipping. It runs in a few seconds and exercises \
            Finch's tensors, autodiff, layers and optimizer. With --json, one object per printed epoch \
            {"epoch", "loss", "accuracy", "lr"}.
            """)

    @Option(help: "Number of epochs (1 to \(Demo.maxEpochs)).") var epochs = 60
    @OptionGroup var seed: SeedOption
    @OptionGroup var output: JSONOutputOption

    /// A bound that keeps the schedule's step count far from overflow (and the demo a demo).
    static let maxEpochs = 100_000

    func validate() throws {
        guard (1...Self.maxEpochs).contains(epochs) else {
            throw ValidationError("--epochs must be between 1 and \(Self.maxEpochs), got \(epochs)")
        }
    }

    func run() throws {
        var demo = SpiralDemo()
        demo.epochs = epochs
        demo.seed = seed.seed
        if !output.json { try StandardOutput.line("epoch   loss     accuracy  lr") }
        let results = try demo.run { r in
            guard r.epoch == 1 || r.epoch % 5 == 0 || r.epoch == epochs else { return }
            if output.json {
                try StandardOutput.json(EpochLine(epoch: r.epoch, loss: r.loss, accuracy: r.accuracy, lr: r.learningRate))
            } else {
                try StandardOutput.line(String(format: "%5d   %.4f   %6.1f %%  %.2e", r.epoch, r.loss, r.accuracy * 100, r.learningRate))
            }
        }
        if !output.json, let first = results.first, let last = results.last {
            try StandardOutput.line(String(format: "loss %.4f → %.4f, accuracy %.1f %%", first.loss, last.loss, last.accuracy * 100))
        }
    }
}

/// One `--json` line of `finch demo`.
struct EpochLine: Encodable {
    let epoch: Int
    let loss: Float
    let accuracy: Float
    let lr: Double
}
