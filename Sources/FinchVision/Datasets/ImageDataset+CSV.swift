import FinchSupport
import Foundation

extension ImageDataset {
    /// A CSV list with a header naming columns `path` and `label` (others are ignored). Relative
    /// paths are resolved against the list's folder. Empty fields and unknown classes are errors
    /// naming the file, line and column.
    public static func csv(_ file: String, classes known: [String]? = nil) throws -> ImageDataset {
        let base = (file as NSString).deletingLastPathComponent
        var parser = DelimitedParser(delimiter: UInt8(ascii: ","), quoting: true, file: file)
        var header: [String]? = nil
        var pathColumn = 0, labelColumn = 0
        var rows: [(path: String, label: String, line: Int)] = []
        func field(_ record: DelimitedRecord, _ index: Int, _ name: String) throws -> String {
            let text = try record.withField(index) { bytes -> String in
                guard let text = decodeUTF8(bytes) else { throw DataError.invalidUTF8(file: file, line: record.line, field: name) }
                return text
            }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                if name == "label" { throw DataError.emptyLabel(file: file, line: record.line, field: name) }
                throw DataError.emptyField(file: file, line: record.line, field: name)
            }
            return trimmed
        }
        let emit: (DelimitedRecord) throws -> Void = { record in
            guard let columns = header else {
                let names = (0..<record.count).map { i in
                    record.withField(i) { decodeUTF8($0) ?? "" }.trimmingCharacters(in: .whitespaces)
                }
                for required in ["path", "label"] where !names.contains(required) {
                    throw DataError.missingColumn(file: file, line: record.line, column: required, found: names)
                }
                pathColumn = names.firstIndex(of: "path")!
                labelColumn = names.firstIndex(of: "label")!
                header = names
                return
            }
            guard record.count == columns.count else {
                throw DataError.fieldCount(file: file, line: record.line, expected: columns.count, found: record.count)
            }
            let path = try field(record, pathColumn, "path")
            let label = try field(record, labelColumn, "label")
            let resolved = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
            rows.append((resolved, label, record.line))
        }
        try ByteChunks.forEach(in: URL(fileURLWithPath: file), file: file) { chunk in try parser.consume(chunk, emit) }
        try parser.finish(emit)
        guard !rows.isEmpty else { throw DataError.emptyFile(file: file) }
        let classes: [String]
        if let known {
            for row in rows where !known.contains(row.label) {
                throw ImageDatasetError.unknownClass(file: file, line: row.line, className: row.label, known: known)
            }
            classes = known
        } else {
            classes = Set(rows.map(\.label)).sorted(by: pythonOrder)
            if classes.count == 1 { throw ImageDatasetError.singleClass(path: file, className: classes[0]) }
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let samples = rows.map { LabeledImage(path: $0.path, label: index[$0.label]!, line: $0.line) }
        return ImageDataset(classes: classes, samples: samples, source: file)
    }
}
