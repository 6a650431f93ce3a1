import ArgumentParser
import FinchNN
import Foundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a small network end to end and watch its loss fall.",
        discussion: """
            A two-layer GELU network learns to separate two interleaved spirals with AdamW, \
            linear warmup and decay, and gradient clipping. It runs in a few seconds and exercises \
            Finch's tensors, autodiff, layers and optimizer.
            """)

    @Option(help: "Number of epochs.") var epochs = 60
    @Option(help: "Random seed for data, initialization and shuffling.") var seed: UInt64 = 7

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        var demo = SpiralDemo()
        demo.epochs = epochs
        demo.seed = seed
        print("epoch   loss     accuracy  lr")
        let results = try demo.run { r in
            if r.epoch == 1 || r.epoch % 5 == 0 || r.epoch == epochs {
                print(String(format: "%5d   %.4f   %6.1f %%  %.2e", r.epoch, r.loss, r.accuracy * 100, r.learningRate))
            }
        }
        if let first = results.first, let last = results.last {
            print(String(format: "loss %.4f → %.4f, accuracy %.1f %%", first.loss, last.loss, last.accuracy * 100))
        }
    }
}
