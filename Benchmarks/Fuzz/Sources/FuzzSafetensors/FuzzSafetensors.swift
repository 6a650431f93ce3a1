import FinchNN
import Foundation
import FuzzSupport

/// One fuzz input: the input is a whole `.safetensors` file. Opening it parses
/// and validates the header; reading every tensor then touches every byte range
/// the header allowed. A thrown error is a pass; a trap or an out-of-bounds
/// read (caught by the run script's address sanitizer) is a finding.
func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let url = Fuzz.file(named: "input.safetensors", bytes: bytes, count: count)
    guard let file = try? SafetensorsFile(contentsOf: url) else { return 0 }
    for name in file.names {
        _ = try? file.tensor(named: name)
        _ = try? file.int64Tensor(named: name)
    }
    return 0
}
