import CFinchMPI
import Foundation

/// The job `mpirun` started, over Open MPI loaded at run time (see `finch_mpi.h` for the
/// ABI). MPI may be initialized once per process, so there is one instance: `shared()`.
/// Only the thread that calls `shared()` first may call the collectives
/// (MPI_THREAD_FUNNELED); Finch's compute threads never do.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    /// This process's rank in MPI_COMM_WORLD.
    public let rank: Int
    /// The size of MPI_COMM_WORLD.
    public let size: Int
    /// The library that was opened (`libmpi.so.40` or `libmpi.so`, or the path given).
    public let library: String

    nonisolated(unsafe) private static var instance: MPICommunicator?
    private static let lock = NSLock()
    /// MPI counts are C ints; longer buffers go in chunks of this many elements.
    static let chunk = 1 << 30

    private init(library: String) throws {
        var provided: Int32 = 0
        try Self.check(finch_mpi_init(&provided), "MPI_Init_thread")
        var r: Int32 = 0, s: Int32 = 0
        try Self.check(finch_mpi_rank(&r), "MPI_Comm_rank")
        try Self.check(finch_mpi_size(&s), "MPI_Comm_size")
        rank = Int(r)
        size = Int(s)
        self.library = library
    }

    /// Loads Open MPI (`library`, or `libmpi.so.40` then `libmpi.so`), initializes it once
    /// and returns the job's communicator.
    ///
    /// - Throws: `DistributedError.mpiNotInstalled` when no library opens,
    ///   `.notOpenMPI` when the library lacks Open MPI's symbols, `.callFailed`.
    public static func shared(library: String? = nil) throws -> MPICommunicator {
        lock.lock()
        defer { lock.unlock() }
        if let instance { return instance }
        try load(library: library)
        let made = try MPICommunicator(library: String(cString: finch_mpi_library_name()))
        instance = made
        return made
    }

    /// Opens the library and resolves its functions and handles, without initializing MPI.
    ///
    /// - Throws: `DistributedError.mpiNotInstalled` or `.notOpenMPI`.
    public static func load(library: String? = nil) throws {
        var error = [CChar](repeating: 0, count: 512)
        let status = finch_mpi_load(library, &error, error.count)
        let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case 0: return
        case 1: throw DistributedError.mpiNotInstalled(reason: reason)
        default: throw DistributedError.notOpenMPI(library: String(cString: finch_mpi_library_name()), reason: reason)
        }
    }

    /// Ends MPI (MPI_Finalize); call once, after the last collective, on every rank.
    public func finalize() throws {
        try Self.check(finch_mpi_finalize(), "MPI_Finalize")
    }

    /// Sets what this rank writes to standard error when `mpirun` terminates it (SIGTERM,
    /// which it sends the surviving ranks when one dies), before exiting with 143.
    public func setTerminationMessage(_ message: String) {
        finch_mpi_set_termination_message(message)
    }

    static func check(_ code: Int32, _ function: String) throws {
        if code != 0 { throw DistributedError.callFailed(function: function, code: code) }
    }

    /// MPI_Allreduce in place, in chunks of at most 2³⁰ elements.
    public func allreduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ operation: ReduceOperation) throws {
        try reduce(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count, stride: 4, type: FINCH_MPI_FLOAT, operation)
    }

    /// MPI_Allreduce in place, in chunks of at most 2³⁰ elements.
    public func allreduce(_ buffer: UnsafeMutableBufferPointer<Double>, _ operation: ReduceOperation) throws {
        try reduce(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count, stride: 8, type: FINCH_MPI_DOUBLE, operation)
    }

    private func reduce(_ base: UnsafeMutableRawPointer?, count: Int, stride: Int, type: finch_mpi_type, _ operation: ReduceOperation)
        throws
    {
        guard let base, count > 0 else { return }
        let op = operation == .sum ? FINCH_MPI_SUM : FINCH_MPI_MAX
        var start = 0
        while start < count {
            let n = Swift.min(Self.chunk, count - start)
            try Self.check(finch_mpi_allreduce(base + start * stride, Int32(n), type, op), "MPI_Allreduce")
            start += n
        }
    }

    /// MPI_Bcast from `root`, in chunks.
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) throws {
        guard (0..<size).contains(root) else { throw DistributedError.invalidRank(root, size: size) }
        guard let base = buffer.baseAddress else { return }
        var start = 0
        while start < buffer.count {
            let n = Swift.min(Self.chunk, buffer.count - start)
            try Self.check(finch_mpi_bcast(base + start, Int32(n), FINCH_MPI_FLOAT, Int32(root)), "MPI_Bcast")
            start += n
        }
    }

    /// MPI_Allgatherv (the total must stay below 2³¹ elements).
    public func allgatherv(_ local: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>, counts: [Int]) throws {
        let total = counts.reduce(0, +)
        guard counts.count == size, counts[rank] == local.count, result.count == total else {
            throw DistributedError.countMismatch(expected: total, found: result.count)
        }
        guard total < Int(Int32.max) else { throw DistributedError.unsupported("a gather of \(total) values is above MPI's 2³¹ limit") }
        var displacements = [Int32](repeating: 0, count: size)
        for r in 1..<Swift.max(size, 1) { displacements[r] = displacements[r - 1] + Int32(counts[r - 1]) }
        let counts32 = counts.map { Int32($0) }
        // MPI reads the send buffer only; an empty one still needs an address.
        var empty: Float = 0
        let send = UnsafeRawPointer(local.baseAddress) ?? UnsafeRawPointer(withUnsafePointer(to: &empty) { $0 })
        var spare: Float = 0
        let receive = UnsafeMutableRawPointer(result.baseAddress) ?? withUnsafeMutablePointer(to: &spare) { UnsafeMutableRawPointer($0) }
        try Self.check(
            finch_mpi_allgatherv(send, Int32(local.count), receive, counts32, displacements, FINCH_MPI_FLOAT), "MPI_Allgatherv")
    }

    /// MPI_Allgather of one int.
    public func allgather(_ value: Int32) throws -> [Int32] {
        var send = value
        var result = [Int32](repeating: 0, count: size)
        try result.withUnsafeMutableBytes { r in
            try Self.check(finch_mpi_allgather(&send, 1, r.baseAddress, FINCH_MPI_INT), "MPI_Allgather")
        }
        return result
    }

    /// MPI_Barrier.
    public func barrier() throws { try Self.check(finch_mpi_barrier(), "MPI_Barrier") }

    /// MPI_Abort on MPI_COMM_WORLD; exits should it return.
    public func abort(code: Int32) -> Never {
        _ = finch_mpi_abort(code)
        exit(code)
    }
}
