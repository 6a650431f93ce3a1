import CFuzzDriver
import Foundation

/// What every harness shares: libFuzzer's driver and a scratch file per
/// process (Finch's readers take paths, so each input is written to one).
public enum Fuzz {
    /// Runs libFuzzer with this process's arguments over `body`; returns its exit status.
    public static func run(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        return withUnsafeMutablePointer(to: &argv) { argvPointer in
            LLVMFuzzerRunDriver(&argc, argvPointer, body)
        }
    }

    static let directory: URL = {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("finch-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// The input as a file named `name` in the scratch folder.
    public static func file(named name: String, bytes: UnsafePointer<UInt8>?, count: Int) -> URL {
        let url = directory.appendingPathComponent(name)
        let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
        guard FileManager.default.createFile(atPath: url.path, contents: data) else { fatalError("cannot write \(url.path)") }
        return url
    }
}
