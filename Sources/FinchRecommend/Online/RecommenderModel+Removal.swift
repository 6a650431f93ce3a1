extension RecommenderModel {
    /// Removes every rating of user `id` from the training data and resets the
    /// user's learnt row (the algorithm's fold-in of an empty history), so
    /// nothing learnt from them is served or saved. Items and every other
    /// user's learnt state are unchanged.
    /// - Returns: the number of ratings removed (0 for an unknown user).
    @discardableResult
    public mutating func removeUser(_ id: String) throws -> Int {
        guard let u = users.index(of: id) else { return 0 }
        let old = recommender.trainingData
        let removed = old.byUser.count(ofRow: u)
        guard removed > 0 else { return 0 }
        let (tu, ti, tv) = old.triplets()
        var keptUsers: [Int32] = [], keptItems: [Int32] = [], keptValues: [Float] = []
        keptUsers.reserveCapacity(tu.count - removed)
        keptItems.reserveCapacity(tu.count - removed)
        keptValues.reserveCapacity(tu.count - removed)
        for n in 0..<tu.count where Int(tu[n]) != u {
            keptUsers.append(tu[n])
            keptItems.append(ti[n])
            keptValues.append(tv[n])
        }
        let data = RatingMatrix(userCount: old.userCount, itemCount: old.itemCount, users: keptUsers, items: keptItems, values: keptValues)
        try recommender.foldIn(data, users: [u], items: [])
        return removed
    }
}
