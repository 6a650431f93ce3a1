import Testing

@testable import FinchTransformers

@Suite struct DigestTests {
    func sha256(_ bytes: [UInt8]) -> String {
        var d = SHA256Digest()
        d.update(bytes)
        return d.finalizeHex()
    }

    @Test func sha256KnownVectors() {
        #expect(sha256([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func feedingInPiecesEqualsFeedingAtOnce() {
        let data = (0..<5).flatMap { _ in (0..<256).map { UInt8($0) } }  // 1280 bytes, as Python's bytes(range(256)) * 5
        for split in [0, 1, 55, 56, 63, 64, 65, 700, 1279] {
            var d = SHA256Digest()
            d.update(Array(data[..<split]))
            d.update(Array(data[split...]))
            #expect(d.finalizeHex() == "d414b085826eb06778483ba35564dc849e643359f69ed9747878ba6e54985bed", "split at \(split)")
            var s = SHA1Digest()
            s.update(Array(data[..<split]))
            s.update(Array(data[split...]))
            #expect(s.finalizeHex() == "e37a04cb2353309f5cff4ee036cfb91a5e31cefd", "split at \(split)")
        }
    }

    @Test func sha1AndGitBlobIDs() {
        var empty = SHA1Digest()
        #expect(empty.finalizeHex() == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        var blob = GitBlobDigest(size: 6)
        blob.update("hello\n")
        #expect(blob.finalizeHex() == "ce013625030ba8dba906f756967f9e9ca394464a")  // git hash-object
    }
}
