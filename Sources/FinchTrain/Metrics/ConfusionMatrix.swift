/// Counts of (true label, predicted label) pairs: `counts[i][j]` examples of
/// `labels[i]` were predicted as `labels[j]` — rows true, columns predicted,
/// as scikit-learn's `confusion_matrix`. Pairs with a label outside `labels`
/// are not counted.
public struct ConfusionMatrix: Equatable, Sendable, Codable {
    /// Row and column labels.
    public let labels: [String]
    /// `labels.count × labels.count` counts, row-major by true label.
    public let counts: [[Int]]

    /// The matrix of `predicted` against `truth` (same length).
    ///
    /// - Parameter labels: rows/columns in order; nil for the sorted union
    ///   of the labels that occur (code-point order, as scikit-learn).
    public init(truth: [String], predicted: [String], labels: [String]? = nil) {
        precondition(truth.count == predicted.count, "\(truth.count) true labels but \(predicted.count) predictions")
        let rows = labels ?? Set(truth).union(predicted).sorted(by: precedesInCodePointOrder)
        var index: [String: Int] = [:]
        for (i, label) in rows.enumerated() { index[label] = i }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: rows.count), count: rows.count)
        for (t, p) in zip(truth, predicted) {
            if let i = index[t], let j = index[p] { counts[i][j] += 1 }
        }
        self.labels = rows
        self.counts = counts
    }

    /// The count of true `trueLabel` predicted as `predictedLabel` (0 for
    /// labels outside the matrix).
    public func count(true trueLabel: String, predicted predictedLabel: String) -> Int {
        guard let i = labels.firstIndex(of: trueLabel), let j = labels.firstIndex(of: predictedLabel) else { return 0 }
        return counts[i][j]
    }

    /// A plain-text table, true labels down, predicted across; every column
    /// right-aligned to its widest entry (widths in code points):
    ///
    /// ```
    /// true \ predicted  fresh  plot  rotten
    ///            fresh    598     9      55
    ///             plot      7    88       4
    ///           rotten     96     3     383
    /// ```
    public func text() -> String {
        let corner = "true \\ predicted"
        let nameWidth = max(corner.unicodeScalars.count, labels.map(\.unicodeScalars.count).max() ?? 0)
        let widths = labels.indices.map { j in
            max(labels[j].unicodeScalars.count, counts.map { String($0[j]).count }.max() ?? 1)
        }
        var out = PythonFormat.right(corner, nameWidth)
        for (j, label) in labels.enumerated() { out += "  " + PythonFormat.right(label, widths[j]) }
        out += "\n"
        for (i, label) in labels.enumerated() {
            out += PythonFormat.right(label, nameWidth)
            for j in labels.indices { out += "  " + PythonFormat.right(String(counts[i][j]), widths[j]) }
            out += "\n"
        }
        return out
    }
}
