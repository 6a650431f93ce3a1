import FinchTestSupport
import FinchVision
import Foundation
import Testing

/// Decoding equals Pillow's pixels (`Scripts/make_image_fixtures.py` writes the files and
/// `numpy.asarray(Image.open(f).convert(mode))` into `Tests/Fixtures/images/decoded.json`).
@Suite struct ImageDecodingTests {
    static let files = [
        "gray1.png", "gray2.png", "gray4.png", "gray8.png", "gray16.png", "gray-alpha8.png", "gray-alpha16.png",
        "rgb8.png", "rgb16.png", "rgba8.png", "rgba16.png", "palette8.png", "palette4-trns.png", "photo.png",
        "photo420.jpg", "photo444.jpg", "photo-gray.jpg", "odd420.jpg",
    ]

    static func path(_ name: String) -> String { TestSupport.fixtureURL("images/\(name)").path }

    /// The expected samples as bytes, checking that the fixture's values are integers 0...255.
    static func expected(_ key: String) throws -> (shape: [Int], bytes: [UInt8]) {
        let tensor = try TensorFixture.load("images/decoded.json").tensor(key)
        let bytes = tensor.scalars.map { UInt8(exactly: $0) }
        #expect(!bytes.contains(nil), "\(key) holds non-byte values")
        return (tensor.shape, bytes.map { $0 ?? 0 })
    }

    @Test(arguments: files)
    func grayEqualsPillow(_ name: String) throws {
        let image = try Image(contentsOfFile: Self.path(name), as: .gray)
        let (shape, bytes) = try Self.expected("\(name).L")
        #expect([image.height, image.width] == shape)
        #expect(image.channels == 1)
        #expect(image.pixels == bytes, "\(name): gray pixels differ from Pillow's")
    }

    @Test(arguments: files)
    func rgbEqualsPillow(_ name: String) throws {
        let image = try Image(contentsOfFile: Self.path(name), as: .rgb)
        let (shape, bytes) = try Self.expected("\(name).RGB")
        #expect([image.height, image.width, 3] == shape)
        #expect(image.pixels == bytes, "\(name): RGB pixels differ from Pillow's")
    }

    @Test(arguments: files)
    func nativeModeKeepsGrayFilesGray(_ name: String) throws {
        let image = try Image(contentsOfFile: Self.path(name))
        let (shape, bytes) = try Self.expected("\(name).native")
        #expect(image.channels == (shape.count == 2 ? 1 : 3))
        #expect(image.pixels == bytes)
    }

    @Test func tensorIsChannelsFirstOver255() throws {
        let image = try Image(contentsOfFile: Self.path("rgb8.png"), as: .rgb)
        let tensor = image.tensor()
        #expect(tensor.shape == [3, 5, 7])
        // Pixel (y 2, x 3), channel 1.
        let sample = image.pixels[(2 * 7 + 3) * 3 + 1]
        #expect(tensor[1, 2, 3] == Float(sample) / 255)
    }

    @Test func decodesBytesInMemory() throws {
        let bytes = try [UInt8](Data(contentsOf: TestSupport.fixtureURL("images/photo420.jpg")))
        let fromMemory = try Image(decoding: bytes, as: .rgb)
        let fromFile = try Image(contentsOfFile: Self.path("photo420.jpg"), as: .rgb)
        #expect(fromMemory == fromFile)
    }
}

/// Bad files are rejected with an error that names the file and what is wrong.
@Suite struct ImageDecodingErrorTests {
    static func path(_ name: String) -> String { ImageDecodingTests.path(name) }

    static func error(_ name: String) -> ImageError? {
        do {
            _ = try Image(contentsOfFile: path(name), as: .rgb)
            return nil
        } catch { return error }
    }

    @Test func truncatedPNG() throws {
        let error = try #require(Self.error("bad-truncated.png"))
        guard case .corrupt = error else { Issue.record("expected corrupt, got \(error)"); return }
        #expect(error.file == Self.path("bad-truncated.png"))
        #expect(error.description.contains("bad-truncated.png: corrupt image:"))
        #expect(error.description.contains("truncated"))
    }

    @Test func badCRC() throws {
        let error = try #require(Self.error("bad-crc.png"))
        guard case let .corrupt(_, reason) = error else { Issue.record("expected corrupt, got \(error)"); return }
        #expect(reason.contains("CRC"))
    }

    @Test func truncatedJPEG() throws {
        let error = try #require(Self.error("bad-truncated.jpg"))
        guard case let .corrupt(file, reason) = error else { Issue.record("expected corrupt, got \(error)"); return }
        #expect(file.hasSuffix("bad-truncated.jpg"))
        #expect(reason.contains("Premature end of JPEG file"))
    }

    @Test func brokenJPEGHeader() throws {
        let error = try #require(Self.error("bad-header.jpg"))
        guard case .corrupt = error else { Issue.record("expected corrupt, got \(error)"); return }
        #expect(error.description.hasPrefix(Self.path("bad-header.jpg")))
    }

    @Test func unknownSignatureAndEmptyFile() {
        #expect(Self.error("bad-signature.bin") == .unknownFormat(file: Self.path("bad-signature.bin")))
        #expect(Self.error("bad-empty.png") == .unknownFormat(file: Self.path("bad-empty.png")))
    }

    @Test func missingFile() throws {
        let error = try #require(Self.error("no-such-image.png"))
        guard case let .unreadableFile(file, reason) = error else { Issue.record("expected unreadable, got \(error)"); return }
        #expect(file == Self.path("no-such-image.png"))
        #expect(!reason.isEmpty)
    }

    @Test func decodingSurvivesManyCorruptFilesInARow() throws {
        // Each failure longjmps inside C; a leak or a jump across Swift frames would show up here.
        let bytes = try [UInt8](Data(contentsOf: TestSupport.fixtureURL("images/photo420.jpg")))
        for cut in stride(from: 3, to: bytes.count, by: 37) {
            #expect(throws: ImageError.self) { try Image(decoding: Array(bytes[..<cut]), as: .rgb, file: "cut\(cut).jpg") }
        }
        #expect(try Image(decoding: bytes, as: .gray).channels == 1)
    }
}
