/// A reduction a collective applies element-wise across ranks.
public enum ReduceOperation: Sendable {
    /// The sum over ranks.
    case sum
    /// The largest value over ranks.
    case max
}

/// The processes of one job and the collectives between them. Every rank must call the
/// same collectives in the same order with matching sizes (MPI's rule); a collective blocks
/// until every rank has reached it.
///
/// Two implementations: `SingleProcessCommunicator` (one rank; every collective is the
/// identity) and `MPICommunicator` (Open MPI loaded at run time).
public protocol Communicator: AnyObject, Sendable {
    /// This process's index, 0..<size.
    var rank: Int { get }
    /// The number of processes in the job.
    var size: Int { get }
    /// Reduces `buffer` across ranks in place: every rank ends with the result.
    func allreduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ operation: ReduceOperation) throws
    /// Reduces `buffer` across ranks in place (doubles: losses, counts, norms).
    func allreduce(_ buffer: UnsafeMutableBufferPointer<Double>, _ operation: ReduceOperation) throws
    /// Copies `root`'s `buffer` into every other rank's.
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws
    /// Concatenates every rank's `local` (rank r sends `counts[r]` values) into `result`,
    /// in rank order, on every rank. `result.count` is the sum of `counts`.
    func allgatherv(_ local: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>, counts: [Int]) throws
    /// One `Int32` from every rank, in rank order.
    func allgather(_ value: Int32) throws -> [Int32]
    /// Returns once every rank has called it.
    func barrier() throws
    /// Ends every rank of the job with `code` (MPI_Abort); for a failure that leaves the
    /// others waiting in a collective.
    func abort(code: Int32) -> Never
}

extension Communicator {
    /// True on rank 0, the rank that writes files.
    public var isRoot: Bool { rank == 0 }

    /// Sums `values` across ranks in place.
    public func allreduceSum(_ values: inout [Float]) throws {
        try values.withUnsafeMutableBufferPointer { try allreduce($0, .sum) }
    }

    /// Sums `values` across ranks in place.
    public func allreduceSum(_ values: inout [Double]) throws {
        try values.withUnsafeMutableBufferPointer { try allreduce($0, .sum) }
    }

    /// Averages `values` across ranks in place (sum, then ÷ size).
    public func allreduceAverage(_ values: inout [Float]) throws {
        try allreduceSum(&values)
        let scale = 1 / Float(size)
        for i in values.indices { values[i] *= scale }
    }

    /// Averages `buffer` across ranks in place (sum, then ÷ size).
    public func allreduceAverage(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        try allreduce(buffer, .sum)
        let scale = 1 / Float(size)
        for i in buffer.indices { buffer[i] *= scale }
    }

    /// Copies `root`'s `values` into every other rank's (same count on every rank).
    public func broadcast(_ values: inout [Float], root: Int = 0) throws {
        try values.withUnsafeMutableBufferPointer { try broadcast($0, root: root) }
    }

    /// Concatenates every rank's `local` array in rank order (counts gathered first).
    public func allgatherv(_ local: [Float]) throws -> [Float] {
        let counts = try allgather(Int32(local.count)).map(Int.init)
        var result = [Float](repeating: 0, count: counts.reduce(0, +))
        try local.withUnsafeBufferPointer { l in
            try result.withUnsafeMutableBufferPointer { try allgatherv(l, into: $0, counts: counts) }
        }
        return result
    }

    /// Throws `DistributedError.ranksDisagree` unless every rank passes the same `value`:
    /// a cheap guard before the ranks run collectives that assume they agree.
    public func requireAgreement(_ value: Int32, on what: String) throws {
        let values = try allgather(value)
        if Set(values).count > 1 { throw DistributedError.ranksDisagree(what: what, values: values.map(Int.init)) }
    }
}
