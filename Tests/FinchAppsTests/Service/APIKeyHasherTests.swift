import FinchApps
import Foundation
import Testing

@Suite struct APIKeyHasherTests {
    @Test func keysVerifyAndOnlyTheHashIsKept() throws {
        let (key, record) = APIKeyHasher.generate(name: "ci", scope: .write)
        let parts = try #require(APIKeyHasher.parse(key))
        #expect(parts.id == record.id)
        #expect(parts.secret.count == 43)
        #expect(APIKeyHasher.verify(secret: parts.secret, against: record))
        #expect(!APIKeyHasher.verify(secret: parts.secret + "x", against: record))
        #expect(!record.hash.contains(parts.secret) && !record.salt.contains(parts.secret))
        #expect(record.hash.count == 64)
        // Same secret, other salt: another hash.
        #expect(APIKeyHasher.hash(secret: parts.secret, salt: "00") != record.hash)
        #expect(APIKeyHasher.generate(name: "ci", scope: .write).key != key)
    }

    @Test func parseRejectsOtherShapes() {
        #expect(APIKeyHasher.parse("sk-123") == nil)
        #expect(APIKeyHasher.parse("finch_short_secret") == nil)
        #expect(APIKeyHasher.parse("finch_zzzzzzzzzzzz_secret") == nil)
        #expect(APIKeyHasher.parse("finch_0123456789ab_") == nil)
        #expect(APIKeyHasher.parse("finch_0123456789ab_s_e")?.secret == "s_e")
    }

    @Test func constantTimeEqualityIsEquality() {
        #expect(APIKeyHasher.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!APIKeyHasher.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!APIKeyHasher.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    @Test func scopesAreOrdered() {
        #expect(APIKeyScope.admin.allows(.read) && APIKeyScope.admin.allows(.write))
        #expect(APIKeyScope.write.allows(.read) && !APIKeyScope.write.allows(.admin))
        #expect(!APIKeyScope.read.allows(.write))
    }

    @Test func rateLimiterRefills() {
        let limiter = RateLimiter(perSecond: 2, burst: 2)
        #expect(limiter.take(key: "a", now: 0) == nil)
        #expect(limiter.take(key: "a", now: 0) == nil)
        #expect(limiter.take(key: "a", now: 0) == 1)
        #expect(limiter.take(key: "b", now: 0) == nil)
        #expect(limiter.take(key: "a", now: 0.6) == nil)
    }
}
