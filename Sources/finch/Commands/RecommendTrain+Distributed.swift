import ArgumentParser
import FinchDistributed
import FinchRecommend
import FinchSupport
import Foundation

extension RecommendTrain {
    /// `--distributed mpi` (or under `mpirun`): implicit ALS across the job's ranks. Every
    /// rank reads the ratings and computes the same model; rank 0 alone checks and writes
    /// the model directory, the card and the summary.
    func runDistributed(_ algorithm: Algorithm, communicator: any Communicator) throws {
        guard algorithm == .als else {
            throw ValidationError("--distributed mpi trains als only (\(algorithm.rawValue) runs in one process)")
        }
        guard !hybridOptions.hybrid else { throw ValidationError("--distributed mpi does not train --hybrid models") }
        let outURL = URL(fileURLWithPath: out)
        let start = ContinuousClock.now
        var lock: OutputDirectoryGuard? = nil
        if communicator.isRoot {
            try RecommenderModel.checkOutputDirectory(outURL)
            lock = try OutputDirectoryGuard(outURL)
        }
        DistributedJob.onTermination(communicator, "no model was written to \(out); run the job again")
        let model: RecommenderModel
        let dataset: RatingDataset
        do {
            dataset = try input.load()
            let parameters = try hyperparameters.parameters(for: algorithm, seed: seed)
            model = try RecommenderModel.trainALS(
                dataset, parameters: parameters, communicator: communicator,
                observer: communicator.isRoot ? RecommendTerminal.observer(label: algorithm.rawValue) : nil)
            if communicator.isRoot { try model.save(to: outURL) }
        } catch {
            lock?.discardIfCreated()
            throw error
        }
        try DistributedJob.finish(communicator)
        guard communicator.isRoot else { return }
        withExtendedLifetime(lock) {}
        try finish(model, algorithm: algorithm, dataset: dataset, start: start, folder: outURL)
    }
}
