import FinchSupport
import Testing

@Suite struct FinchSupportTests {
    @Test func versionIsSemantic() {
        let parts = FinchSupport.version.split(separator: ".")
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { Int($0) != nil })
    }
}
