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
    /// Writes `tensors` as F32 to `url`, with `metadata` in the header's
    /// `__metadata__` (left out when empty).
    ///
    /// The layout matches the reference writer (huggingface/safetensors) for
    /// F32 data: compact JSON with `__metadata__` first, then tensors sorted by
    /// name with contiguous `data_offsets`; the header is padded with spaces to
    /// a multiple of 8 bytes so every tensor starts 8-byte aligned. Metadata
    /// keys are written sorted (the reference's order is unspecified).
    ///
    /// The bytes go to a temporary file beside `url`, are flushed, and the file
    /// is renamed over `url`: a reader never sees a half-written file. Throws
    /// `SafetensorsError.invalidTensorName` for `__metadata__` and
    /// `.writeFailed` when the system refuses.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let path = url.path
        if tensors["__metadata__"] != nil {
            throw SafetensorsError.invalidTensorName(file: path, tensor: "__metadata__")
        }
        let ordered = tensors.sorted { $0.key < $1.key }
        let header = headerBytes(ordered.map { ($0.key, $0.value.shape) }, metadata: metadata)

        do {
            try AtomicFile.write(to: url) { output in
                let length = UInt64(header.count).littleEndian
                try output.write(withUnsafeBytes(of: length) { Array($0) })
                try output.write(header)
                for (_, tensor) in ordered { try output.write(UnsafeRawBufferPointer(tensor.storage.buffer)) }
            }
        } catch let FileWriteError.cannotWrite(_, reason) {
            throw SafetensorsError.writeFailed(file: path, reason: reason)
        }
    }

    /// The JSON header for F32 tensors `(name, shape)` in the given order,
    /// padded with spaces to a multiple of 8 bytes.
    static func headerBytes(_ tensors: [(name: String, shape: [Int])], metadata: [String: String]) -> [UInt8] {
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
        for (name, shape) in tensors {
            let bytes = shape.reduce(1, *) * MemoryLayout<Float>.size
            if !first { json += "," }
            first = false
            let dims = shape.map(String.init).joined(separator: ",")
            json += "\(JSONString.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(dims)],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        json += "}"
        var bytes = Array(json.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }
}
