import FinchTrain
import Foundation
import FuzzSupport

/// One fuzz input: the input is a labelled-text file, read as CSV and as TSV
/// (quoting, ragged records, bad UTF-8, empty fields). A `DataError` is a pass;
/// a trap is a finding.
func fuzzCSV(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let url = Fuzz.file(named: "data.csv", bytes: bytes, count: count)
    for format in [ClassificationFileFormat.csv, .tsv(quoting: false), .tsv(quoting: true), .jsonLines] {
        _ = try? ClassificationReader(format: format).read(url)
        let pairs = ClassificationColumns(text: "text", textPair: "pair", label: "label")
        _ = try? ClassificationReader(columns: pairs, format: format).read(url)
    }
    return 0
}
