import Foundation
import Synchronization

/// Large tensor buffers, mapped directly from the OS and kept for reuse when
/// freed. A training step allocates the same large intermediates every step;
/// taking them from the pool skips the page faults of fresh memory (first
/// touch) and keeps the malloc heap from fragmenting, which held the peak
/// resident set of the MiniLM fine-tuning step at twice its live size.
/// Buffers of at least `minimumBytes` come from here (sizes rounded up to
/// whole pages, so a buffer fits every request of its rounded size); at most
/// `capacityBytes` of freed buffers are kept, the rest is returned to the OS.
/// `FINCH_STORAGE_POOL_MB` sets the capacity (0 turns the pool off: every
/// large buffer is mapped and unmapped).
enum StoragePool {
    /// Smallest buffer (bytes) the pool serves; smaller ones use malloc.
    static let minimumBytes = 256 * 1024
    /// Most bytes of freed buffers kept for reuse. The default, 768 MiB, holds
    /// what the MiniLM fine-tuning step (batch 16 × 128) frees between its
    /// backward pass and the next forward pass: at 512 MiB part of it went back
    /// to the OS and was faulted in again every step (13 % of a bf16 step), at
    /// 768 the step's peak RSS is 0.93 GiB (BENCHMARKS.md, issue 11).
    static let capacityBytes: Int = {
        if let s = ProcessInfo.processInfo.environment["FINCH_STORAGE_POOL_MB"], let mb = Int(s), mb >= 0 {
            return mb << 20
        }
        return 768 << 20
    }()
    private static let page = 4096

    private struct State {
        var free: [Int: [UInt]] = [:]  // rounded size → addresses
        var freeBytes = 0
    }
    private static let state = Mutex(State())

    /// Rounded size of a request, or nil when the pool does not serve it.
    static func pooledSize(_ bytes: Int) -> Int? {
        bytes >= minimumBytes ? (bytes + page - 1) / page * page : nil
    }

    /// A buffer of `size` bytes (a value from `pooledSize`): a freed one of
    /// that size, or a new mapping.
    static func acquire(_ size: Int) -> UnsafeMutableRawPointer {
        let reused: UInt? = state.withLock { s in
            guard var list = s.free[size], let address = list.popLast() else { return nil }
            s.free[size] = list.isEmpty ? nil : list
            s.freeBytes -= size
            return address
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return pointer }
        guard let pointer = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            pointer != MAP_FAILED
        else {
            fatalError("out of memory: could not map \(size) bytes for a tensor")
        }
        return pointer
    }

    /// Returns a buffer from `acquire` with the same `size`: kept for reuse
    /// while the pool has room, else unmapped.
    static func release(_ pointer: UnsafeMutableRawPointer, size: Int) {
        let kept = state.withLock { s in
            guard s.freeBytes + size <= capacityBytes else { return false }
            s.free[size, default: []].append(UInt(bitPattern: pointer))
            s.freeBytes += size
            return true
        }
        if !kept { munmap(pointer, size) }
    }

    /// Bytes of freed buffers held now (tests).
    static var heldBytes: Int { state.withLock { $0.freeBytes } }
}
