import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import PropertyBased
import Testing

/// The safetensors reader on valid files with random damage: bytes changed,
/// inserted or deleted (mostly in the header, where parsing happens), the
/// file cut short, the length prefix replaced. Each must open as a file
/// whose every tensor lies inside it and reads back with its shape, or fail
/// with a `SafetensorsError`; a trap ends the run, which is the failure.
/// (Arbitrary bytes and random headers are covered by the property tests of
/// the readers of untrusted input.)
@Suite struct SafetensorsMutationPropertyTests {
    /// One damage: what, where (a fraction of the header, or of the file) and a byte or length.
    struct Mutation: Sendable {
        var kind: UInt8
        var position: UInt32
        var value: UInt64
    }

    /// A small file written by Finch (odd shapes, a scalar, metadata) and the tiny-bert checkpoint.
    static let originals: Result<[Data], any Error> = Result {
        var rng = FinchRNG(seed: 11)
        let tensors: [String: Tensor] = [
            "a": Tensor.randomNormal([3, 5], std: 1, rng: &rng), "b.weight": Tensor.randomNormal([7], std: 1, rng: &rng),
            "c": Tensor(scalar: 2.5), "empty": Tensor.zeros([0, 4]),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-mutation-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.write(tensors, metadata: ["format": "pt"], to: url)
        return [
            try Data(contentsOf: url),
            try Data(contentsOf: TestSupport.fixtureURL("tiny-bert").appendingPathComponent("model.safetensors")),
        ]
    }

    static let mutation = zip(Gen.uint8(in: 0...5), Gen.uint32(), Gen.uint64()).map { (t: (UInt8, UInt32, UInt64)) in
        Mutation(kind: t.0, position: t.1, value: t.2)
    }

    /// The length prefix of `data` (0 when it has fewer than 8 bytes).
    static func lengthPrefix(_ data: Data) -> UInt64 {
        guard data.count >= 8 else { return 0 }
        return data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// `data` with `mutation` applied.
    static func apply(_ mutation: Mutation, to data: inout Data) {
        guard !data.isEmpty else { return }
        let headerEnd = Swift.min(data.count, 8 + Int(Self.lengthPrefix(data) & 0xFFFF_FFFF))
        // Half the damages land in the length prefix or the header.
        let span = mutation.position % 2 == 0 ? data.count : Swift.max(1, headerEnd)
        let at = Int(mutation.position / 2) % span
        let byte = UInt8(truncatingIfNeeded: mutation.value)
        switch mutation.kind {
        case 0: data[at] = byte
        case 1: data[at] ^= 1 << (byte % 8)
        case 2: data.insert(byte, at: at)
        case 3: data.remove(at: at)
        case 4: data = data.prefix(at)
        default:
            // A new length prefix: near the real one, or anything.
            let length = mutation.value % 2 == 0 ? UInt64(Swift.max(0, headerEnd - 8)) &+ (mutation.value >> 1) % 17 &- 8 : mutation.value
            withUnsafeBytes(of: length.littleEndian) { data.replaceSubrange(0..<Swift.min(8, data.count), with: $0) }
        }
    }

    @Test func damagedFilesOpenConsistentlyOrFailWithASafetensorsError() async throws {
        let originals = try Self.originals.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-mutations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var opened = 0, refused = 0
        await propertyCheck(count: 400, input: Gen.int(in: 0...1), Self.mutation.array(of: 1...3)) { which, mutations in
            var data = originals[which]
            for m in mutations { Self.apply(m, to: &data) }
            let url = dir.appendingPathComponent("damaged-\(UUID().uuidString).safetensors")
            try data.write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            do {
                let file = try SafetensorsFile(contentsOf: url)
                opened += 1
                let headerLength = Int(Self.lengthPrefix(data))
                for name in file.names {
                    let info = try #require(file.info(name))
                    #expect(8 + headerLength + info.dataOffsets.upperBound <= data.count, "\(name) reaches past the file")
                    do {
                        let tensor = try file.tensor(named: name)
                        #expect(tensor.shape == info.shape && tensor.count == info.elementCount)
                    } catch {
                        #expect(error is SafetensorsError, "\(name): \(type(of: error)) \(error)")
                    }
                }
            } catch {
                refused += 1
                #expect(error is SafetensorsError, "\(type(of: error)): \(error)")
            }
        }
        // The damage is neither always fatal nor always harmless, so both paths are exercised.
        #expect(opened >= 5 && refused >= 5, "opened \(opened), refused \(refused)")
    }

    @Test func undamagedFilesReadBackExactly() throws {
        for data in try Self.originals.get() {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-intact-\(UUID().uuidString).safetensors")
            try data.write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let file = try SafetensorsFile(contentsOf: url)
            #expect(!file.names.isEmpty)
            for name in file.names { #expect(try file.tensor(named: name).shape == file.info(name)?.shape) }
        }
    }
}
