/// Element types of the safetensors format (the `dtype` strings of the
/// reference implementation, huggingface/safetensors). Data is little-endian.
///
/// Finch reads F32, F16, BF16 and F64 as Float32 tensors and I64, I32, I16,
/// I8, U8, U16, U32 and BOOL as integers; the other dtypes (F8 variants, U64)
/// are recognised, so files holding them open and list them, but reading them
/// throws `SafetensorsError.unsupportedDtype`. The sub-byte types (F4, F6) are
/// rejected as unknown.
public enum SafetensorsDType: String, CaseIterable, Sendable, Codable {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case float8E8M0 = "F8_E8M0"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3, .float8E8M0: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// True for the dtypes `SafetensorsFile.tensor(named:)` converts to Float32.
    public var isReadableAsFloat: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64: return true
        default: return false
        }
    }

    /// True for the dtypes `SafetensorsFile.int64Tensor(named:)` reads.
    public var isReadableAsInteger: Bool {
        switch self {
        case .bool, .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64: return true
        default: return false
        }
    }
}

/// Conversions from the stored half-precision formats to Float32; exact
/// (every F16 and BF16 value is representable in Float32).
enum HalfPrecision {
    /// IEEE 754 binary16 bits → Float32: sign, 5-bit exponent (bias 15),
    /// 10-bit mantissa; subnormals, infinities and NaN (payload kept) included.
    @inline(__always)
    static func float(fromFloat16Bits h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x03FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2⁻²⁴, exact in Float32.
            let magnitude = Float(mantissa) * 0x1p-24
            return Float(bitPattern: sign | magnitude.bitPattern)
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// bfloat16 bits are the upper half of a Float32's bits.
    @inline(__always)
    static func float(fromBFloat16Bits b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }
}
