import FinchTensor
import Foundation

#if _endian(big)
    #error("the safetensors reader assumes a little-endian host, as the format stores little-endian data")
#endif

/// Integer tensor values read from a safetensors file (for example
/// `embeddings.position_ids`), kept apart from the Float32 `Tensor`s.
public struct Int64Tensor: Equatable, Sendable {
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// Elements, row-major.
    public let scalars: [Int64]

    /// The elements as `Int` (exact on 64-bit platforms).
    public var ints: [Int] { scalars.map { Int($0) } }

    /// A tensor of `scalars` with `shape` (whose product must be `scalars.count`).
    public init(shape: [Int], scalars: [Int64]) {
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) values")
        self.shape = shape
        self.scalars = scalars
    }
}

/// A safetensors file opened for reading, memory-mapped.
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: url)
/// for name in file.names { print(name, file.info(name)!.shape) }
/// let weight = try file.tensor(named: "pooler.dense.weight")
/// ```
///
/// Opening validates the whole header (see `SafetensorsHeader`) and that the
/// file is as long as the header says, so every later read is in bounds.
/// F32 tensors whose data is 4-byte aligned in memory borrow the mapping
/// without copying (the reference writer pads the header so all are); the
/// mapping lives until the last such tensor is released. Writes to a borrowed
/// tensor stay private to this process — the file never changes. Replace a
/// file by renaming a new one over it (as `Safetensors.write` does), never by
/// rewriting it in place: the kernel would fault on reads past a shortened end.
public final class SafetensorsFile: @unchecked Sendable {
    /// The file read.
    public let url: URL
    /// The header's `__metadata__` strings (for example `format: pt`).
    public let metadata: [String: String]
    private let entries: [String: SafetensorsTensorInfo]
    private let mapping: MappedFile
    private let dataStart: UnsafeMutableRawPointer

    /// Opens and validates `url`. Throws `SafetensorsError` naming the file and
    /// the problem: a length field past the end, invalid JSON, an unknown
    /// dtype, a shape that does not fit its byte range, overlapping or
    /// uncovered ranges, or a truncated data section.
    public init(contentsOf url: URL) throws {
        let path = url.path
        let mapping = try MappedFile(path: path)
        let headerLength = UInt64(littleEndian: mapping.base.loadUnaligned(as: UInt64.self))
        guard headerLength <= SafetensorsHeader.maxHeaderLength else {
            throw SafetensorsError.headerTooLarge(file: path, headerLength: headerLength)
        }
        guard headerLength <= UInt64(mapping.size - 8) else {
            throw SafetensorsError.headerLengthBeyondFile(file: path, headerLength: headerLength, fileSize: mapping.size)
        }
        let n = Int(headerLength)
        let header = try SafetensorsHeader.parse(
            json: UnsafeRawBufferPointer(start: mapping.base + 8, count: n),
            availableDataBytes: mapping.size - 8 - n, file: path)
        self.url = url
        self.metadata = header.metadata
        self.entries = header.entries
        self.mapping = mapping
        self.dataStart = mapping.base + 8 + n
    }

    /// Every tensor name (any dtype), sorted.
    public var names: [String] { entries.keys.sorted() }

    /// Dtype, shape and byte range of `name`; nil when absent.
    public func info(_ name: String) -> SafetensorsTensorInfo? { entries[name] }

    /// The tensor `name` as Float32: F32 borrowed from the mapping when aligned
    /// (else copied); F16, BF16 and F64 converted. Integer dtypes throw
    /// `unsupportedDtype` (read them with `int64Tensor(named:)`).
    public func tensor(named name: String) throws -> Tensor {
        let info = try entry(name)
        guard info.dtype.isReadableAsFloat else {
            throw SafetensorsError.unsupportedDtype(
                file: url.path, tensor: name, dtype: info.dtype.rawValue, wanted: "float")
        }
        let source = UnsafeRawPointer(dataStart + info.dataOffsets.lowerBound)
        let count = info.elementCount
        if info.dtype == .float32, count > 0, Int(bitPattern: source) % MemoryLayout<Float>.alignment == 0 {
            let pointer = UnsafeMutableRawPointer(mutating: source).bindMemory(to: Float.self, capacity: count)
            return Tensor(shape: info.shape, storage: TensorStorage(borrowing: pointer, count: count, owner: mapping))
        }
        let dtype = info.dtype
        return Tensor(shape: info.shape) { out in
            guard let destination = out.baseAddress, count > 0 else { return }
            Parallel.forRanges(count) { range in
                SafetensorsFile.convert(dtype, from: source, to: destination, range: range)
            }
        }
    }

    /// Every tensor readable as Float32 (F32, F16, BF16, F64) by name; integer
    /// tensors are left out (read them with `int64Tensor(named:)`).
    public func tensors() throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, info) in entries where info.dtype.isReadableAsFloat {
            out[name] = try tensor(named: name)
        }
        return out
    }

    /// The integer tensor `name` (I64, I32, I16, I8, U32, U16, U8 or BOOL as
    /// 0/1) widened to Int64. Float dtypes and U64 throw `unsupportedDtype`.
    public func int64Tensor(named name: String) throws -> Int64Tensor {
        let info = try entry(name)
        guard info.dtype.isReadableAsInteger else {
            throw SafetensorsError.unsupportedDtype(
                file: url.path, tensor: name, dtype: info.dtype.rawValue, wanted: "integer")
        }
        let source = UnsafeRawPointer(dataStart + info.dataOffsets.lowerBound)
        let count = info.elementCount
        let dtype = info.dtype
        let values = [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress {
                SafetensorsFile.convertInteger(dtype, from: source, to: destination, count: count)
            }
            initialized = count
        }
        return Int64Tensor(shape: info.shape, scalars: values)
    }

    private func entry(_ name: String) throws -> SafetensorsTensorInfo {
        guard let info = entries[name] else { throw SafetensorsError.missingTensor(file: url.path, tensor: name) }
        return info
    }

    /// Converts elements `range` of a float dtype to Float32 (unaligned loads).
    private static func convert(
        _ dtype: SafetensorsDType, from source: UnsafeRawPointer, to destination: UnsafeMutablePointer<Float>,
        range: Range<Int>
    ) {
        switch dtype {
        case .float32:
            for i in range {
                destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .float16:
            for i in range {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                destination[i] = HalfPrecision.float(fromFloat16Bits: bits)
            }
        case .bfloat16:
            for i in range {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                destination[i] = HalfPrecision.float(fromBFloat16Bits: bits)
            }
        case .float64:
            for i in range {
                let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                destination[i] = Float(Double(bitPattern: bits))
            }
        default:
            preconditionFailure("convert called for non-float dtype \(dtype.rawValue)")
        }
    }

    /// Widens `count` integer elements to Int64 (unaligned loads).
    private static func convertInteger(
        _ dtype: SafetensorsDType, from source: UnsafeRawPointer, to destination: UnsafeMutablePointer<Int64>, count: Int
    ) {
        switch dtype {
        case .int64:
            for i in 0..<count { destination[i] = Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
        case .int32:
            for i in 0..<count {
                destination[i] = Int64(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
            }
        case .uint32:
            for i in 0..<count {
                destination[i] = Int64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .int16:
            for i in 0..<count {
                destination[i] = Int64(Int16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)))
            }
        case .uint16:
            for i in 0..<count {
                destination[i] = Int64(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .int8:
            for i in 0..<count { destination[i] = Int64(source.load(fromByteOffset: i, as: Int8.self)) }
        case .uint8:
            for i in 0..<count { destination[i] = Int64(source.load(fromByteOffset: i, as: UInt8.self)) }
        case .bool:
            for i in 0..<count { destination[i] = source.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0 }
        default:
            preconditionFailure("convertInteger called for non-integer dtype \(dtype.rawValue)")
        }
    }
}
