/// The epoch loop every iterative trainer shares (svd, svdpp, als, bpr):
/// run an epoch, check that no learnt value became NaN or infinite, report
/// progress, honour a stop request.
extension Recommender {
    /// Runs `count` epochs of `epoch` (which updates the model passed to it).
    /// - Parameter likelyCause: what usually makes this trainer diverge, for the error.
    /// - Throws: `RecommendError.diverged` naming the epoch and the array as
    ///   soon as one holds a non-finite value; the model must then be discarded.
    mutating func runEpochs(
        _ count: Int, observer: TrainingObserver?, likelyCause: String, _ epoch: (inout Self) throws -> Void
    ) throws {
        let clock = ContinuousClock.now
        for e in 0..<count {
            try epoch(&self)
            try checkFinite(epoch: e + 1, likelyCause: likelyCause)
            let progress = TrainingProgress(stage: "epoch", step: e + 1, stepCount: count, elapsedSeconds: clock.secondsSince)
            if observer?(progress) == .stop { break }
        }
    }

    /// Throws `RecommendError.diverged` when a learnt array holds NaN or an infinity.
    func checkFinite(epoch: Int, likelyCause: String) throws {
        for (name, values) in exportArrays().sorted(by: { $0.key < $1.key }) where firstNonFinite(values) != nil {
            throw RecommendError.diverged(algorithm: algorithm.rawValue, epoch: epoch, array: name, likelyCause: likelyCause)
        }
    }
}

/// Likely causes of divergence, said in `RecommendError.diverged`.
enum DivergenceCause {
    /// For SGD trainers with learning rate `lr`.
    static func sgd(lr: Float) -> String {
        "the learning rate (\(lr)) is too large for these ratings, or the ratings hold extreme values "
            + "(check the rating column and the rating scale)"
    }

    /// For closed-form or least-squares trainers.
    static let extremeValues = "the ratings or weights hold extreme values (check the rating column and the rating scale)"
}
