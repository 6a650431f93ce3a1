import FinchTensor
import FinchTestSupport
import FinchVision
import Testing

/// Deterministic transforms equal torchvision's (`Scripts/make_image_fixtures.py` writes
/// `Tests/Fixtures/images/transforms.json` with torchvision.transforms.v2.functional on float
/// tensors; resize is bilinear with antialias off).
@Suite struct TransformParityTests {
    static func fixture() throws -> TensorFixture { try TensorFixture.load("images/transforms.json") }

    /// Resize blends in Float32 as PyTorch does; the order of the additions may differ by an ulp.
    static let resizeTolerance: Float = 1e-6

    func check(_ name: String, _ transform: some ImageTransform, atol: Float = 0) throws {
        let f = try Self.fixture()
        let input = try f.tensor("input")
        let expected = try f.tensor(name)
        let output = transform(input)
        #expect(output.shape == expected.shape, "\(name): shape \(output.shape) vs \(expected.shape)")
        guard output.shape == expected.shape else { return }
        let difference = TestSupport.maxAbsDifference(output, expected)
        #expect(difference <= atol, "\(name): max difference \(difference)")
    }

    @Test func resizeDown() throws { try check("resize.7x5", Resize(height: 7, width: 5), atol: Self.resizeTolerance) }
    @Test func resizeUp() throws { try check("resize.20x17", Resize(height: 20, width: 17), atol: Self.resizeTolerance) }
    @Test func resizeShorterSide() throws { try check("resize.shorter6", Resize(shorterSide: 6), atol: Self.resizeTolerance) }
    @Test func resizeToSameSizeIsIdentity() throws { try check("resize.13x9", Resize(height: 13, width: 9)) }
    // 13→5 and 9→4: offsets 4 and round(2.5) = 2 (half to even); 13→8, 9→6: round(2.5) = 2, round(1.5) = 2.
    @Test func centerCrop() throws { try check("center_crop.5x4", CenterCrop(height: 5, width: 4)) }
    @Test func centerCropHalfToEven() throws { try check("center_crop.8x6", CenterCrop(height: 8, width: 6)) }
    @Test func centerCropLargerThanImagePads() throws { try check("center_crop.16x12", CenterCrop(height: 16, width: 12)) }
    @Test func horizontalFlip() throws { try check("hflip", HorizontalFlip()) }
    @Test func pad() throws { try check("pad.2", Pad(2)) }
    @Test func normalize() throws {
        try check("normalize", Normalize(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225]), atol: 0)
    }

    @Test func toTensorOfDecodedImage() throws {
        let image = try Image(contentsOfFile: TestSupport.fixtureURL("images/photo.png").path, as: .rgb)
        let expected = try Self.fixture().tensor("photo.to_tensor")
        #expect(image.tensor().shape == expected.shape)
        #expect(TestSupport.maxAbsDifference(image.tensor(), expected) == 0)
    }

    @Test func evaluationPipelineOnDecodedImage() throws {
        let image = try Image(contentsOfFile: TestSupport.fixtureURL("images/photo.png").path, as: .rgb)
        let pipeline = ImageTransformPipeline([
            Resize(shorterSide: 16), CenterCrop(height: 14, width: 14), Normalize(mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3]),
        ])
        let expected = try Self.fixture().tensor("photo.pipeline")
        let output = pipeline(image.tensor())
        #expect(output.shape == [3, 14, 14])
        // Normalize divides by 0.2–0.3, so resize's ulp grows to a few.
        #expect(TestSupport.maxAbsDifference(output, expected) <= 1e-5)
    }
}

/// Random transforms: fixed by the seed, and distributed as torchvision's (uniform offsets,
/// flips with the given chance).
@Suite struct TransformRandomTests {
    /// A 1×4×5 image of the distinct values 1...20 (padding reads 0), so a crop tells where it came from.
    static let ramp = Tensor(shape: [1, 4, 5], values: (1...20).map(Float.init))

    @Test func sameSeedSameCrops() {
        let t = ImageTransformPipeline([RandomCrop(height: 3, width: 3, padding: 2), RandomHorizontalFlip()])
        var a = FinchRNG(seed: 7), b = FinchRNG(seed: 7), c = FinchRNG(seed: 8)
        let runA = (0..<20).map { _ in t.apply(Self.ramp, rng: &a).scalars }
        let runB = (0..<20).map { _ in t.apply(Self.ramp, rng: &b).scalars }
        let runC = (0..<20).map { _ in t.apply(Self.ramp, rng: &c).scalars }
        #expect(runA == runB)
        #expect(runA != runC)
    }

    @Test func randomCropOffsetsAreUniformOverThePaddedImage() {
        // Padding 1 on a 4×5 image, crop 4×5: top and left each take 3 values with equal chance.
        let t = RandomCrop(height: 4, width: 5, padding: 1)
        var rng = FinchRNG(seed: 1)
        var counts: [[Float]: Int] = [:]
        let draws = 9000
        for _ in 0..<draws { counts[t.apply(Self.ramp, rng: &rng).scalars, default: 0] += 1 }
        // 9 placements (top, left ∈ {0, 1, 2}), each a different crop, each with chance 1/9.
        #expect(counts.count == 9)
        for (_, n) in counts { #expect(abs(n - draws / 9) < 200, "count \(n) vs \(draws / 9)") }
    }

    @Test func flipHappensWithItsProbability() {
        let t = RandomHorizontalFlip(probability: 0.3)
        var rng = FinchRNG(seed: 3)
        let flipped = HorizontalFlip()(Self.ramp).scalars
        var n = 0
        for _ in 0..<10_000 where t.apply(Self.ramp, rng: &rng).scalars == flipped { n += 1 }
        #expect(abs(n - 3000) < 150, "\(n) flips of 10000 at p = 0.3")
        var never = FinchRNG(seed: 3)
        #expect(RandomHorizontalFlip(probability: 0).apply(Self.ramp, rng: &never).scalars == Self.ramp.scalars)
    }

    @Test func paddedCropStaysInsideThePaddedFrame() {
        let t = RandomCrop(height: 4, width: 5, padding: 3)
        var rng = FinchRNG(seed: 11)
        for _ in 0..<200 {
            let out = t.apply(Self.ramp, rng: &rng)
            #expect(out.shape == [1, 4, 5])
            // Every value is a pixel of the image or padding (0).
            #expect(out.scalars.allSatisfy { $0 >= 0 && $0 <= 20 && $0 == $0.rounded() })
        }
    }
}
