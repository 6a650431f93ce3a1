/// Erasure of the feedback stored about one end user (`DELETE /v1/users/{id}`).
public struct FeedbackEraser: UserDataEraser {
    let store: any FeedbackRepository

    public init(store: any FeedbackRepository) {
        self.store = store
    }

    public var dataName: String { "feedback" }

    public func eraseUser(_ user: String) async throws -> Int { try await store.eraseFeedback(user: user) }
}
