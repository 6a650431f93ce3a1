import Foundation

/// Where one tensor lives in a safetensors file and what it holds.
public struct SafetensorsTensorInfo: Equatable, Sendable {
    /// Element type as stored.
    public let dtype: SafetensorsDType
    /// Dimensions, outermost first (`[]` for a scalar).
    public let shape: [Int]
    /// Byte range within the data section (which starts after the header).
    public let dataOffsets: Range<Int>

    /// Number of elements (the product of `shape`).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// The parsed and validated JSON header of a safetensors file.
///
/// Layout (huggingface/safetensors): 8 bytes little-endian header length N,
/// N bytes of UTF-8 JSON (possibly padded with spaces), then the data section.
/// The JSON maps each tensor name to `{"dtype", "shape", "data_offsets":
/// [begin, end]}` (offsets relative to the data section) and may hold a
/// `"__metadata__"` object of string values. Validation follows the reference:
/// every byte range matches element count × dtype size, ranges neither overlap
/// nor leave gaps, and together they cover the data section exactly.
struct SafetensorsHeader {
    /// The reference implementation's limit on N.
    static let maxHeaderLength: UInt64 = 100_000_000

    /// Tensors by name.
    let entries: [String: SafetensorsTensorInfo]
    /// The `__metadata__` strings (empty when absent).
    let metadata: [String: String]
    /// Bytes of the data section the header describes.
    let dataLength: Int

    /// Parses `json` (the N header bytes) of `file` and validates the offsets
    /// against a data section of `availableDataBytes` bytes.
    static func parse(json: UnsafeRawBufferPointer, availableDataBytes: Int, file: String) throws -> SafetensorsHeader {
        guard !json.isEmpty, json[0] == UInt8(ascii: "{") else {
            throw SafetensorsError.invalidHeader(file: file, reason: "the JSON header does not start with '{'")
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(json))
        } catch let error as DecodingError {
            throw SafetensorsError.invalidHeader(file: file, reason: describe(error))
        } catch {
            throw SafetensorsError.invalidHeader(file: file, reason: "\(error)")
        }

        var entries: [String: SafetensorsTensorInfo] = [:]
        entries.reserveCapacity(raw.tensors.count)
        for (name, entry) in raw.tensors {
            entries[name] = try validate(entry, name: name, file: file)
        }
        let dataLength = try checkCoverage(entries, file: file)
        if dataLength > availableDataBytes {
            throw SafetensorsError.truncated(file: file, dataBytes: availableDataBytes, expectedBytes: dataLength)
        }
        if dataLength < availableDataBytes {
            throw SafetensorsError.uncoveredBytes(file: file, gapStart: dataLength, gapEnd: availableDataBytes)
        }
        return SafetensorsHeader(entries: entries, metadata: raw.metadata, dataLength: dataLength)
    }

    /// Checks dtype, shape and offsets of one entry.
    private static func validate(_ entry: RawEntry, name: String, file: String) throws -> SafetensorsTensorInfo {
        guard let dtype = SafetensorsDType(rawValue: entry.dtype) else {
            throw SafetensorsError.unknownDtype(file: file, tensor: name, dtype: entry.dtype)
        }
        var elements = 1
        for d in entry.shape {
            guard d >= 0 else { throw SafetensorsError.invalidShape(file: file, tensor: name, shape: entry.shape) }
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow else { throw SafetensorsError.invalidShape(file: file, tensor: name, shape: entry.shape) }
            elements = product
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw SafetensorsError.invalidShape(file: file, tensor: name, shape: entry.shape) }
        let offsets = entry.dataOffsets
        guard offsets.count == 2, offsets[0] >= 0, offsets[1] >= offsets[0] else {
            throw SafetensorsError.invalidOffsets(file: file, tensor: name, offsets: offsets)
        }
        guard offsets[1] - offsets[0] == bytes else {
            throw SafetensorsError.sizeMismatch(
                file: file, tensor: name, dtype: dtype.rawValue, shape: entry.shape,
                expectedBytes: bytes, actualBytes: offsets[1] - offsets[0])
        }
        return SafetensorsTensorInfo(dtype: dtype, shape: entry.shape, dataOffsets: offsets[0]..<offsets[1])
    }

    /// Walks the ranges in file order: each must start where the previous one
    /// ended. Returns the end of the last range (the data length described).
    private static func checkCoverage(_ entries: [String: SafetensorsTensorInfo], file: String) throws -> Int {
        let ordered = entries.sorted { a, b in
            let (ra, rb) = (a.value.dataOffsets, b.value.dataOffsets)
            if ra.lowerBound != rb.lowerBound { return ra.lowerBound < rb.lowerBound }
            if ra.upperBound != rb.upperBound { return ra.upperBound < rb.upperBound }
            return a.key < b.key
        }
        var end = 0
        var previous: String?
        for (name, info) in ordered {
            let range = info.dataOffsets
            if range.lowerBound < end, let previous {
                throw SafetensorsError.overlappingTensors(file: file, first: previous, second: name)
            }
            if range.lowerBound > end {
                throw SafetensorsError.uncoveredBytes(file: file, gapStart: end, gapEnd: range.lowerBound)
            }
            end = range.upperBound
            previous = name
        }
        return end
    }

    /// A readable account of where decoding failed ("at 'a.weight'.'shape': expected Int").
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? "'\(key.stringValue)'" }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch error {
        case let .dataCorrupted(context) where !context.codingPath.isEmpty:
            return "at \(path(context)): \(context.debugDescription)"
        case let .dataCorrupted(context):
            let underlying = context.underlyingError.map { ": \($0)" } ?? ""
            return "not valid JSON (\(context.debugDescription)\(underlying))"
        case let .keyNotFound(key, context):
            return "at \(path(context)): missing field '\(key.stringValue)'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The header as decoded, before validation.
private struct RawHeader: Decodable {
    var tensors: [(String, RawEntry)] = []
    var metadata: [String: String] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DynamicKey.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decodeIfPresent([String: String].self, forKey: key) ?? [:]
            } else {
                tensors.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
            }
        }
    }
}

/// One tensor's header entry as decoded.
private struct RawEntry: Decodable {
    let dtype: String
    let shape: [Int]
    let dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dtype = try container.decode(String.self, forKey: .dtype)
        shape = try Self.integers(container, .shape)
        dataOffsets = try Self.integers(container, .dataOffsets)
    }

    /// An array of integers; a number that is not one (8.5, 1e30) is reported
    /// at its key rather than as unreadable JSON.
    private static func integers(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [Int] {
        do {
            return try container.decode([Int].self, forKey: key)
        } catch {
            // Foundation reports such a number as unreadable JSON without a path.
            let numbers: [Double]
            do {
                numbers = try container.decode([Double].self, forKey: key)
            } catch _ {
                throw error
            }
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "expected integers, got \(numbers)")
        }
    }
}

/// Any string key of a JSON object.
private struct DynamicKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
