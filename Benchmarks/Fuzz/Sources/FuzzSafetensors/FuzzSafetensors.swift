import FinchNN
import Foundation

/// libFuzzer entry: the input is a whole `.safetensors` file. Opening it parses
/// and validates the header; reading every tensor then touches every byte range
/// the header allowed. A thrown error is a pass; a trap or an out-of-bounds
/// read (caught by the run script's address sanitizer) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let url = FuzzScratch.file(named: "input.safetensors", bytes: bytes, count: count)
    guard let file = try? SafetensorsFile(contentsOf: url) else { return 0 }
    for name in file.names {
        _ = try? file.tensor(named: name)
        _ = try? file.int64Tensor(named: name)
    }
    return 0
}

/// One scratch file per process, rewritten for each input (the readers take paths).
enum FuzzScratch {
    static let directory: URL = {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("finch-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func file(named name: String, bytes: UnsafePointer<UInt8>, count: Int) -> URL {
        let url = directory.appendingPathComponent(name)
        FileManager.default.createFile(atPath: url.path, contents: Data(bytes: bytes, count: count))
        return url
    }
}
