import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns any error a command throws into one line a person can act on: the
/// file and the problem for Foundation file errors and POSIX errors, the
/// field for JSON decoding errors, and the library's own message (which
/// already names file, line and field) for Finch's error enums.
enum ErrorMessage {
    static func render(_ error: any Error) -> String {
        if let decoding = error as? DecodingError { return render(decoding) }
        if let posix = error as? POSIXError { return reason(errno: posix.code.rawValue) }
        // Finch's own errors and ArgumentParser's carry their message.
        let bridged = error as NSError
        if bridged.domain == NSCocoaErrorDomain { return renderCocoa(bridged) }
        if bridged.domain == NSPOSIXErrorDomain { return (path(in: bridged).map { "\($0): " } ?? "") + reason(errno: Int32(bridged.code)) }
        if let localized = error as? LocalizedError, let text = localized.errorDescription { return text }
        return String(describing: error)
    }

    /// `NSCocoaErrorDomain` file errors: "PATH: problem".
    private static func renderCocoa(_ error: NSError) -> String {
        let underlying = systemCause(of: error)
        let problem: String
        switch error.code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue:
            problem = "no such file or directory"
        case CocoaError.fileReadNoPermission.rawValue:
            problem = "permission denied (cannot read it)"
        case CocoaError.fileWriteNoPermission.rawValue:
            problem = "permission denied (cannot write it)"
        case CocoaError.fileReadCorruptFile.rawValue:
            problem = "not in the expected format"
        case CocoaError.fileReadInapplicableStringEncoding.rawValue, CocoaError.fileReadUnknownStringEncoding.rawValue:
            problem = "not valid UTF-8 text"
        case CocoaError.fileReadTooLarge.rawValue:
            problem = "too large to read"
        case CocoaError.fileWriteFileExists.rawValue:
            problem = "already exists"
        case CocoaError.fileWriteOutOfSpace.rawValue:
            problem = "no space left on the device"
        case CocoaError.fileWriteVolumeReadOnly.rawValue:
            problem = "the file system is read-only"
        case CocoaError.fileReadUnknown.rawValue, CocoaError.fileLocking.rawValue:
            problem = "cannot read it" + (underlying.map { ": \($0)" } ?? "")
        case CocoaError.fileWriteUnknown.rawValue, CocoaError.fileWriteInapplicableStringEncoding.rawValue:
            problem = "cannot write it" + (underlying.map { ": \($0)" } ?? "")
        default:
            problem = underlying ?? "file error \(error.code)"
        }
        guard let path = path(in: error) else { return "file error: \(problem)" }
        return "\(path): \(problem)"
    }

    /// "at KEY.PATH: problem" for the JSON field that did not decode.
    private static func render(_ error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "" : "field \(path): "
        }
        switch error {
        case let .dataCorrupted(context):
            return "invalid JSON: \(at(context))\(context.debugDescription)"
        case let .keyNotFound(key, context):
            return "invalid JSON: \(at(context))missing field \"\(key.stringValue)\""
        case let .typeMismatch(type, context):
            return "invalid JSON: \(at(context))expected \(describe(type)) (\(context.debugDescription))"
        case let .valueNotFound(type, context):
            return "invalid JSON: \(at(context))expected \(describe(type)), found null"
        @unknown default:
            return "invalid JSON: \(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type, is Float.Type, is UInt64.Type, is Int64.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return "\(type)"
        }
    }

    /// The POSIX error under a Foundation file error, as text ("Is a directory").
    static func systemCause(of error: NSError) -> String? {
        switch error.userInfo[NSUnderlyingErrorKey] {
        case let posix as POSIXError: return reason(errno: posix.code.rawValue)
        case let ns as NSError where ns.domain == NSPOSIXErrorDomain: return reason(errno: Int32(ns.code))
        default: return nil
        }
    }

    private static func path(in error: NSError) -> String? {
        if let path = error.userInfo[NSFilePathErrorKey] as? String { return path }
        if let url = error.userInfo[NSURLErrorKey] as? URL { return url.path }
        return nil
    }

    private static func reason(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
