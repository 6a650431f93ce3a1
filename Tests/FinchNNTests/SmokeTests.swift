import Testing
@Test func nnSmoke() { #expect(1 == 1) }
