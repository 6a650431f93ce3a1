import FinchSupport

/// Validates the fields of one ratings row and feeds a `RatingDatasetBuilder`;
/// bad rows fail or, with `skipBadRows`, are counted in the report.
struct RowSink {
    let file: String
    let options: RatingFileOptions
    let hasRating: Bool
    let hasTimestamp: Bool
    var builder: RatingDatasetBuilder

    init(file: String, options: RatingFileOptions, hasRating: Bool, hasTimestamp: Bool) {
        self.file = file
        self.options = options
        self.hasRating = hasRating
        self.hasTimestamp = hasTimestamp
        let feedback: FeedbackKind = (options.implicit || !hasRating) ? .implicit : .explicit
        builder = RatingDatasetBuilder(
            file: file, feedback: feedback, duplicates: options.duplicates ?? (feedback == .explicit ? .keepLast : .sum))
    }

    /// Counts a bad row: throws `problem`, or records it when bad rows are skipped.
    mutating func fail(_ problem: DataError) throws {
        builder.report.rowCount += 1
        guard options.skipBadRows else { throw problem }
        builder.report.record(problem)
    }

    /// Adds a row of a delimited file from its field texts (nil: no such column).
    mutating func add(
        line: Int, user rawUser: String, item rawItem: String, rating: String?, timestamp: String?,
        names: (user: String, item: String, rating: String, timestamp: String)
    ) throws {
        var value: Float? = nil
        if let rating {
            let text = rating.trimmingSpaces()
            guard let v = Float(text), v.isFinite else {
                return try fail(.notANumber(file: file, line: line, field: names.rating, value: text))
            }
            value = v
        }
        var time: Double? = nil
        if let timestamp {
            let text = timestamp.trimmingSpaces()
            guard let t = Double(text), t.isFinite else {
                return try fail(.notANumber(file: file, line: line, field: names.timestamp, value: text))
            }
            time = t
        }
        try add(line: line, user: rawUser, item: rawItem, value: value, timestamp: time, names: names)
    }

    /// Adds a JSON Lines record (keys as in `names`; the optional ones read
    /// only when the first record had them).
    mutating func add(record: JSONRecord, names: (user: String, item: String, rating: String, timestamp: String)) throws {
        let user: String, item: String
        var value: Float? = nil
        var time: Double? = nil
        do throws(DataError) {
            user = try record.identifier(names.user)
            item = try record.identifier(names.item)
            if hasRating {
                let number = try record.number(names.rating)
                guard Float(number).isFinite else {
                    throw DataError.notANumber(file: file, line: record.line, field: names.rating, value: "\(number)")
                }
                value = Float(number)
            }
            if hasTimestamp { time = try record.number(names.timestamp) }
        } catch {
            if case let .missingColumn(file, line, column, _) = error {
                return try fail(.missingField(file: file, line: line, field: column))
            }
            return try fail(error)
        }
        try add(line: record.line, user: user, item: item, value: value, timestamp: time, names: names)
    }

    private mutating func add(
        line: Int, user rawUser: String, item rawItem: String, value: Float?, timestamp: Double?,
        names: (user: String, item: String, rating: String, timestamp: String)
    ) throws(DataError) {
        let user = rawUser.trimmingSpaces()
        let item = rawItem.trimmingSpaces()
        if user.isEmpty { return try failTyped(.emptyField(file: file, line: line, field: names.user)) }
        if item.isEmpty { return try failTyped(.emptyField(file: file, line: line, field: names.item)) }
        if let value, builder.feedback == .explicit {
            if let scale = options.ratingScale, !scale.contains(value) {
                return try failTyped(
                    .outOfRange(
                        file: file, line: line, field: names.rating, value: shortest(value), lower: shortest(scale.lower),
                        upper: shortest(scale.upper)))
            }
        }
        builder.report.rowCount += 1
        builder.append(user: user, item: item, value: value ?? 1, timestamp: timestamp, line: line)
    }

    private mutating func failTyped(_ problem: DataError) throws(DataError) {
        builder.report.rowCount += 1
        guard options.skipBadRows else { throw problem }
        builder.report.record(problem)
    }

    /// The dataset; with an inferred scale, first rejects ratings far outside
    /// the bulk (`RatingOutliers`).
    func finish() throws -> RatingDataset {
        if builder.values.isEmpty {
            if builder.report.skippedRowCount > 0 { throw DataError.noUsableRecords(file: file) }
            throw DataError.emptyFile(file: file)
        }
        if builder.feedback == .explicit, options.ratingScale == nil,
            let outlier = RatingOutliers.first(in: builder.values)
        {
            throw DataError.invalidValue(
                file: file, line: Int(builder.lines[outlier.index]), field: options.ratingColumn ?? "rating",
                reason: "is \(builder.values[outlier.index]), far outside the bulk of the ratings (median \(outlier.median)); "
                    + "if it is a real rating, state the rating scale")
        }
        return builder.finish(ratingScale: options.ratingScale, hasTimestamps: hasTimestamp)
    }
}

/// `value` as the Double with the same shortest decimal text (1.2e29, not 1.1999999802780276e29).
private func shortest(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }
