// Small helpers shared by the algorithms.

extension Array where Element == Float {
    /// Grows (with zeros) or shrinks to `count` elements.
    mutating func resize(to count: Int) {
        if count > self.count {
            append(contentsOf: repeatElement(0, count: count - self.count))
        } else if count < self.count {
            removeLast(self.count - count)
        }
    }
}

extension ContinuousClock.Instant {
    /// Seconds from this instant to now.
    var secondsSince: Double {
        let d = ContinuousClock.now - self
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
