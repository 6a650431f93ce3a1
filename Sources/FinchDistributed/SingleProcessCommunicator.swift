#if canImport(Glibc)
    import Glibc
#endif

/// The job of one process: rank 0 of 1; reductions, broadcasts and gathers leave the data
/// as it is. What training and ALS use when no MPI launch is asked for.
public final class SingleProcessCommunicator: Communicator {
    /// A one-process job.
    public init() {}

    /// 0.
    public var rank: Int { 0 }
    /// 1.
    public var size: Int { 1 }
    /// The identity.
    public func allreduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ operation: ReduceOperation) throws {}
    /// The identity.
    public func allreduce(_ buffer: UnsafeMutableBufferPointer<Double>, _ operation: ReduceOperation) throws {}
    /// The identity (root must be 0).
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws {
        guard root == 0 else { throw DistributedError.invalidRank(root, size: 1) }
    }
    /// Copies `local` into `result`.
    public func allgatherv(_ local: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>, counts: [Int]) throws {
        guard counts == [local.count], result.count == local.count else {
            throw DistributedError.countMismatch(expected: counts.reduce(0, +), found: result.count)
        }
        if let source = local.baseAddress, let target = result.baseAddress { target.update(from: source, count: local.count) }
    }
    /// `[value]`.
    public func allgather(_ value: Int32) throws -> [Int32] { [value] }
    /// Returns at once.
    public func barrier() throws {}
    /// Exits the process with `code`.
    public func abort(code: Int32) -> Never { exit(code) }
}
