import FinchDistributed

/// Implicit ALS across the ranks of a job. Users and items are split into contiguous
/// blocks, one per rank (`rows(of:rank:size:)`); in each half-iteration a rank solves its
/// block against the whole fixed side (which every rank holds) with the single-process
/// solver, then the blocks are gathered (allgatherv) so every rank holds the new side in
/// full. Each row's solve reads only the fixed side, its Gram matrix and the row's entries,
/// so the factors equal single-process ALS's up to the Gram matrix's floating-point
/// summation order. Every rank holds the whole rating matrix: what is divided is the work,
/// not the data (fine up to the tens of millions of ratings one machine's memory holds).
public enum DistributedALS {
    /// Rank `rank`'s block of `count` rows among `size` ranks: ⌊count·r/N⌋..<⌊count·(r+1)/N⌋.
    public static func rows(of count: Int, rank: Int, size: Int) -> Range<Int> {
        (count * rank / size)..<(count * (rank + 1) / size)
    }

    /// Solves this rank's block of `matrix`'s rows into `target`, then gathers every
    /// rank's block so `target` is complete on every rank.
    static func halfStep(
        _ matrix: SparseRows, scale: Float, target: inout [Float], fixed: [Float], k: Int, reg: Float,
        configuration: ImplicitALSConfiguration, communicator: any Communicator
    ) throws {
        let size = communicator.size
        let mine = rows(of: matrix.rowCount, rank: communicator.rank, size: size)
        ALSSolver.solve(
            matrix, rows: Array(mine), scale: scale, target: &target, fixed: fixed, k: k, reg: reg, configuration: configuration)
        let counts = (0..<size).map { rows(of: matrix.rowCount, rank: $0, size: size).count * k }
        let local = Array(target[(mine.lowerBound * k)..<(mine.upperBound * k)])
        try local.withUnsafeBufferPointer { l in
            try target.withUnsafeMutableBufferPointer { try communicator.allgatherv(l, into: $0, counts: counts) }
        }
    }
}

extension ImplicitALSRecommender {
    /// `fit` across `communicator`'s ranks: the same initialization on every rank (same
    /// seed), then alternating distributed half-steps.
    mutating func fitDistributed(_ data: RatingMatrix, over communicator: any Communicator, observer: TrainingObserver?) throws {
        let c = configuration
        let k = c.factors
        try runEpochs(c.epochs, observer: observer, likelyCause: DivergenceCause.extremeValues) { model in
            try DistributedALS.halfStep(
                data.byUser, scale: c.alpha, target: &model.userFactors, fixed: model.itemFactors, k: k, reg: c.reg, configuration: c,
                communicator: communicator)
            try DistributedALS.halfStep(
                data.byItem, scale: c.alpha, target: &model.itemFactors, fixed: model.userFactors, k: k, reg: c.reg, configuration: c,
                communicator: communicator)
        }
    }
}

extension RecommenderModel {
    /// Fits implicit ALS on `dataset` across `communicator`'s ranks (see `DistributedALS`).
    /// Every rank returns the same model; the caller lets rank 0 save it.
    ///
    /// - Throws: `RecommendError` as `train`, `DistributedError` when a collective fails.
    public static func trainALS(
        _ dataset: RatingDataset, parameters: [String: String], communicator: any Communicator, observer: TrainingObserver? = nil
    ) throws -> RecommenderModel {
        var recommender = try ImplicitALSRecommender(parameters: parameters)
        recommender.communicator = communicator
        try recommender.fit(dataset.matrix(), observer: observer)
        recommender.communicator = nil
        return RecommenderModel(
            recommender: recommender, users: dataset.users, items: dataset.items, feedback: dataset.feedback,
            ratingScale: dataset.ratingScale)
    }
}
