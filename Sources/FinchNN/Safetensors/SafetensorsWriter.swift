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

        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SafetensorsError.writeFailed(file: path, reason: MappedFile.lastError()) }
        var failure: (any Error)?
        do {
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try writeAll(fd, $0, file: path) }
            try header.withUnsafeBytes { try writeAll(fd, $0, file: path) }
            for (_, tensor) in ordered {
                try writeAll(fd, UnsafeRawBufferPointer(tensor.storage.buffer), file: path)
            }
            if fsync(fd) != 0 { throw SafetensorsError.writeFailed(file: path, reason: MappedFile.lastError()) }
        } catch {
            failure = error
        }
        if close(fd) != 0, failure == nil {
            failure = SafetensorsError.writeFailed(file: path, reason: MappedFile.lastError())
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let reason = MappedFile.lastError()
            unlink(temporary)
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
                .map { "\(jsonString($0.key)):\(jsonString($0.value))" }
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
            json += "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(dims)],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        json += "}"
        var bytes = Array(json.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }

    /// A JSON string literal escaped as serde_json does: `"` and `\`, the
    /// short escapes for control characters, `\u00XX` for the other controls;
    /// everything else (including non-ASCII) as raw UTF-8.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Writes every byte of `bytes`, retrying short writes and interrupts.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, file: String) throws {
        guard var cursor = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(fd, cursor, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw SafetensorsError.writeFailed(file: file, reason: MappedFile.lastError())
            }
            cursor += written
            remaining -= written
        }
    }
}

/// The C library's `write(2)` (named apart from `Safetensors.write`).
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
