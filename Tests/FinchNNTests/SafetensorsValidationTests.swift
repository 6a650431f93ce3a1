import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

/// A malformed file and the error it must raise (`expected` gets the file's path).
struct CorruptCase: CustomTestStringConvertible, Sendable {
    let label: String
    let bytes: Data
    let expected: @Sendable (String) -> SafetensorsError
    var testDescription: String { label }

    init(
        _ label: String, header: String, data: [UInt8] = [], declaredLength: UInt64? = nil,
        _ expected: @escaping @Sendable (String) -> SafetensorsError
    ) {
        self.label = label
        self.bytes = safetensorsBytes(header: header, data: data, declaredLength: declaredLength)
        self.expected = expected
    }

    init(_ label: String, raw: Data, _ expected: @escaping @Sendable (String) -> SafetensorsError) {
        self.label = label
        self.bytes = raw
        self.expected = expected
    }
}

/// Header entry for a tensor.
func entry(_ name: String, _ dtype: String = "F32", shape: [Int], offsets: [Int]) -> String {
    "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
}

let corruptCases: [CorruptCase] = [
    CorruptCase("under 8 bytes", raw: Data([1, 2, 3, 4, 5])) { .fileTooSmall(file: $0, size: 5) },
    CorruptCase("length beyond file", header: "{}", declaredLength: 1000) {
        .headerLengthBeyondFile(file: $0, headerLength: 1000, fileSize: 10)
    },
    CorruptCase("length over the limit", header: "{}", declaredLength: 200_000_000) {
        .headerTooLarge(file: $0, headerLength: 200_000_000)
    },
    CorruptCase("unknown dtype", header: "{\(entry("w", "F17", shape: [2], offsets: [0, 8]))}", data: [UInt8](repeating: 0, count: 8)) {
        .unknownDtype(file: $0, tensor: "w", dtype: "F17")
    },
    CorruptCase("negative dimension", header: "{\(entry("w", shape: [-2], offsets: [0, 8]))}", data: [UInt8](repeating: 0, count: 8)) {
        .invalidShape(file: $0, tensor: "w", shape: [-2])
    },
    CorruptCase("element count overflow", header: "{\(entry("w", shape: [1 << 40, 1 << 40], offsets: [0, 8]))}") {
        .invalidShape(file: $0, tensor: "w", shape: [1 << 40, 1 << 40])
    },
    CorruptCase("reversed offsets", header: "{\(entry("w", shape: [2], offsets: [8, 0]))}", data: [UInt8](repeating: 0, count: 8)) {
        .invalidOffsets(file: $0, tensor: "w", offsets: [8, 0])
    },
    CorruptCase("three offsets", header: "{\(entry("w", shape: [2], offsets: [0, 8, 9]))}", data: [UInt8](repeating: 0, count: 8)) {
        .invalidOffsets(file: $0, tensor: "w", offsets: [0, 8, 9])
    },
    CorruptCase("shape × dtype ≠ range", header: "{\(entry("w", shape: [2], offsets: [0, 12]))}", data: [UInt8](repeating: 0, count: 12)) {
        .sizeMismatch(file: $0, tensor: "w", dtype: "F32", shape: [2], expectedBytes: 8, actualBytes: 12)
    },
    CorruptCase(
        "overlapping tensors",
        header: "{\(entry("a", shape: [2], offsets: [0, 8])),\(entry("b", shape: [2], offsets: [4, 12]))}",
        data: [UInt8](repeating: 0, count: 12)
    ) { .overlappingTensors(file: $0, first: "a", second: "b") },
    CorruptCase(
        "gap between tensors",
        header: "{\(entry("a", shape: [2], offsets: [0, 8])),\(entry("b", shape: [2], offsets: [12, 20]))}",
        data: [UInt8](repeating: 0, count: 20)
    ) { .uncoveredBytes(file: $0, gapStart: 8, gapEnd: 12) },
    CorruptCase("trailing bytes", header: "{\(entry("a", shape: [2], offsets: [0, 8]))}", data: [UInt8](repeating: 0, count: 11)) {
        .uncoveredBytes(file: $0, gapStart: 8, gapEnd: 11)
    },
    CorruptCase("truncated data", header: "{\(entry("a", shape: [2], offsets: [0, 8]))}", data: [UInt8](repeating: 0, count: 5)) {
        .truncated(file: $0, dataBytes: 5, expectedBytes: 8)
    },
]

/// Headers that are not JSON of the right structure, and a phrase the reason must contain.
let invalidHeaderCases: [(label: String, header: String, phrase: String)] = [
    ("cut-off JSON", #"{"w":{"dtype":"F32","#, "not valid JSON"),
    ("not an object", "[1, 2]", "does not start with '{'"),
    ("missing data_offsets", #"{"w":{"dtype":"F32","shape":[2]}}"#, "data_offsets"),
    ("shape of the wrong type", #"{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, "'w'.'shape'"),
    ("fractional offset", #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8.5]}}"#, "data_offsets"),
    ("metadata value not a string", #"{"__metadata__":{"epochs":3}}"#, "'__metadata__'.'epochs'"),
    ("invalid UTF-8", "{\"w\u{FFFF}", "not valid JSON"),
]

@Suite("Safetensors validation")
struct SafetensorsValidationTests {
    @Test(arguments: corruptCases)
    func rejectsMalformedFiles(_ testCase: CorruptCase) throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("bad.safetensors")
        try testCase.bytes.write(to: url)
        let expected = testCase.expected(url.path)
        #expect(throws: expected) { try SafetensorsFile(contentsOf: url) }
        #expect(expected.description.contains(url.path))
    }

    @Test(arguments: invalidHeaderCases.indices)
    func rejectsHeadersThatAreNotTheExpectedJSON(_ index: Int) throws {
        let testCase = invalidHeaderCases[index]
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let url = dir.file("bad.safetensors")
        var bytes = safetensorsBytes(header: testCase.header, data: [])
        if testCase.label == "invalid UTF-8" {
            // Replace the encoded U+FFFF (EF BF BF) by a byte that is never valid UTF-8.
            let range = bytes.range(of: Data([0xEF, 0xBF, 0xBF]))!
            bytes.replaceSubrange(range, with: [0xFF, 0x22, 0x7D])
        }
        try bytes.write(to: url)
        let error = #expect(throws: SafetensorsError.self, "\(testCase.label)") { try SafetensorsFile(contentsOf: url) }
        guard case .invalidHeader(let file, let reason)? = error else {
            Issue.record("\(testCase.label): expected invalidHeader, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
        #expect(reason.contains(testCase.phrase), "\(testCase.label): \(reason)")
    }

    @Test func rejectsMissingFilesAndDirectories() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }
        let missing = dir.file("absent.safetensors")
        #expect(throws: SafetensorsError.unreadable(file: missing.path, reason: "No such file or directory")) {
            try SafetensorsFile(contentsOf: missing)
        }
        #expect(throws: SafetensorsError.unreadable(file: dir.url.path, reason: "not a regular file")) {
            try SafetensorsFile(contentsOf: dir.url)
        }
    }
}

@Suite("Safetensors: the real all-MiniLM-L6-v2 checkpoint")
struct MiniLMCheckpointTests {
    /// BERT's parameter names and shapes for all-MiniLM-L6-v2 (hidden 384,
    /// 6 layers, intermediate 1536, vocab 30522, 512 positions).
    static func expectedShapes() -> [String: [Int]] {
        let (hidden, intermediate) = (384, 1536)
        var shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [30522, hidden],
            "embeddings.position_embeddings.weight": [512, hidden],
            "embeddings.token_type_embeddings.weight": [2, hidden],
            "embeddings.LayerNorm.weight": [hidden],
            "embeddings.LayerNorm.bias": [hidden],
            "embeddings.position_ids": [1, 512],
            "pooler.dense.weight": [hidden, hidden],
            "pooler.dense.bias": [hidden],
        ]
        for layer in 0..<6 {
            let p = "encoder.layer.\(layer)."
            for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                shapes[p + name + ".weight"] = [hidden, hidden]
                shapes[p + name + ".bias"] = [hidden]
            }
            shapes[p + "attention.output.LayerNorm.weight"] = [hidden]
            shapes[p + "attention.output.LayerNorm.bias"] = [hidden]
            shapes[p + "intermediate.dense.weight"] = [intermediate, hidden]
            shapes[p + "intermediate.dense.bias"] = [intermediate]
            shapes[p + "output.dense.weight"] = [hidden, intermediate]
            shapes[p + "output.dense.bias"] = [hidden]
            shapes[p + "output.LayerNorm.weight"] = [hidden]
            shapes[p + "output.LayerNorm.bias"] = [hidden]
        }
        return shapes
    }

    @Test func listsAll104TensorsWithTheirShapesAndValues() throws {
        let url = try TestSupport.miniLMDirectory().appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        let expected = Self.expectedShapes()
        #expect(file.names.count == 104)
        #expect(Set(file.names) == Set(expected.keys))
        for name in file.names {
            #expect(file.info(name)?.shape == expected[name], "\(name)")
        }
        let float32 = file.names.filter { file.info($0)?.dtype == .float32 }
        #expect(float32.count == 103)
        #expect(file.info("embeddings.position_ids")?.dtype == .int64)
        #expect(try file.int64Tensor(named: "embeddings.position_ids").ints == Array(0..<512))
        #expect(file.metadata["format"] == "pt")

        // Values: every float tensor's sum and first elements against the reference reader.
        let probe = try TensorFixture.load("safetensors/minilm_probe.json")
        let tensors = try file.tensors()
        #expect(tensors.count == 103)
        for (name, tensor) in tensors {
            let head = try probe.tensor(name + ".head").scalars
            #expect(Array(tensor.scalars.prefix(3)) == head, "\(name)")
            let sum = tensor.withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1) } }
            let reference = Double(try probe.tensor(name + ".sum").item)
            #expect(Swift.abs(sum - reference) <= 1e-6 * Swift.max(1, Swift.abs(reference)), "\(name): \(sum) vs \(reference)")
        }
    }

    @Test func rejectsATruncatedCopyNamingTheProblem() throws {
        let url = try TestSupport.miniLMDirectory().appendingPathComponent("model.safetensors")
        let whole = try Data(contentsOf: url, options: .alwaysMapped)
        let headerLength = Int(whole.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        let dir = try TemporaryDirectory()
        defer { dir.cleanUp() }

        let cut = dir.file("cut.safetensors")
        try whole.prefix(whole.count - 1000).write(to: cut)
        let dataBytes = whole.count - 8 - headerLength
        let expected = SafetensorsError.truncated(file: cut.path, dataBytes: dataBytes - 1000, expectedBytes: dataBytes)
        #expect(throws: expected) { try SafetensorsFile(contentsOf: cut) }
        #expect(expected.description.contains("truncated"))

        let cutInHeader = dir.file("cut-header.safetensors")
        try whole.prefix(4000).write(to: cutInHeader)
        #expect(throws: SafetensorsError.headerLengthBeyondFile(file: cutInHeader.path, headerLength: UInt64(headerLength), fileSize: 4000))
        {
            try SafetensorsFile(contentsOf: cutInHeader)
        }
    }
}
