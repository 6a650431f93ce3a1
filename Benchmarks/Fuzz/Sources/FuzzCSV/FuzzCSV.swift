import FinchRecommend
import FinchTrain
import Foundation
import FuzzSupport

/// One fuzz input: the input is a labelled-text file, read as CSV, TSV and JSON
/// Lines (quoting, ragged records, bad UTF-8, empty fields), then as a ratings
/// file. A thrown error is a pass; a trap is a finding.
func fuzzCSV(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let url = Fuzz.file(named: "data.csv", bytes: bytes, count: count)
    for format in [ClassificationFileFormat.csv, .tsv(quoting: false), .tsv(quoting: true), .jsonLines] {
        _ = try? ClassificationReader(format: format).read(url)
        let pairs = ClassificationColumns(text: "text", textPair: "pair", label: "label")
        _ = try? ClassificationReader(columns: pairs, format: format).read(url)
    }
    // The same bytes as a ratings file, in each layout the reader knows, stopping at the
    // first bad row and skipping bad rows.
    for format in [RatingFileOptions.Format.csv, .tsv, .movielens, .jsonl] {
        for skip in [false, true] {
            var options = RatingFileOptions()
            options.format = format
            options.skipBadRows = skip
            _ = try? RatingFileReader.read(url.path, options: options)
        }
    }
    return 0
}
