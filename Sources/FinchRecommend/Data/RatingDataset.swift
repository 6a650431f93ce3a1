/// Ratings as read from a file: coordinate triplets in file order, the id maps
/// that turn external ids into dense indices, and what kind of feedback they are.
///
/// Every (user, item) pair occurs at most once (duplicates are merged while
/// reading, see `DuplicatePolicy`). Splits select triplet positions; `matrix`
/// builds the CSR/CSC matrix of any selection in the full index space.
public struct RatingDataset: Sendable, Equatable {
    /// User ids; `userIndices` index into it.
    public var users: IDMap
    /// Item ids; `itemIndices` index into it.
    public var items: IDMap
    /// User of each rating.
    public var userIndices: [Int32]
    /// Item of each rating.
    public var itemIndices: [Int32]
    /// Rating or weight of each rating.
    public var values: [Float]
    /// Timestamp of each rating, when the file had them.
    public var timestamps: [Double]?
    /// Explicit ratings or implicit weights.
    public var feedback: FeedbackKind
    /// The declared scale, or for explicit data without one the observed range.
    public var ratingScale: RatingScale?
    /// What reading the file produced.
    public var report: LoadReport

    /// Number of ratings.
    public var count: Int { values.count }

    /// A dataset from external-id triplets (for programs and tests). Ids get
    /// indices in order of first appearance; a repeated pair keeps the last value.
    public init(
        ratings: [(user: String, item: String, value: Float)], timestamps: [Double]? = nil,
        feedback: FeedbackKind = .explicit, ratingScale: RatingScale? = nil
    ) {
        var builder = RatingDatasetBuilder(file: "<memory>", feedback: feedback, duplicates: feedback == .explicit ? .keepLast : .sum)
        for (n, r) in ratings.enumerated() {
            builder.append(user: r.user, item: r.item, value: r.value, timestamp: timestamps?[n])
        }
        self = builder.finish(ratingScale: ratingScale, hasTimestamps: timestamps != nil)
    }

    /// A dataset from its parts (all arrays of equal length).
    public init(
        users: IDMap, items: IDMap, userIndices: [Int32], itemIndices: [Int32], values: [Float],
        timestamps: [Double]?, feedback: FeedbackKind, ratingScale: RatingScale?, report: LoadReport
    ) {
        precondition(userIndices.count == values.count && itemIndices.count == values.count)
        precondition(timestamps == nil || timestamps!.count == values.count)
        self.users = users
        self.items = items
        self.userIndices = userIndices
        self.itemIndices = itemIndices
        self.values = values
        self.timestamps = timestamps
        self.feedback = feedback
        self.ratingScale = ratingScale
        self.report = report
    }

    /// The matrix of all ratings.
    public func matrix() -> RatingMatrix {
        RatingMatrix(userCount: users.count, itemCount: items.count, users: userIndices, items: itemIndices, values: values)
    }

    /// The matrix of the ratings at `positions`, in that order, sized for all
    /// users and items (those without selected ratings are unknown to a model).
    public func matrix(selecting positions: [Int]) -> RatingMatrix {
        var u = [Int32](), i = [Int32](), v = [Float]()
        u.reserveCapacity(positions.count)
        i.reserveCapacity(positions.count)
        v.reserveCapacity(positions.count)
        for p in positions {
            u.append(userIndices[p])
            i.append(itemIndices[p])
            v.append(values[p])
        }
        return RatingMatrix(userCount: users.count, itemCount: items.count, users: u, items: i, values: v)
    }
}

/// Accumulates rows while a file is read: assigns indices, merges duplicates.
struct RatingDatasetBuilder {
    var users = IDMap()
    var items = IDMap()
    var userIndices: [Int32] = []
    var itemIndices: [Int32] = []
    var values: [Float] = []
    var timestamps: [Double] = []
    var positions: [UInt64: Int] = [:]
    var report: LoadReport
    let feedback: FeedbackKind
    let duplicates: DuplicatePolicy

    init(file: String, feedback: FeedbackKind, duplicates: DuplicatePolicy) {
        report = LoadReport(file: file)
        self.feedback = feedback
        self.duplicates = duplicates
    }

    /// The 1-based line each stored value last came from (for messages).
    var lines: [Int32] = []

    mutating func append(user: String, item: String, value: Float, timestamp: Double?, line: Int = 0) {
        let u = users.insert(user).index
        let i = items.insert(item).index
        let key = UInt64(u) << 32 | UInt64(i)
        if let p = positions[key] {
            report.duplicateCount += 1
            switch duplicates {
            case .keepLast: values[p] = value
            case .sum: values[p] += value
            }
            lines[p] = Int32(clamping: line)
            if let t = timestamp { timestamps[p] = Swift.max(timestamps[p], t) }
            return
        }
        positions[key] = values.count
        userIndices.append(Int32(u))
        itemIndices.append(Int32(i))
        values.append(value)
        lines.append(Int32(clamping: line))
        timestamps.append(timestamp ?? 0)
    }

    func finish(ratingScale: RatingScale?, hasTimestamps: Bool) -> RatingDataset {
        var scale = ratingScale
        if scale == nil, feedback == .explicit, let lo = values.min(), let hi = values.max() {
            scale = RatingScale(lower: lo, upper: hi)
        }
        return RatingDataset(
            users: users, items: items, userIndices: userIndices, itemIndices: itemIndices, values: values,
            timestamps: hasTimestamps ? timestamps : nil, feedback: feedback, ratingScale: scale, report: report)
    }
}
