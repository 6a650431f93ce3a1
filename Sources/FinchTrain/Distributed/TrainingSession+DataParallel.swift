import FinchDistributed
import FinchNN
import FinchTensor

extension TrainingSession {
    /// This rank's forward and backward passes over its share of each batch of `group`,
    /// then the gradients and the loss summed across ranks. Each share's loss is scaled
    /// by its size over the whole group's, so the sum is one process's gradient.
    /// Returns the step's loss (the same on every rank).
    func accumulateDataParallel(_ group: ArraySlice<[Int]>, examplesInGroup: Int, over parallel: DataParallel) throws -> Double {
        var localLoss = 0.0
        for batch in group {
            let share = parallel.share(of: batch)
            guard !share.isEmpty else { continue }
            dropoutKeys?.step = state.globalStep
            dropoutKeys?.samples = Array(share)
            let examples = share.map { trainer.train[$0] }
            let scale = Float(share.count) / Float(examplesInGroup)
            let loss = try trainer.task.loss(on: examples)
            guard loss.item.isFinite else {
                throw TrainingError.nonFiniteLoss(step: state.globalStep + 1, learningRate: optimizer.learningRate)
            }
            (loss * scale).backward()
            localLoss += Double(loss.item * scale)
        }
        try GradientBuckets.allreduce(parameters, communicator: parallel.communicator, bucketElements: parallel.bucketBytes / 4)
        var loss = [localLoss]
        try parallel.communicator.allreduceSum(&loss)
        return loss[0]
    }

    /// Whether to stop before the next step. In a data-parallel job every rank must stop
    /// at the same step, so a request on any rank stops all (one small allreduce).
    func isStopRequested(_ stop: StopSignal) throws -> Bool {
        guard let parallel = dataParallel, parallel.communicator.size > 1 else { return stop.isStopRequested }
        var flag = [stop.isStopRequested ? 1.0 : 0.0]
        try flag.withUnsafeMutableBufferPointer { try parallel.communicator.allreduce($0, .max) }
        return flag[0] > 0
    }
}
