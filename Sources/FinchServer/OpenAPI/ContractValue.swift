import Foundation
import Yams

/// A JSON value, read either from a response body (JSON) or from the OpenAPI document (YAML), so
/// the contract check compares one kind of thing. Integers and other numbers stay apart because
/// JSON Schema's `integer` needs them to.
public indirect enum ContractValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([ContractValue])
    case object([String: ContractValue])

    /// The member of an object, if this is one and has it.
    public subscript(key: String) -> ContractValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var array: [ContractValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members, if this is an object.
    public var object: [String: ContractValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The number, if this is an integer or another number.
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// Reads a YAML document (the OpenAPI document). Scalars take the type YAML's core schema
    /// resolves for them; quoted scalars are strings.
    public init(yaml: String) throws(OpenAPIContractError) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw .invalidYAML(String(describing: error))
        }
        guard let node else { throw .invalidYAML("the document is empty") }
        self = try Self(node: node, at: "")
    }

    private init(node: Node, at path: String) throws(OpenAPIContractError) {
        switch node {
        case .scalar(let scalar):
            // The type Yams's resolver gives the scalar (YAML 1.1 rules, as PyYAML's; quoted scalars are strings).
            switch node.any {
            case is NSNull: self = .null
            case let value as Bool: self = .bool(value)
            case let value as Int: self = .integer(value)
            case let value as Double: self = .number(value)
            default: self = .string(scalar.string)
            }
        case .sequence(let sequence):
            var elements: [ContractValue] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try ContractValue(node: element, at: "\(path)[\(index)]"))
            }
            self = .array(elements)
        case .mapping(let mapping):
            var members: [String: ContractValue] = [:]
            for (key, value) in mapping {
                guard let name = key.string else { throw .invalidYAML(Self.at(path, "a key is not a string")) }
                members[name] = try ContractValue(node: value, at: path.isEmpty ? name : "\(path).\(name)")
            }
            self = .object(members)
        case .alias:
            throw .invalidYAML(Self.at(path, "YAML aliases are not used in the document"))
        }
    }

    private static func at(_ path: String, _ problem: String) -> String {
        path.isEmpty ? problem : "\(path): \(problem)"
    }
}

extension ContractValue: Decodable {
    /// Reads any JSON value (with `JSONDecoder`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        /// The value as `type`, or nil when the JSON value is of another type (any other error is thrown).
        func probe<T: Decodable>(_ type: T.Type) throws -> T? {
            do {
                return try container.decode(type)
            } catch DecodingError.typeMismatch {
                return nil
            }
        }
        if container.decodeNil() {
            self = .null
        } else if let value = try probe(Bool.self) {
            self = .bool(value)
        } else if let value = try probe(Double.self) {
            // Integral numbers are integers, as JSON Schema counts them (exact up to 2^53).
            self = value.rounded() == value && abs(value) < 0x1p53 ? .integer(Int(value)) : .number(value)
        } else if let value = try probe(String.self) {
            self = .string(value)
        } else if let value = try probe([ContractValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ContractValue].self))
        }
    }
}
