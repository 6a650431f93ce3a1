import CFinchImage
import Testing

@Test func imageShimLinks() { #expect(finch_image_abi_version() == 1) }
