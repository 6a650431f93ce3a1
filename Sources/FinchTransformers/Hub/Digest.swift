/// Streaming message digests for checking downloads: SHA-256 (the hub's
/// hash of large-file-storage blobs) and SHA-1 (git's blob id for small
/// files). FIPS 180-4; fed in pieces, finished once.
public protocol StreamingDigest {
    /// Feeds more bytes.
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// The digest of everything fed, as lowercase hex.
    mutating func finalizeHex() -> String
}

extension StreamingDigest {
    /// Feeds the bytes of `array`.
    public mutating func update(_ array: [UInt8]) { array.withUnsafeBytes { update($0) } }
    /// Feeds the UTF-8 bytes of `string`.
    public mutating func update(_ string: String) { update(Array(string.utf8)) }
}

/// Block buffering and length padding shared by SHA-1 and SHA-256 (both
/// use 64-byte blocks and a big-endian 64-bit bit count).
struct BlockBuffer {
    var pending = [UInt8](repeating: 0, count: 64)
    var pendingCount = 0
    var totalBytes: UInt64 = 0

    /// Calls `compress` for every complete 64-byte block of the stream.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ compress: (UnsafeRawBufferPointer) -> Void) {
        guard var p = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        totalBytes &+= UInt64(remaining)
        if pendingCount > 0 {
            let take = min(64 - pendingCount, remaining)
            pending.withUnsafeMutableBytes { ($0.baseAddress! + pendingCount).copyMemory(from: p, byteCount: take) }
            pendingCount += take
            p += take
            remaining -= take
            if pendingCount == 64 {
                pending.withUnsafeBytes { compress($0) }
                pendingCount = 0
            }
        }
        while remaining >= 64 {
            compress(UnsafeRawBufferPointer(start: p, count: 64))
            p += 64
            remaining -= 64
        }
        if remaining > 0 {
            pending.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: p, byteCount: remaining) }
            pendingCount = remaining
        }
    }

    /// Appends 0x80, zeros and the bit length, compressing the last block(s).
    mutating func finish(_ compress: (UnsafeRawBufferPointer) -> Void) {
        let bits = totalBytes &* 8
        var tail: [UInt8] = [0x80]
        let afterMarker = (pendingCount + 1) % 64
        tail += [UInt8](repeating: 0, count: (afterMarker <= 56 ? 56 - afterMarker : 120 - afterMarker))
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
        let saved = totalBytes
        tail.withUnsafeBytes { feed($0, compress) }
        totalBytes = saved
    }
}

@inline(__always) private func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
@inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
@inline(__always) private func bigEndianWord(_ block: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
    UInt32(bigEndian: block.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
}

private func hex(_ words: [UInt32]) -> String {
    let digits = Array("0123456789abcdef")
    var s = ""
    s.reserveCapacity(words.count * 8)
    for w in words {
        for shift in stride(from: 28, through: 0, by: -4) { s.append(digits[Int((w >> UInt32(shift)) & 0xF)]) }
    }
    return s
}

/// SHA-256.
public struct SHA256Digest: StreamingDigest {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    private var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var buffer = BlockBuffer()

    /// An empty digest.
    public init() {}

    /// Feeds more bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var state = h
        buffer.feed(bytes) { Self.compress($0, &state) }
        h = state
    }

    /// The digest as lowercase hex; call once.
    public mutating func finalizeHex() -> String {
        var state = h
        buffer.finish { Self.compress($0, &state) }
        h = state
        return hex(h)
    }

    private static func compress(_ block: UnsafeRawBufferPointer, _ state: inout [UInt32]) {
        k.withUnsafeBufferPointer { k in
            state.withUnsafeMutableBufferPointer { h in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                    for i in 0..<16 { w[i] = bigEndianWord(block, i) }
                    for i in 16..<64 {
                        let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                        let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
                    }
                    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
                    for i in 0..<64 {
                        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
                        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ maj
                        hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                    }
                    h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
                }
            }
        }
    }
}

/// SHA-1 (only to check git blob ids, never for security).
public struct SHA1Digest: StreamingDigest {
    private var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    private var buffer = BlockBuffer()

    /// An empty digest.
    public init() {}

    /// Feeds more bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var state = h
        buffer.feed(bytes) { Self.compress($0, &state) }
        h = state
    }

    /// The digest as lowercase hex; call once.
    public mutating func finalizeHex() -> String {
        var state = h
        buffer.finish { Self.compress($0, &state) }
        h = state
        return hex(h)
    }

    private static func compress(_ block: UnsafeRawBufferPointer, _ state: inout [UInt32]) {
        state.withUnsafeMutableBufferPointer { h in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
                for i in 0..<16 { w[i] = bigEndianWord(block, i) }
                for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
                var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4]
                for i in 0..<80 {
                    let f: UInt32, k: UInt32
                    switch i {
                    case 0..<20: f = (b & c) | (~b & d); k = 0x5A827999
                    case 20..<40: f = b ^ c ^ d; k = 0x6ED9EBA1
                    case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC
                    default: f = b ^ c ^ d; k = 0xCA62C1D6
                    }
                    let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                    e = d; d = c; c = rotl(b, 30); b = a; a = t
                }
                h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
            }
        }
    }
}

/// Git's blob id of a file: SHA-1 of "blob <size>\0" followed by the bytes.
/// The hub reports it as the ETag of files stored without LFS.
public struct GitBlobDigest: StreamingDigest {
    private var sha1 = SHA1Digest()

    /// A digest for a blob of `size` bytes (the size is part of the header).
    public init(size: Int) {
        var header = Array("blob \(size)".utf8)
        header.append(0)
        sha1.update(header)
    }

    /// Feeds more bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { sha1.update(bytes) }
    /// The digest as lowercase hex; call once.
    public mutating func finalizeHex() -> String { sha1.finalizeHex() }
}
