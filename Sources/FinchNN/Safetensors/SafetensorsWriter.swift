import FinchSupport
import FinchTensor
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing safetensors files.
public enum Safetensors {
    /// Writes `tensors` as F32 (and `integers` as I64) to `url`, with
    /// `metadata` in the header's `__metadata__` (left out when empty).
    ///
    /// The layout matches the reference writer (huggingface/safetensors) for
    /// F32 data: compact JSON with `__metadata__` first, then tensors sorted by
    /// name with contiguous `data_offsets`; the header is padded with spaces to
    /// a multiple of 8 bytes so every tensor starts 8-byte aligned. Metadata
    /// keys are written sorted (the reference's order is unspecified).
    ///
    /// The bytes go to a temporary file beside `url`, are flushed, and the file
    /// is renamed over `url`: a reader never sees a half-written file. Throws
    /// `SafetensorsError.invalidTensorName` for `__metadata__` or a name used
    /// in both dictionaries, and `.writeFailed` when the system refuses.
    public static func write(
        _ tensors: [String: Tensor], integers: [String: Int64Tensor] = [:], metadata: [String: String] = [:], to url: URL
    ) throws {
        try write(tensors, integers: integers, int8: [:], metadata: metadata, to: url)
    }

    /// `write(_:integers:metadata:to:)` with `int8` tensors too, written as I8
    /// (each value must lie in −128…127; int8 inference weights).
    public static func write(
        _ tensors: [String: Tensor], integers: [String: Int64Tensor] = [:], int8: [String: Int64Tensor],
        metadata: [String: String] = [:], to url: URL
    ) throws {
        let path = url.path
        if tensors["__metadata__"] != nil || integers["__metadata__"] != nil || int8["__metadata__"] != nil {
            throw SafetensorsError.invalidTensorName(file: path, tensor: "__metadata__")
        }
        if let both = integers.keys.sorted().first(where: { tensors[$0] != nil }) {
            throw SafetensorsError.invalidTensorName(file: path, tensor: both)
        }
        if let both = int8.keys.sorted().first(where: { tensors[$0] != nil || integers[$0] != nil }) {
            throw SafetensorsError.invalidTensorName(file: path, tensor: both)
        }
        var ordered: [(name: String, shape: [Int], dtype: SafetensorsDType, bytes: UnsafeRawBufferPointer)] = []
        for (name, tensor) in tensors { ordered.append((name, tensor.shape, .float32, UnsafeRawBufferPointer(tensor.storage.buffer))) }
        var integerBytes: [[Int64]] = []
        for (name, tensor) in integers {
            integerBytes.append(tensor.scalars.map { $0.littleEndian })
            ordered.append((name, tensor.shape, .int64, UnsafeRawBufferPointer(start: nil, count: 0)))
        }
        for (name, tensor) in int8 {
            precondition(tensor.scalars.allSatisfy { Int64(Int8.min) <= $0 && $0 <= Int64(Int8.max) }, "\(name): not int8")
            ordered.append((name, tensor.shape, .int8, UnsafeRawBufferPointer(start: nil, count: 0)))
        }
        let int8Bytes = int8.mapValues { $0.scalars.map { Int8($0) } }
        ordered.sort { $0.name < $1.name }
        let header = headerBytes(ordered.map { ($0.name, $0.shape, $0.dtype) }, metadata: metadata)
        let integerIndex = Dictionary(uniqueKeysWithValues: integers.keys.enumerated().map { ($1, $0) })

        do {
            try AtomicFile.write(to: url) { output in
                let length = UInt64(header.count).littleEndian
                try output.write(withUnsafeBytes(of: length) { Array($0) })
                try output.write(header)
                for entry in ordered {
                    if let n = integerIndex[entry.name] {
                        try output.write(integerBytes[n].withUnsafeBytes { Array($0) })
                    } else if let bytes = int8Bytes[entry.name] {
                        try output.write(bytes.withUnsafeBytes { Array($0) })
                    } else {
                        try output.write(entry.bytes)
                    }
                }
            }
        } catch let FileWriteError.cannotWrite(_, reason) {
            throw SafetensorsError.writeFailed(file: path, reason: reason)
        }
    }

    /// The JSON header for F32 tensors `(name, shape)` in the given order,
    /// padded with spaces to a multiple of 8 bytes.
    static func headerBytes(_ tensors: [(name: String, shape: [Int])], metadata: [String: String]) -> [UInt8] {
        headerBytes(tensors.map { ($0.name, $0.shape, SafetensorsDType.float32) }, metadata: metadata)
    }

    /// The JSON header for tensors `(name, shape, dtype)` in the given order,
    /// padded with spaces to a multiple of 8 bytes.
    static func headerBytes(
        _ tensors: [(name: String, shape: [Int], dtype: SafetensorsDType)], metadata: [String: String]
    ) -> [UInt8] {
        var json = "{"
        var first = true
        if !metadata.isEmpty {
            json += "\"__metadata__\":{"
            json += metadata.sorted { $0.key < $1.key }
                .map { "\(JSONString.quoted($0.key)):\(JSONString.quoted($0.value))" }
                .joined(separator: ",")
            json += "}"
            first = false
        }
        var offset = 0
        for (name, shape, dtype) in tensors {
            let bytes = shape.reduce(1, *) * dtype.byteSize
            if !first { json += "," }
            first = false
            let dims = shape.map(String.init).joined(separator: ",")
            json +=
                "\(JSONString.quoted(name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(dims)],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        json += "}"
        var bytes = Array(json.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }
}
