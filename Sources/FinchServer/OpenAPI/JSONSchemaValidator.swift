/// Checks JSON values against the part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that
/// `openapi.yaml` uses: `$ref` into the document, `type` (one or a list), `enum`, `const`,
/// `properties`, `required`, `additionalProperties`, `items`, `oneOf`, `anyOf`, `allOf`,
/// `minItems`/`maxItems`, `minLength`/`maxLength`, `pattern`, `minimum`/`maximum`. Annotations
/// (`description`, `default`, `format`, `example`) are not assertions and are ignored; any
/// other keyword is reported as unsupported, so the document cannot silently say more than is checked.
public struct JSONSchemaValidator: Sendable {
    /// The document `$ref`s resolve in.
    public let document: ContractValue

    static let annotations: Set<String> = ["description", "default", "format", "example", "examples", "title", "deprecated"]
    static let assertions: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "oneOf", "anyOf", "allOf",
        "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
    ]

    /// Creates a validator whose `$ref`s resolve in `document`.
    public init(document: ContractValue) {
        self.document = document
    }

    /// Every way `value` breaks `schema`, each as "path: problem" (`$.results[0].label: …`); empty when it conforms.
    /// - Throws: `OpenAPIContractError` when the schema itself is malformed or uses an unsupported keyword.
    public func violations(of value: ContractValue, against schema: ContractValue, at path: String = "$") throws(OpenAPIContractError)
        -> [String]
    {
        guard let keywords = schema.object else {
            if schema == .bool(true) { return [] }
            if schema == .bool(false) { return ["\(path): no value is allowed here"] }
            throw .malformed(path: path, problem: "a schema is not an object")
        }
        for keyword in keywords.keys where !Self.annotations.contains(keyword) && !Self.assertions.contains(keyword) {
            throw .malformed(path: path, problem: "unsupported schema keyword '\(keyword)'")
        }
        var found: [String] = []
        if let reference = keywords["$ref"] {
            guard let pointer = reference.string else { throw .malformed(path: path, problem: "$ref is not a string") }
            found += try violations(of: value, against: try resolve(pointer), at: path)
        }
        if let type = keywords["type"] {
            let names = type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 }
            guard !names.isEmpty else { throw .malformed(path: path, problem: "type is neither a name nor a list of names") }
            if !names.contains(where: { Self.value(value, hasType: $0) }) {
                found.append("\(path): expected \(names.joined(separator: " or ")), found \(Self.typeName(of: value))")
                return found
            }
        }
        if let allowed = keywords["enum"]?.array, !allowed.contains(value) {
            found.append("\(path): \(Self.brief(value)) is not one of the allowed values")
        }
        if let constant = keywords["const"], constant != value {
            found.append("\(path): expected \(Self.brief(constant)), found \(Self.brief(value))")
        }
        found += try objectViolations(value, keywords, path)
        found += try arrayViolations(value, keywords, path)
        found += Self.scalarViolations(value, keywords, path)
        if let pattern = keywords["pattern"], let text = value.string, try text.firstMatch(of: Self.regex(pattern, at: path)) == nil {
            found.append("\(path): \(Self.brief(value)) does not match the pattern \(pattern.string ?? "")")
        }
        found += try combinatorViolations(value, keywords, path)
        return found
    }

    /// A `pattern` (ECMA-262 syntax, unanchored) as a Swift regular expression.
    static func regex(_ pattern: ContractValue, at path: String) throws(OpenAPIContractError) -> Regex<AnyRegexOutput> {
        guard let source = pattern.string else { throw .malformed(path: path, problem: "pattern is not a string") }
        do { return try Regex(source) } catch { throw .malformed(path: path, problem: "pattern '\(source)' is not a regular expression") }
    }

    /// Checks a schema and every schema inside it (properties, items, combinators, references) for
    /// keywords the validator does not check and for references that do not resolve.
    public func checkSchema(_ schema: ContractValue, at path: String = "$") throws(OpenAPIContractError) {
        guard let keywords = schema.object else {
            if case .bool = schema { return }
            throw .malformed(path: path, problem: "a schema is not an object")
        }
        for keyword in keywords.keys where !Self.annotations.contains(keyword) && !Self.assertions.contains(keyword) {
            throw .malformed(path: path, problem: "unsupported schema keyword '\(keyword)'")
        }
        if let pointer = keywords["$ref"]?.string { _ = try resolve(pointer) }
        if let pattern = keywords["pattern"] { _ = try Self.regex(pattern, at: path) }
        for (name, property) in keywords["properties"]?.object ?? [:] { try checkSchema(property, at: "\(path).\(name)") }
        if let items = keywords["items"] { try checkSchema(items, at: "\(path)[]") }
        if let additional = keywords["additionalProperties"] { try checkSchema(additional, at: "\(path).*") }
        for combinator in ["oneOf", "anyOf", "allOf"] {
            for (index, option) in (keywords[combinator]?.array ?? []).enumerated() {
                try checkSchema(option, at: "\(path).\(combinator)[\(index)]")
            }
        }
    }

    /// The schema a local JSON pointer (`#/components/schemas/Error`) names.
    public func resolve(_ pointer: String) throws(OpenAPIContractError) -> ContractValue {
        guard pointer.hasPrefix("#/") else { throw .unresolvedReference(pointer) }
        var node = document
        for token in pointer.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            guard let next = node[key] else { throw .unresolvedReference(pointer) }
            node = next
        }
        return node
    }

    private func objectViolations(_ value: ContractValue, _ keywords: [String: ContractValue], _ path: String) throws(OpenAPIContractError)
        -> [String]
    {
        guard let members = value.object else { return [] }
        var found: [String] = []
        for name in keywords["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
            found.append("\(path): missing required member '\(name)'")
        }
        let properties = keywords["properties"]?.object ?? [:]
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let schema = properties[name] {
                found += try violations(of: member, against: schema, at: "\(path).\(name)")
            } else if let additional = keywords["additionalProperties"] {
                found += try violations(of: member, against: additional, at: "\(path).\(name)")
            }
        }
        return found
    }

    private func arrayViolations(_ value: ContractValue, _ keywords: [String: ContractValue], _ path: String) throws(OpenAPIContractError)
        -> [String]
    {
        guard let elements = value.array else { return [] }
        var found: [String] = []
        if let minimum = keywords["minItems"]?.number, Double(elements.count) < minimum {
            found.append("\(path): \(elements.count) items, fewer than \(Int(minimum))")
        }
        if let maximum = keywords["maxItems"]?.number, Double(elements.count) > maximum {
            found.append("\(path): \(elements.count) items, more than \(Int(maximum))")
        }
        if let items = keywords["items"] {
            for (index, element) in elements.enumerated() {
                found += try violations(of: element, against: items, at: "\(path)[\(index)]")
            }
        }
        return found
    }

    private static func scalarViolations(_ value: ContractValue, _ keywords: [String: ContractValue], _ path: String) -> [String] {
        var found: [String] = []
        if let text = value.string {
            let length = Double(text.unicodeScalars.count)
            if let minimum = keywords["minLength"]?.number, length < minimum {
                found.append("\(path): \(Int(length)) characters, fewer than \(Int(minimum))")
            }
            if let maximum = keywords["maxLength"]?.number, length > maximum {
                found.append("\(path): \(Int(length)) characters, more than \(Int(maximum))")
            }
        }
        if let number = value.number {
            if let minimum = keywords["minimum"]?.number, number < minimum { found.append("\(path): \(number) is below \(minimum)") }
            if let maximum = keywords["maximum"]?.number, number > maximum { found.append("\(path): \(number) is above \(maximum)") }
        }
        return found
    }

    private func combinatorViolations(_ value: ContractValue, _ keywords: [String: ContractValue], _ path: String)
        throws(OpenAPIContractError) -> [String]
    {
        var found: [String] = []
        for schema in keywords["allOf"]?.array ?? [] {
            found += try violations(of: value, against: schema, at: path)
        }
        if let options = keywords["anyOf"]?.array, try matches(value, options, path) == 0 {
            found.append("\(path): matches none of the anyOf schemas")
        }
        if let options = keywords["oneOf"]?.array {
            let count = try matches(value, options, path)
            if count != 1 { found.append("\(path): matches \(count) of the oneOf schemas, not exactly one") }
        }
        return found
    }

    /// How many of `schemas` the value conforms to.
    private func matches(_ value: ContractValue, _ schemas: [ContractValue], _ path: String) throws(OpenAPIContractError) -> Int {
        var count = 0
        for schema in schemas {
            if try violations(of: value, against: schema, at: path).isEmpty { count += 1 }
        }
        return count
    }

    static func value(_ value: ContractValue, hasType name: String) -> Bool {
        switch (name, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .integer), ("number", .integer), ("number", .number): true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }

    static func typeName(of value: ContractValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func brief(_ value: ContractValue) -> String {
        switch value {
        case .string(let text): "'\(text.prefix(40))'"
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): String(flag)
        default: typeName(of: value)
        }
    }
}
