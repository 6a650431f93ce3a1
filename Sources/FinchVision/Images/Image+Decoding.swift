import CFinchImage
import FinchSupport
import Foundation

extension Image {
    /// Decodes PNG or JPEG `bytes` (told apart by their signature) as `mode`, or in the file's own
    /// mode when `mode` is nil (gray stays gray, everything else becomes RGB).
    ///
    /// Conversions are Pillow's (`Image.open(f).convert("L" | "RGB")`): alpha is dropped,
    /// palettes expanded, 16-bit samples keep their high byte, and RGB → gray is Pillow's
    /// rounded ITU-R 601-2 luma. `file` only names the source in errors.
    public init(decoding bytes: [UInt8], as mode: ImageColorMode? = nil, file: String = "<memory>") throws(ImageError) {
        var decoded = finch_image()
        var message = [CChar](repeating: 0, count: 256)
        let channels = Int32(mode?.channels ?? 0)
        let status = bytes.withUnsafeBufferPointer { buffer in
            message.withUnsafeMutableBufferPointer { text in
                finch_image_decode(buffer.baseAddress, buffer.count, channels, &decoded, text.baseAddress, text.count)
            }
        }
        defer { finch_image_free(&decoded) }
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch status {
        case FINCH_IMAGE_OK: break
        case FINCH_IMAGE_UNKNOWN_FORMAT: throw .unknownFormat(file: file)
        case FINCH_IMAGE_UNSUPPORTED: throw .unsupported(file: file, reason: reason)
        case FINCH_IMAGE_BAD_SIZE: throw .badSize(file: file, reason: reason)
        case FINCH_IMAGE_OUT_OF_MEMORY: throw .outOfMemory(file: file)
        default: throw .corrupt(file: file, reason: reason.isEmpty ? "the decoder stopped" : reason)
        }
        let (height, width, count) = (Int(decoded.height), Int(decoded.width), Int(decoded.channels))
        let pixels = [UInt8](UnsafeBufferPointer(start: decoded.pixels, count: height * width * count))
        self.init(height: height, width: width, channels: count, pixels: pixels)
    }

    /// Reads and decodes the PNG or JPEG file at `path` (see `init(decoding:as:file:)`); errors
    /// name `path` as given.
    public init(contentsOfFile path: String, as mode: ImageColorMode? = nil) throws(ImageError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(file: path, reason: SystemReason.describe(error))
        }
        try self.init(decoding: [UInt8](data), as: mode, file: path)
    }

    /// The versions of libpng and libjpeg Finch decodes with, for model cards and reports.
    public static var decoderVersions: String { String(cString: finch_image_library_versions()) }
}
