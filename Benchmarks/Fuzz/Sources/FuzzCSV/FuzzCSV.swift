import FinchTrain
import Foundation

/// libFuzzer entry: the input is a labelled-text file, read as CSV and as TSV
/// (quoting, ragged records, bad UTF-8, empty fields). A `DataError` is a pass;
/// a trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let url = FuzzScratch.file(named: "data.csv", bytes: bytes, count: count)
    for format in [ClassificationFileFormat.csv, .tsv(quoting: false), .tsv(quoting: true), .jsonLines] {
        _ = try? ClassificationReader(format: format).read(url)
        let pairs = ClassificationColumns(text: "text", textPair: "pair", label: "label")
        _ = try? ClassificationReader(columns: pairs, format: format).read(url)
    }
    return 0
}

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
