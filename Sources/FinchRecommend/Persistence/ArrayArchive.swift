import Foundation

/// One saved array of a model.
public enum ArchivedArray: Sendable, Equatable {
    /// 32-bit floats (`F32`).
    case float([Float])
    /// 32-bit signed integers (`I32`).
    case int32([Int32])
    /// 64-bit signed integers (`I64`).
    case int64([Int64])

    var dtype: String {
        switch self {
        case .float: return "F32"
        case .int32: return "I32"
        case .int64: return "I64"
        }
    }

    var count: Int {
        switch self {
        case .float(let a): return a.count
        case .int32(let a): return a.count
        case .int64(let a): return a.count
        }
    }
}

/// Named arrays read back from a model file, with checked accessors.
public struct ModelArrays: Sendable {
    /// The arrays by name.
    public let arrays: [String: ArchivedArray]

    /// Wraps `arrays`.
    public init(_ arrays: [String: ArchivedArray]) { self.arrays = arrays }

    /// The float array `name` with exactly `count` values.
    /// - Throws: `RecommendError.corruptModel` when absent, of another type or length.
    public func floats(_ name: String, count: Int) throws -> [Float] {
        guard case .float(let a)? = arrays[name] else { throw RecommendError.corruptModel(reason: "missing F32 array '\(name)'") }
        guard a.count == count else {
            throw RecommendError.corruptModel(reason: "array '\(name)' has \(a.count) values, expected \(count)")
        }
        return a
    }

    /// The Int32 array `name` of any length.
    public func int32s(_ name: String) throws -> [Int32] {
        guard case .int32(let a)? = arrays[name] else { throw RecommendError.corruptModel(reason: "missing I32 array '\(name)'") }
        return a
    }

    /// The Int64 array `name` of any length.
    public func int64s(_ name: String) throws -> [Int64] {
        guard case .int64(let a)? = arrays[name] else { throw RecommendError.corruptModel(reason: "missing I64 array '\(name)'") }
        return a
    }
}

/// Reads and writes named 1-D arrays in the safetensors layout (8-byte
/// little-endian header length, JSON header, raw little-endian data), so a
/// saved model opens with Python's `safetensors` too.
enum SafetensorsArchive {
    static func encode(_ arrays: [String: ArchivedArray], metadata: [String: String]) throws -> Data {
        var header: [String: Any] = ["__metadata__": metadata]
        var payload = Data()
        for name in arrays.keys.sorted() {
            let array = arrays[name]!
            let start = payload.count
            switch array {
            case .float(let a): a.withUnsafeBytes { payload.append(contentsOf: $0) }
            case .int32(let a): a.withUnsafeBytes { payload.append(contentsOf: $0) }
            case .int64(let a): a.withUnsafeBytes { payload.append(contentsOf: $0) }
            }
            header[name] = ["dtype": array.dtype, "shape": [array.count], "data_offsets": [start, payload.count]]
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(payload)
        return out
    }

    static func decode(_ data: Data, path: String) throws -> (arrays: [String: ArchivedArray], metadata: [String: String]) {
        func bad(_ reason: String) -> RecommendError { .modelFile(path: path, reason: reason) }
        guard data.count >= 8 else { throw bad("file too short") }
        let bytes = [UInt8](data)
        var length: UInt64 = 0
        for k in 0..<8 { length |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        guard length <= UInt64(bytes.count - 8) else { throw bad("header length beyond the end of the file") }
        let headerEnd = 8 + Int(length)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw bad("header is not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw bad("header is not a JSON object") }
        var arrays: [String: ArchivedArray] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = value as? [String: String] ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], headerEnd + offsets[1] <= bytes.count
            else { throw bad("bad header entry for '\(name)'") }
            let raw = bytes[(headerEnd + offsets[0])..<(headerEnd + offsets[1])]
            func values<T>(_: T.Type) throws -> [T] {
                guard raw.count % MemoryLayout<T>.stride == 0 else { throw bad("'\(name)' has a partial element") }
                let n = raw.count / MemoryLayout<T>.stride
                // Copy bytes (the slice need not be aligned for T).
                return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                    raw.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
                    initialized = n
                }
            }
            switch dtype {
            case "F32": arrays[name] = .float(try values(Float.self))
            case "I32": arrays[name] = .int32(try values(Int32.self))
            case "I64": arrays[name] = .int64(try values(Int64.self))
            default: throw bad("'\(name)' has unsupported dtype \(dtype)")
            }
        }
        return (arrays, metadata)
    }
}
