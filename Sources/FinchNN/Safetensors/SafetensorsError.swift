/// Why a safetensors file could not be read or written. Every case names the
/// file (its path) and, where there is one, the tensor at fault.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened, sized or mapped (`reason` is the system's message).
    case unreadable(file: String, reason: String)
    /// Fewer than the 8 bytes that hold the header length.
    case fileTooSmall(file: String, size: Int)
    /// The header length field points past the end of the file.
    case headerLengthBeyondFile(file: String, headerLength: UInt64, fileSize: Int)
    /// The header length exceeds the 100 MB the reference implementation accepts.
    case headerTooLarge(file: String, headerLength: UInt64)
    /// The header is not UTF-8 JSON of the expected structure (`reason` says where).
    case invalidHeader(file: String, reason: String)
    /// A tensor's dtype is not one the format defines.
    case unknownDtype(file: String, tensor: String, dtype: String)
    /// A dimension is negative or the element count overflows.
    case invalidShape(file: String, tensor: String, shape: [Int])
    /// `data_offsets` is not a pair `[begin, end]` with 0 ≤ begin ≤ end.
    case invalidOffsets(file: String, tensor: String, offsets: [Int])
    /// The byte range does not equal element count × dtype size.
    case sizeMismatch(file: String, tensor: String, dtype: String, shape: [Int], expectedBytes: Int, actualBytes: Int)
    /// Two tensors claim overlapping bytes.
    case overlappingTensors(file: String, first: String, second: String)
    /// Bytes `gapStart..<gapEnd` of the data section belong to no tensor.
    case uncoveredBytes(file: String, gapStart: Int, gapEnd: Int)
    /// The data section is shorter than the header describes (a cut-off file).
    case truncated(file: String, dataBytes: Int, expectedBytes: Int)
    /// No tensor of that name in the file.
    case missingTensor(file: String, tensor: String)
    /// The tensor's dtype cannot be read as the kind asked for (`wanted` is "float" or "integer").
    case unsupportedDtype(file: String, tensor: String, dtype: String, wanted: String)
    /// A name that cannot be written (`__metadata__` is reserved).
    case invalidTensorName(file: String, tensor: String)
    /// Writing failed (`reason` is the system's message); nothing was left at the destination.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "safetensors file \(file): cannot read: \(reason)"
        case let .fileTooSmall(file, size):
            return "safetensors file \(file): \(size) bytes is too small to hold the 8-byte header length"
        case let .headerLengthBeyondFile(file, length, size):
            return "safetensors file \(file): header length \(length) goes past the end of the \(size)-byte file"
        case let .headerTooLarge(file, length):
            return "safetensors file \(file): header length \(length) exceeds the 100000000-byte limit"
        case let .invalidHeader(file, reason):
            return "safetensors file \(file): invalid header: \(reason)"
        case let .unknownDtype(file, tensor, dtype):
            return "safetensors file \(file): tensor '\(tensor)' has unknown dtype '\(dtype)'"
        case let .invalidShape(file, tensor, shape):
            return "safetensors file \(file): tensor '\(tensor)' has invalid shape \(shape)"
        case let .invalidOffsets(file, tensor, offsets):
            return "safetensors file \(file): tensor '\(tensor)' has invalid data_offsets \(offsets)"
        case let .sizeMismatch(file, tensor, dtype, shape, expected, actual):
            return "safetensors file \(file): tensor '\(tensor)' (\(dtype) \(shape)) needs \(expected) bytes "
                + "but its data_offsets span \(actual)"
        case let .overlappingTensors(file, first, second):
            return "safetensors file \(file): tensors '\(first)' and '\(second)' overlap"
        case let .uncoveredBytes(file, start, end):
            return "safetensors file \(file): data bytes \(start)..<\(end) belong to no tensor"
        case let .truncated(file, dataBytes, expected):
            return "safetensors file \(file): truncated: the header describes \(expected) data bytes "
                + "but the file holds \(dataBytes)"
        case let .missingTensor(file, tensor):
            return "safetensors file \(file): no tensor named '\(tensor)'"
        case let .unsupportedDtype(file, tensor, dtype, wanted):
            return "safetensors file \(file): tensor '\(tensor)' has dtype \(dtype), which cannot be read as \(wanted)"
        case let .invalidTensorName(file, tensor):
            return "safetensors file \(file): '\(tensor)' cannot be used as a tensor name"
        case let .writeFailed(file, reason):
            return "safetensors file \(file): cannot write: \(reason)"
        }
    }
}
