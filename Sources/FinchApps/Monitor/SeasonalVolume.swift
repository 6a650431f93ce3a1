import Foundation

/// The volume baseline that knows the daily and weekly rhythm: the expected
/// count of a bucket is level × hourFactor[hour of day] × dayFactor[day of
/// week] (day buckets: level × dayFactor). The level is an EWMA (the rule's
/// half-life) of deseasonalized counts; hour factors learn with weight 0.2 per
/// day seen, day factors with 0.05 per bucket; each set is renormalized to mean 1.
enum SeasonalVolume {
    static let hourRate = 0.2
    static let dayRate = 0.05

    /// The (hour-of-day, day-of-week) slots of a bucket start; hour is 0 for day buckets.
    static func slots(of start: Date, width: BucketWidth) -> (hour: Int, day: Int) {
        let hourOfWeek = BucketWidth.hour.seasonSlot(of: start)
        return (width == .day ? 0 : hourOfWeek % 24, hourOfWeek / 24)
    }

    /// The expected count for the bucket at `start`; nil before the first observation.
    static func expected(_ state: DetectorState, start: Date, width: BucketWidth) -> Double? {
        guard let level = state.mean else { return nil }
        let (h, d) = slots(of: start, width: width)
        return level * factor(state, hour: h, day: d, width: width)
    }

    static func factor(_ state: DetectorState, hour: Int, day: Int, width: BucketWidth) -> Double {
        guard state.season.count == 31 else { return 1 }
        return (width == .day ? 1 : state.season[hour]) * state.season[24 + day]
    }

    /// Learns count `x` (already clamped by the caller) at `start`.
    static func learn(_ state: inout DetectorState, x: Double, start: Date, width: BucketWidth, alpha: Double) {
        if state.season.count != 31 { state.season = Array(repeating: 1, count: 31) }
        let (h, d) = slots(of: start, width: width)
        guard let level = state.mean else {
            state.mean = x / factor(state, hour: h, day: d, width: width)
            return
        }
        let e = level * factor(state, hour: h, day: d, width: width)
        let r = x - e
        state.variance = (1 - alpha) * state.variance + alpha * r * r
        let hourF = width == .day ? 1 : state.season[h], dayF = state.season[24 + d]
        let newLevel = level + alpha * (x / (hourF * dayF) - level)
        state.mean = newLevel
        guard newLevel > 0 else { return }
        if width != .day {
            state.season[h] += hourRate * (x / (newLevel * dayF) - hourF)
            normalize(&state.season, range: 0..<24)
        }
        state.season[24 + d] += dayRate * (x / (newLevel * hourF) - dayF)
        normalize(&state.season, range: 24..<31)
    }

    /// Scales `range` of `factors` to mean 1 (factors stay ≥ 0.01).
    static func normalize(_ factors: inout [Double], range: Range<Int>) {
        for i in range { factors[i] = max(factors[i], 0.01) }
        let mean = factors[range].reduce(0, +) / Double(range.count)
        guard mean > 0 else { return }
        for i in range { factors[i] /= mean }
    }
}
