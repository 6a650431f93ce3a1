import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchNN

/// A fresh directory under the system temp directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-nn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Bytes of a safetensors file: 8-byte little-endian length, `header`, `data`.
func safetensorsBytes(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> Data {
    let json = Array(header.utf8)
    var out = Data()
    withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: json)
    out.append(contentsOf: data)
    return out
}

/// The little-endian bytes of `values` as F32.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
}

@Suite("Safetensors reading")
struct SafetensorsReadingTests {
    @Test func readsEveryDtypeTheReferenceWrote() throws {
        let file = try SafetensorsFile(contentsOf: TestSupport.fixtureURL("safetensors/dtypes.safetensors"))
        let expected = try TensorFixture.load("safetensors/dtypes.json")
        #expect(file.names == ["brain", "bytes", "double", "flags", "half", "i32", "ids", "scalar", "single"])
        #expect(file.metadata == ["format": "pt", "made_by": "make_safetensors_fixtures.py"])
        #expect(file.info("half") == SafetensorsTensorInfo(dtype: .float16, shape: [3, 4], dataOffsets: file.info("half")!.dataOffsets))
        #expect(file.info("brain")?.dtype == .bfloat16)
        #expect(file.info("ids")?.shape == [1, 6])
        #expect(file.info("scalar")?.shape == [])
        #expect(file.info("absent") == nil)

        for name in ["half", "brain", "single", "double", "scalar"] {
            let tensor = try file.tensor(named: name)
            let reference = try expected.tensor(name)
            #expect(tensor.shape == reference.shape, "\(name)")
            // F16/BF16 → F32 is exact, and F64 was rounded to F32 by the script as by the reader.
            #expect(tensor.scalars.map(\.bitPattern) == reference.scalars.map(\.bitPattern), "\(name)")
        }
        func integers(_ key: String) -> [Int64] { expected.meta[key]!.split(separator: ",").map { Int64($0)! } }
        #expect(try file.int64Tensor(named: "ids").scalars == integers("ids"))
        #expect(try file.int64Tensor(named: "ids").shape == [1, 6])
        #expect(try file.int64Tensor(named: "ids").ints == integers("ids").map { Int($0) })
        #expect(try file.int64Tensor(named: "i32").scalars == integers("i32"))
        #expect(try file.int64Tensor(named: "bytes").scalars == integers("bytes"))
        #expect(try file.int64Tensor(named: "flags").scalars == integers("flags"))

        let floats = try file.tensors()
        #expect(Set(floats.keys) == ["half", "brain", "single", "double", "scalar"])
    }

    @Test func integerAndFloatTensorsStayApart() throws {
        let url = TestSupport.fixtureURL("safetensors/dtypes.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        #expect(throws: SafetensorsError.unsupportedDtype(file: url.path, tensor: "ids", dtype: "I64", wanted: "float")) {
            try file.tensor(named: "ids")
        }
        #expect(throws: SafetensorsError.unsupportedDtype(file: url.path, tensor: "half", dtype: "F16", wanted: "integer")) {
            try file.int64Tensor(named: "half")
        }
        #expect(throws: SafetensorsError.missingTensor(file: url.path, tensor: "nope")) {
            try file.tensor(named: "nope")
        }
    }

    @Test func alignedFloat32TensorsBorrowTheMappingAndWritesStayPrivate() throws {
        let url = TestSupport.fixtureURL("safetensors/reference_f32.safetensors")
        let original = try Data(contentsOf: url)
        let file = try SafetensorsFile(contentsOf: url)
        let a = try file.tensor(named: "weight")
        let b = try file.tensor(named: "weight")
        // Two reads of a borrowed tensor see the same memory; copies would not.
        #expect(a.storage.pointer == b.storage.pointer)
        let before = a.scalars
        a.withUnsafeMutableStorage { $0[0] += 1 }
        #expect(b.scalars[0] == before[0] + 1)
        #expect(try Data(contentsOf: url) == original)
        #expect(try SafetensorsFile(contentsOf: url).tensor(named: "weight").scalars == before)
    }

    @Test func unalignedFloat32DataIsCopied() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        // 8 + 61 header bytes: the data section starts at an odd address.
        var header = #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#
        header += String(repeating: " ", count: 61 - header.utf8.count)
        let values: [Float] = [1.5, -2.25, 1e-30]
        let url = dir.file("unaligned.safetensors")
        try safetensorsBytes(header: header, data: float32Bytes(values)).write(to: url)
        let file = try SafetensorsFile(contentsOf: url)
        let a = try file.tensor(named: "x")
        let b = try file.tensor(named: "x")
        #expect(a.scalars == values)
        #expect(a.storage.pointer != b.storage.pointer)
    }

    @Test func float16ConversionMatchesTheHardwareForEveryBitPattern() {
        #if !(os(macOS) && arch(x86_64))
            var mismatches = 0
            for bits in 0...UInt16.max {
                let ours = HalfPrecision.float(fromFloat16Bits: bits)
                let reference = Float(Float16(bitPattern: bits))
                if ours.isNaN ? !reference.isNaN : ours.bitPattern != reference.bitPattern { mismatches += 1 }
            }
            #expect(mismatches == 0)
        #endif
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7C00) == .infinity)
        #expect(HalfPrecision.float(fromFloat16Bits: 0xFC00) == -.infinity)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromBFloat16Bits: 0x3FC0) == 1.5)
    }
}

@Suite("Safetensors writing")
struct SafetensorsWritingTests {
    @Test func writesTheSameBytesAsTheReference() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let fixture = try TensorFixture.load("safetensors/reference_f32.json")
        var tensors: [String: Tensor] = [:]
        for name in fixture.tensors.keys { tensors[name] = try fixture.tensor(name) }
        let url = dir.file("ours.safetensors")
        try Safetensors.write(tensors, metadata: ["format": "pt"], to: url)
        let reference = try Data(contentsOf: TestSupport.fixtureURL("safetensors/reference_f32.safetensors"))
        #expect(try Data(contentsOf: url) == reference)
    }

    @Test func roundTripsShapesValuesAndMetadata() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        var rng = FinchRNG(seed: 11)
        let tensors: [String: Tensor] = [
            "encoder.layer.0.attention.self.query.weight": Tensor.randomNormal([13, 7], rng: &rng),
            "bias": Tensor.randomNormal([7], rng: &rng),
            "scalar": Tensor(scalar: -0.0),
            "empty": Tensor.zeros([0, 3]),
            "odd \"name\" ✓\n\u{01}": Tensor.randomNormal([1, 5, 1], rng: &rng),
        ]
        let metadata = ["format": "pt", "note": "quotes \" backslash \\ tab \t ünïcode", "z": ""]
        let url = dir.file("round.safetensors")
        try Safetensors.write(tensors, metadata: metadata, to: url)

        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == metadata)
        #expect(file.names == tensors.keys.sorted())
        for (name, tensor) in tensors {
            #expect(file.info(name)?.dtype == .float32)
            let read = try file.tensor(named: name)
            #expect(read.shape == tensor.shape, "\(name)")
            #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        #expect(headerLength % 8 == 0)
        // Nothing but the result is left in the directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["round.safetensors"])
    }

    @Test func replacesAnExistingFileWhole() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("model.safetensors")
        try Safetensors.write(["a": Tensor.ones([1000])], to: url)
        try Safetensors.write(["b": Tensor([1, 2, 3])], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.names == ["b"])
        #expect(file.metadata.isEmpty)
        #expect(try file.tensor(named: "b").scalars == [1, 2, 3])

        // Saving over the file that the tensors being saved borrow from.
        let borrowed = try file.tensor(named: "b")
        try Safetensors.write(["b": borrowed, "c": Tensor([4])], to: url)
        #expect(borrowed.scalars == [1, 2, 3])
        let rewritten = try SafetensorsFile(contentsOf: url)
        #expect(rewritten.names == ["b", "c"])
        #expect(try rewritten.tensor(named: "b").scalars == [1, 2, 3])
    }

    @Test func rejectsTheReservedNameAndUnwritablePlaces() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("x.safetensors")
        #expect(throws: SafetensorsError.invalidTensorName(file: url.path, tensor: "__metadata__")) {
            try Safetensors.write(["__metadata__": Tensor([1])], to: url)
        }
        let missing = dir.file("no/such/dir/x.safetensors")
        let error = #expect(throws: SafetensorsError.self) { try Safetensors.write(["a": Tensor([1])], to: missing) }
        guard case .writeFailed(let file, _)? = error else {
            Issue.record("expected writeFailed, got \(String(describing: error))")
            return
        }
        #expect(file == missing.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
    }
}
