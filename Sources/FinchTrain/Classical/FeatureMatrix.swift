/// Rows of features for the classical models: sparse (TF-IDF) or dense
/// (sentence embeddings), in `Double`. The models reach rows only through
/// `dot`, `addScaled` and `squaredNorm`, so one solver serves both layouts.
public enum FeatureMatrix: Equatable, Sendable, Codable {
    /// Sparse rows (CSR).
    case sparse(SparseMatrix)
    /// Dense rows: `values[row * columnCount + column]`.
    case dense(values: [Double], rowCount: Int, columnCount: Int)

    /// Dense rows from `rows` (all of one length).
    public init(rows: [[Double]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "rows differ in length")
        self = .dense(values: rows.flatMap { $0 }, rowCount: rows.count, columnCount: width)
    }

    /// Number of rows (examples).
    public var rowCount: Int {
        switch self {
        case .sparse(let m): m.rowCount
        case .dense(_, let n, _): n
        }
    }

    /// Number of columns (features).
    public var columnCount: Int {
        switch self {
        case .sparse(let m): m.columnCount
        case .dense(_, _, let d): d
        }
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> FeatureMatrix {
        switch self {
        case .sparse(let m): return .sparse(m.rows(indices))
        case .dense(let v, _, let d):
            var out: [Double] = []
            out.reserveCapacity(indices.count * d)
            for i in indices { out.append(contentsOf: v[(i * d)..<((i + 1) * d)]) }
            return .dense(values: out, rowCount: indices.count, columnCount: d)
        }
    }

    /// Calls `body` with a view of the rows that reads them without copies.
    func withRows<R>(_ body: (FeatureRows) throws -> R) rethrows -> R {
        switch self {
        case .sparse(let m):
            return try m.rowStarts.withUnsafeBufferPointer { starts in
                try m.columns.withUnsafeBufferPointer { cols in
                    try m.values.withUnsafeBufferPointer { vals in
                        try body(FeatureRows(starts: starts, columns: cols, values: vals, width: m.columnCount, isDense: false))
                    }
                }
            }
        case .dense(let v, _, let d):
            return try v.withUnsafeBufferPointer { vals in
                try body(FeatureRows(starts: nil, columns: nil, values: vals, width: d, isDense: true))
            }
        }
    }
}

/// Raw-buffer access to the rows of a `FeatureMatrix` for the solvers' hot loops.
struct FeatureRows {
    let starts: UnsafeBufferPointer<Int>?
    let columns: UnsafeBufferPointer<Int32>?
    let values: UnsafeBufferPointer<Double>
    /// Number of columns.
    let width: Int
    let isDense: Bool

    /// `x_row · w[offset ..< offset + width]`.
    @inline(__always)
    func dot(_ row: Int, _ w: UnsafePointer<Double>, offset: Int = 0) -> Double {
        var s = 0.0
        if isDense {
            let base = row * width
            for j in 0..<width { s += values[base + j] * w[offset + j] }
        } else {
            let cols = columns!, st = starts!
            for k in st[row]..<st[row + 1] { s += values[k] * w[offset + Int(cols[k])] }
        }
        return s
    }

    /// `w[offset ..< offset + width] += scale * x_row`.
    @inline(__always)
    func addScaled(_ row: Int, _ scale: Double, into w: UnsafeMutablePointer<Double>, offset: Int = 0) {
        if isDense {
            let base = row * width
            for j in 0..<width { w[offset + j] += scale * values[base + j] }
        } else {
            let cols = columns!, st = starts!
            for k in st[row]..<st[row + 1] { w[offset + Int(cols[k])] += scale * values[k] }
        }
    }

    /// `‖x_row‖²`.
    func squaredNorm(_ row: Int) -> Double {
        var s = 0.0
        if isDense {
            let base = row * width
            for j in 0..<width { s += values[base + j] * values[base + j] }
        } else {
            let st = starts!
            for k in st[row]..<st[row + 1] { s += values[k] * values[k] }
        }
        return s
    }
}
