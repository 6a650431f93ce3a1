/// A sparse matrix in compressed sparse row (CSR) layout, as SciPy's
/// `csr_matrix`: row `i` holds the entries `rowStarts[i]..<rowStarts[i + 1]`
/// of `columns` and `values`, its column indices in increasing order.
/// Values are `Double`, as scikit-learn's TF-IDF features (`float64`).
public struct SparseMatrix: Equatable, Sendable {
    /// Number of rows.
    public let rowCount: Int
    /// Number of columns.
    public let columnCount: Int
    /// `rowCount + 1` offsets into `columns` and `values`; starts at 0, ends at the entry count.
    public let rowStarts: [Int]
    /// Column index of each stored entry, increasing within a row.
    public let columns: [Int32]
    /// Value of each stored entry.
    public let values: [Double]

    /// A matrix from its CSR arrays; checks their shapes and index ranges.
    public init(rowCount: Int, columnCount: Int, rowStarts: [Int], columns: [Int32], values: [Double]) {
        precondition(rowStarts.count == rowCount + 1 && rowStarts.first == 0, "rowStarts must hold rowCount + 1 offsets from 0")
        precondition(columns.count == values.count && rowStarts.last == values.count, "one column per value")
        precondition(columns.allSatisfy { $0 >= 0 && Int($0) < columnCount }, "column index out of range")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowStarts = rowStarts
        self.columns = columns
        self.values = values
    }

    /// Number of stored entries.
    public var storedCount: Int { values.count }

    /// The entry at `row`, `column` (0 when not stored).
    public subscript(row: Int, column: Int) -> Double {
        for k in rowStarts[row]..<rowStarts[row + 1] where Int(columns[k]) == column { return values[k] }
        return 0
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> SparseMatrix {
        var starts = [0], cols: [Int32] = [], vals: [Double] = []
        for i in indices {
            cols.append(contentsOf: columns[rowStarts[i]..<rowStarts[i + 1]])
            vals.append(contentsOf: values[rowStarts[i]..<rowStarts[i + 1]])
            starts.append(vals.count)
        }
        return SparseMatrix(rowCount: indices.count, columnCount: columnCount, rowStarts: starts, columns: cols, values: vals)
    }

    /// The matrix as dense rows (`[rowCount * columnCount]`, row-major).
    public func dense() -> [Double] {
        var out = [Double](repeating: 0, count: rowCount * columnCount)
        for i in 0..<rowCount {
            for k in rowStarts[i]..<rowStarts[i + 1] { out[i * columnCount + Int(columns[k])] = values[k] }
        }
        return out
    }
}

extension SparseMatrix: Codable {
    private enum CodingKeys: String, CodingKey {
        case rowCount = "rows", columnCount = "columns", rowStarts = "indptr", columns = "indices", values = "data"
    }

    /// Reads the CSR arrays (SciPy's names), rejecting inconsistent ones instead of trapping.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try c.decode(Int.self, forKey: .rowCount), width = try c.decode(Int.self, forKey: .columnCount)
        let starts = try c.decode([Int].self, forKey: .rowStarts)
        let cols = try c.decode([Int32].self, forKey: .columns), vals = try c.decode([Double].self, forKey: .values)
        let consistent =
            rows >= 0 && width >= 0 && starts.count == rows + 1 && starts.first == 0 && starts.last == vals.count
            && cols.count == vals.count && zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }
            && cols.allSatisfy { $0 >= 0 && Int($0) < width }
        guard consistent else {
            throw DecodingError.dataCorruptedError(forKey: .rowStarts, in: c, debugDescription: "inconsistent sparse matrix arrays")
        }
        self.init(rowCount: rows, columnCount: width, rowStarts: starts, columns: cols, values: vals)
    }

    /// Writes the CSR arrays under SciPy's names.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rowCount, forKey: .rowCount)
        try c.encode(columnCount, forKey: .columnCount)
        try c.encode(rowStarts, forKey: .rowStarts)
        try c.encode(columns, forKey: .columns)
        try c.encode(values, forKey: .values)
    }
}
