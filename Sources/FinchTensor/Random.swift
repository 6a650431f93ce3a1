/// Finch's seeded random number generator: SplitMix64, which is small, fast,
/// passes BigCrush and splits into independent streams, so a data loader,
/// dropout and initialization can each own a stream derived from one seed.
public struct FinchRNG: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The full state; saving and restoring it resumes the exact stream.
    public var state: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A new, independent generator; advances this one.
    public mutating func split() -> FinchRNG {
        FinchRNG(seed: next() ^ 0x5851_F42D_4C95_7F2D)
    }

    /// Uniform in [0, 1) with 24 random bits.
    @inlinable public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Standard normal (Box–Muller, one value per call).
    public mutating func nextNormal() -> Float {
        var u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }
}

@usableFromInline func _log(_ x: Double) -> Double {
    #if canImport(Glibc)
        return Glibc.log(x)
    #else
        return Foundation.log(x)
    #endif
}

@usableFromInline func _cos(_ x: Double) -> Double {
    #if canImport(Glibc)
        return Glibc.cos(x)
    #else
        return Foundation.cos(x)
    #endif
}

#if canImport(Glibc)
    import Glibc
#else
    import Foundation
#endif
