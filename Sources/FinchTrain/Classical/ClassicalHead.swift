import Foundation

/// The model a classical classifier puts on its features (`--head`).
public enum ClassicalHeadKind: String, CaseIterable, Codable, Sendable {
    /// Multinomial logistic regression (`LogisticRegression`).
    case logistic
    /// Linear support vector machine (`LinearSVC`).
    case svm
    /// k-nearest neighbours, cosine (`KNeighborsClassifier`).
    case knn
}

/// A fitted head of a classical classifier.
public enum ClassicalHead: Equatable, Sendable, Codable {
    /// Logistic regression weights.
    case logistic(LinearClassifier)
    /// Linear SVM weights.
    case svm(LinearClassifier)
    /// The stored neighbours.
    case knn(KNeighborsClassifier)

    /// Which head this is.
    public var kind: ClassicalHeadKind {
        switch self {
        case .logistic: .logistic
        case .svm: .svm
        case .knn: .knn
        }
    }

    /// Width of the features the head reads.
    public var featureCount: Int {
        switch self {
        case .logistic(let m), .svm(let m): m.featureCount
        case .knn(let m): m.rows.columnCount
        }
    }

    /// Number of classes the head tells apart.
    public var classCount: Int {
        switch self {
        case .logistic(let m), .svm(let m): m.classCount
        case .knn(let m): m.classCount
        }
    }

    /// A score per class for each row, summing to 1: logistic regression's
    /// probabilities; kNN's vote shares; for the SVM, which has no
    /// probabilities, the softmax of its one-vs-rest decision values (two
    /// classes: of `[−d, d]`) — it ranks as the SVM decides but is not calibrated.
    /// The predicted class is the one with the highest score.
    public func scores(_ x: FeatureMatrix) throws -> [[Double]] {
        switch self {
        case .logistic(let m): return try LogisticRegression.probabilities(m, x)
        case .knn(let m): return try m.probabilities(x)
        case .svm(let m):
            return try m.decisionFunction(x).map { z in
                let values = z.count == 1 ? [-z[0], z[0]] : z
                let top = values.max()!
                let e = values.map { Foundation.exp($0 - top) }
                let total = e.reduce(0, +)
                return e.map { $0 / total }
            }
        }
    }

    /// The predicted class of each row (as the reference models' `predict`).
    public func predict(_ x: FeatureMatrix) throws -> [Int] {
        switch self {
        case .logistic(let m), .svm(let m): return try m.predict(x)
        case .knn(let m): return try m.predict(x)
        }
    }
}
