import Foundation

/// How one setting's values are drawn.
public enum ParameterDistribution: Sendable, Equatable {
    /// Uniform on [low, high].
    case uniform(low: Double, high: Double)
    /// Uniform in the logarithm on [low, high] (low > 0): as likely in [1e-5, 1e-4] as in [1e-4, 1e-3].
    case logUniform(low: Double, high: Double)
    /// A whole number in low...high, each equally likely.
    case integer(low: Int, high: Int)
    /// One of the values, each equally likely.
    case categorical([TuneValue])
}

/// One searched setting: its name and how its values are drawn.
public struct SearchParameter: Sendable, Equatable {
    /// The setting.
    public var setting: TunableSetting
    /// How its values are drawn.
    public var distribution: ParameterDistribution
    /// The specification it was parsed from (`lr=loguniform(1e-5,2e-4)`).
    public var specification: String

    /// The setting's name (`lr`).
    public var name: String { setting.rawValue }
}

/// A specification `finch tune` cannot use.
public struct SearchSpaceError: Error, Equatable, CustomStringConvertible {
    /// The specification as given.
    public var specification: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "'\(specification)': \(reason)" }
}

/// The settings a study searches, each parsed from a `name=spec` string:
///
/// - `lr=loguniform(1e-5,2e-4)`: uniform in the logarithm between the two ends (low above 0);
/// - `warmup-ratio=uniform(0,0.2)`: uniform between the two ends;
/// - `epochs=int(1,4)`: a whole number between the two ends, both included;
/// - `batch-size=16,32` or `schedule=linear,cosine`: one of the listed values.
///
/// The low end must be below the high end, and both inside the setting's valid range.
/// Names are the `finch train` flags without dashes (`TunableSetting`).
public struct SearchSpace: Sendable, Equatable {
    /// The searched settings, in the order given.
    public var parameters: [SearchParameter]

    /// A space from already-made parameters.
    public init(parameters: [SearchParameter]) { self.parameters = parameters }

    /// Parses each `name=spec`.
    /// - Throws: `SearchSpaceError` naming the specification and what is wrong.
    public init(parsing specifications: [String]) throws {
        var parameters: [SearchParameter] = []
        for spec in specifications {
            let p = try Self.parse(spec)
            if parameters.contains(where: { $0.setting == p.setting }) {
                throw SearchSpaceError(specification: spec, reason: "'\(p.name)' is searched twice; give it once")
            }
            parameters.append(p)
        }
        guard !parameters.isEmpty else {
            throw SearchSpaceError(specification: "", reason: "nothing to search; give at least one name=spec")
        }
        self.parameters = parameters
    }

    /// Parses one `name=spec`.
    /// - Throws: `SearchSpaceError`.
    public static func parse(_ spec: String) throws -> SearchParameter {
        func fail(_ reason: String) -> SearchSpaceError { SearchSpaceError(specification: spec, reason: reason) }
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw fail("expected name=spec, as lr=loguniform(1e-5,2e-4) or batch-size=16,32")
        }
        let known = TunableSetting.allCases.map(\.rawValue).joined(separator: ", ")
        guard let setting = TunableSetting(rawValue: parts[0]) else {
            throw fail("unknown setting '\(parts[0])'; the settings that can be searched are \(known)")
        }
        let body = parts[1]
        let distribution: ParameterDistribution
        if let open = body.firstIndex(of: "("), body.hasSuffix(")") {
            let function = body[..<open].trimmingCharacters(in: .whitespaces).lowercased()
            let arguments = body[body.index(after: open)..<body.index(before: body.endIndex)]
                .split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard arguments.count == 2 else { throw fail("\(function)(a,b) takes two numbers, got \(arguments.count)") }
            switch function {
            case "uniform", "loguniform":
                guard setting.kind == .real else {
                    throw fail(
                        "'\(setting.rawValue)' takes "
                            + (setting.kind == .integer ? "whole numbers: use int(a,b) or a list" : "a list of values"))
                }
                guard let a = Double(arguments[0]), let b = Double(arguments[1]), a.isFinite, b.isFinite else {
                    throw fail("\(function)(a,b) needs two numbers, got '\(arguments[0])' and '\(arguments[1])'")
                }
                guard a < b else { throw fail("the low end \(arguments[0]) must be below the high end \(arguments[1])") }
                if function == "loguniform" {
                    guard a > 0 else { throw fail("loguniform needs a low end above 0, got \(arguments[0])") }
                    distribution = .logUniform(low: a, high: b)
                } else {
                    distribution = .uniform(low: a, high: b)
                }
                try check(setting, [a, b], fail)
            case "int":
                guard setting.kind == .integer else {
                    throw fail(
                        "'\(setting.rawValue)' takes "
                            + (setting.kind == .real ? "real numbers: use uniform(a,b) or loguniform(a,b)" : "a list of values"))
                }
                guard let a = Int(arguments[0]), let b = Int(arguments[1]) else {
                    throw fail("int(a,b) needs two whole numbers, got '\(arguments[0])' and '\(arguments[1])'")
                }
                guard a < b else { throw fail("the low end \(a) must be below the high end \(b)") }
                try check(setting, [Double(a), Double(b)], fail)
                distribution = .integer(low: a, high: b)
            default:
                throw fail("unknown distribution '\(function)'; use uniform(a,b), loguniform(a,b), int(a,b) or a list a,b,c")
            }
        } else if body.contains("(") || body.contains(")") {
            throw fail("unbalanced parentheses; use uniform(a,b), loguniform(a,b), int(a,b) or a list a,b,c")
        } else {
            let items = body.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !items.contains(where: \.isEmpty) else { throw fail("a list with an empty value") }
            var values: [TuneValue] = []
            for item in items {
                let value: TuneValue
                switch setting.kind {
                case .real:
                    guard let v = Double(item), v.isFinite else { throw fail("'\(item)' is not a number") }
                    try check(setting, [v], fail)
                    value = .real(v)
                case .integer:
                    guard let v = Int(item) else { throw fail("'\(item)' is not a whole number") }
                    try check(setting, [Double(v)], fail)
                    value = .integer(v)
                case .choice(let words):
                    guard words.contains(item) else {
                        throw fail("'\(item)' is not a \(setting.rawValue); choose from \(words.joined(separator: ", "))")
                    }
                    value = .text(item)
                }
                guard !values.contains(value) else { throw fail("'\(item)' is listed twice") }
                values.append(value)
            }
            distribution = .categorical(values)
        }
        return SearchParameter(setting: setting, distribution: distribution, specification: spec)
    }

    private static func check(_ setting: TunableSetting, _ values: [Double], _ fail: (String) -> SearchSpaceError) throws {
        let range = setting.range
        for v in values where !range.contains(v) {
            throw fail("\(setting.rawValue) \(range.words), got \(TuneValue.real(v).short)")
        }
    }
}
