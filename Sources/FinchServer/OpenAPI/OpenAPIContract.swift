import Foundation

/// The service's OpenAPI document read as a contract: which operations exist, and whether a
/// response (status, media type, body) is one the document allows.
public struct OpenAPIContract: Sendable {
    /// One documented operation: an HTTP method and a path template (`/v1/collections/{name}`).
    public struct Operation: Hashable, Comparable, Sendable, CustomStringConvertible {
        /// Upper-case method (`GET`).
        public let method: String
        /// The template as the document writes it.
        public let path: String

        /// Creates an operation.
        public init(method: String, path: String) {
            self.method = method.uppercased()
            self.path = path
        }

        /// The template with parameter names dropped (`/v1/collections/{}`), so `{name}` and `{id}` compare equal.
        public var shape: String { OpenAPIContract.shape(of: path) }

        public var description: String { "\(method) \(path)" }

        public static func < (lhs: Operation, rhs: Operation) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
    }

    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The whole document.
    public let document: ContractValue
    /// Every operation of `paths`, sorted by path then method.
    public let operations: [Operation]

    /// Reads a document.
    /// - Throws: `OpenAPIContractError` when it is not YAML, not OpenAPI 3.1, or has no `paths`.
    public init(yaml: String) throws(OpenAPIContractError) {
        document = try ContractValue(yaml: yaml)
        guard let version = document["openapi"]?.string, version.hasPrefix("3.1.") else {
            throw .malformed(path: "openapi", problem: "expected an OpenAPI 3.1 version")
        }
        guard let paths = document["paths"]?.object else { throw .malformed(path: "paths", problem: "missing or not a map") }
        var found: [Operation] = []
        for (path, item) in paths {
            guard let members = item.object else { throw .malformed(path: "paths.\(path)", problem: "not a map") }
            for method in Self.methods where members[method] != nil { found.append(Operation(method: method, path: path)) }
        }
        operations = found.sorted()
    }

    /// The document compiled into this binary.
    public static func embedded() throws(OpenAPIContractError) -> OpenAPIContract {
        try OpenAPIContract(yaml: OpenAPIDocument.text)
    }

    /// A path template with its parameter names dropped: `/v1/keys/{id}` → `/v1/keys/{}`.
    public static func shape(of template: String) -> String {
        template.replacing(/\{[^}]*\}/, with: "{}")
    }

    /// The operation object of a method and template (compared by shape), if documented.
    public func operation(_ method: String, _ template: String) -> ContractValue? {
        let wanted = Operation(method: method, path: template)
        guard let match = operations.first(where: { $0.method == wanted.method && $0.shape == wanted.shape }) else { return nil }
        return document["paths"]?[match.path]?[method.lowercased()]
    }

    /// Every way a response breaks the document; empty when the document allows it.
    /// Checks that the status is documented for the operation, that the media type is one the
    /// response declares, and — for JSON — that the body conforms to the declared schema.
    public func violations(
        method: String, path template: String, status: Int, contentType: String?, body: [UInt8]
    ) throws(OpenAPIContractError) -> [String] {
        let name = "\(method.uppercased()) \(template) → \(status)"
        guard let operation = operation(method, template) else { return ["\(method.uppercased()) \(template) is not documented"] }
        guard let responses = operation["responses"]?.object else {
            throw .malformed(path: "paths.\(template).\(method.lowercased()).responses", problem: "missing")
        }
        let classKey = "\(status / 100)XX"
        guard var response = responses[String(status)] ?? responses[classKey] ?? responses["default"] else {
            return ["\(name): status \(status) is not documented (documented: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        let validator = JSONSchemaValidator(document: document)
        if let reference = response["$ref"]?.string { response = try validator.resolve(reference) }
        guard let content = response["content"]?.object else {
            return body.isEmpty ? [] : ["\(name): the document declares no body, the response has \(body.count) bytes"]
        }
        let mediaType = contentType.map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let media = content[mediaType] else {
            return ["\(name): media type '\(mediaType)' is not declared (declared: \(content.keys.sorted().joined(separator: ", ")))"]
        }
        guard mediaType.hasSuffix("json"), let schema = media["schema"] else { return [] }
        let value: ContractValue
        do {
            value = try JSONDecoder().decode(ContractValue.self, from: Data(body))
        } catch {
            return ["\(name): the body is not JSON (\(error))"]
        }
        return try validator.violations(of: value, against: schema).map { "\(name): \($0)" }
    }
}
