import FinchApps
import FinchText
import Testing

@Suite struct HMACKeyedHasherTests {
    /// RFC 4231 test case 2 (key "Jefe").
    @Test func matchesRFC4231() {
        let hasher = HMACKeyedHasher(key: Array("Jefe".utf8))
        #expect(hasher.token(for: "what do ya want for nothing?") == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func sameValueSameTokenOtherKeyOtherToken() throws {
        let a = HMACKeyedHasher(key: Array("key-one".utf8)), b = HMACKeyedHasher(key: Array("key-two".utf8))
        #expect(a.token(for: "ann@x.io") == a.token(for: "ann@x.io"))
        #expect(a.token(for: "ann@x.io") != b.token(for: "ann@x.io"))
        let redactor = PIIRedactor(analyzer: try .standard(), operators: PIIOperators(defaultOperator: .hash), hasher: a)
        let first = try redactor.redact("from ann@x.io to bob@x.io, cc ann@x.io")
        #expect(first.text == "from \(a.token(for: "ann@x.io")) to \(a.token(for: "bob@x.io")), cc \(a.token(for: "ann@x.io"))")
    }
}
