import Testing
@testable import FinchTensor
@Test func smoke() { #expect(Tensor([1,2]).count == 2) }
