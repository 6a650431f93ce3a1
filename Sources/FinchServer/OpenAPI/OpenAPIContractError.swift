/// What is wrong with the OpenAPI document itself (not with a response checked against it).
public enum OpenAPIContractError: Error, Equatable, CustomStringConvertible {
    /// The YAML does not parse, or uses what the checker does not read; the message locates it.
    case invalidYAML(String)
    /// A part the checker needs is missing or has the wrong type, at a JSON-pointer-like path.
    case malformed(path: String, problem: String)
    /// A `$ref` that does not resolve.
    case unresolvedReference(String)

    public var description: String {
        switch self {
        case .invalidYAML(let message): "openapi.yaml: \(message)"
        case .malformed(let path, let problem): "openapi.yaml: \(path): \(problem)"
        case .unresolvedReference(let reference): "openapi.yaml: $ref \(reference) does not resolve"
        }
    }
}
