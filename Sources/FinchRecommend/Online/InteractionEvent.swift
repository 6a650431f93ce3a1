/// One thing a user did with an item: a rating (explicit feedback) or a view,
/// click, like or purchase (implicit feedback), at a time.
public struct InteractionEvent: Sendable, Equatable, Codable {
    /// External user id.
    public var user: String
    /// External item id.
    public var item: String
    /// The event type, one of the deployment's `EventWeights` types.
    public var type: String
    /// The rating (explicit) or a multiplier of the type's weight (implicit; usually 1).
    public var value: Float
    /// Seconds since some epoch (only the order and the differences matter).
    public var time: Double

    /// Creates an event.
    public init(user: String, item: String, type: String, value: Float = 1, time: Double) {
        self.user = user
        self.item = item
        self.type = type
        self.value = value
        self.time = time
    }

    /// The events of `dataset`, one per rating, all of `type`, with the
    /// dataset's timestamps (or the rating's position when it has none).
    public static func events(from dataset: RatingDataset, type: String) -> [InteractionEvent] {
        (0..<dataset.count).map { n in
            InteractionEvent(
                user: dataset.users[Int(dataset.userIndices[n])], item: dataset.items[Int(dataset.itemIndices[n])], type: type,
                value: dataset.values[n], time: dataset.timestamps?[n] ?? Double(n))
        }
    }

    /// The events behind a saved model's training data (which keeps no
    /// times: an event's time is its position), all of `type` with value 1
    /// times the stored value.
    public static func events(of model: RecommenderModel, type: String) -> [InteractionEvent] {
        let data = model.recommender.trainingData
        var out: [InteractionEvent] = []
        out.reserveCapacity(data.ratingCount)
        for u in 0..<data.userCount {
            for n in data.byUser.range(ofRow: u) {
                out.append(
                    InteractionEvent(
                        user: model.users[u], item: model.items[Int(data.byUser.indices[n])], type: type, value: data.byUser.values[n],
                        time: Double(n)))
            }
        }
        return out
    }
}

/// How events become the values a recommender learns from, per deployment.
///
/// Explicit models take the value of a `ratingType` event as the rating and
/// accept no other type. Implicit models take weight(type)·value. A user
/// engaged positively with an item when the rating is at least
/// `positiveRating` (explicit) or the weight is above 0 (implicit).
public struct EventWeights: Sendable, Equatable, Codable {
    /// Weight per implicit event type.
    public var weights: [String: Float]
    /// The type that carries explicit ratings.
    public var ratingType: String
    /// The smallest rating that counts as liking an item.
    public var positiveRating: Float

    /// Weights for implicit types, the rating type and the positive threshold.
    public init(
        weights: [String: Float] = ["view": 1, "click": 2, "like": 4, "purchase": 8], ratingType: String = "rating",
        positiveRating: Float = 4
    ) {
        self.weights = weights
        self.ratingType = ratingType
        self.positiveRating = positiveRating
    }

    /// The learnt value of `event` for a model with `feedback`.
    /// - Throws: `RecommendError.unknownEventType` for a type not configured,
    ///   `.invalidEvent` for a value that is not finite.
    public func value(of event: InteractionEvent, feedback: FeedbackKind) throws -> Float {
        guard event.value.isFinite, event.time.isFinite else {
            throw RecommendError.invalidEvent(user: event.user, item: event.item, reason: "value and time must be finite numbers")
        }
        switch feedback {
        case .explicit:
            guard event.type == ratingType else { throw RecommendError.unknownEventType(event.type, known: [ratingType]) }
            return event.value
        case .implicit:
            guard let w = weights[event.type] else {
                throw RecommendError.unknownEventType(event.type, known: weights.keys.sorted())
            }
            return w * event.value
        }
    }

    /// True when a learnt `value` means the user liked the item.
    public func isPositive(_ value: Float, feedback: FeedbackKind) -> Bool {
        feedback == .explicit ? value >= positiveRating : value > 0
    }
}
