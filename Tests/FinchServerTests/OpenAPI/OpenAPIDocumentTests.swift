import Foundation
import Testing

@testable import FinchServer

/// The embedded `openapi.yaml` is a well-formed OpenAPI 3.1 document the contract checker can read whole.
@Suite struct OpenAPIDocumentTests {
    @Test func parsesAsOpenAPI31WithOperations() throws {
        let contract = try OpenAPIContract.embedded()
        #expect(contract.document["openapi"] == .string("3.1.0"))
        #expect(contract.operations.count >= 30)
        #expect(contract.operations.contains(OpenAPIContract.Operation(method: "post", path: "/v1/embed")))
        #expect(contract.operations.contains(OpenAPIContract.Operation(method: "GET", path: "/openapi.yaml")))
    }

    @Test func operationIDsAreUniqueAndEveryOperationHasResponses() throws {
        let contract = try OpenAPIContract.embedded()
        var ids: [String] = []
        for operation in contract.operations {
            let object = try #require(contract.operation(operation.method, operation.path))
            ids.append(try #require(object["operationId"]?.string, "\(operation) has no operationId"))
            #expect((object["responses"]?.object?.count ?? 0) > 0, "\(operation) documents no response")
        }
        #expect(Set(ids).count == ids.count)
    }

    /// Every schema uses only keywords the validator checks and every `$ref` resolves: validating a
    /// value against each one would throw otherwise.
    @Test func everySchemaAndReferenceIsReadable() throws {
        let contract = try OpenAPIContract.embedded()
        let validator = JSONSchemaValidator(document: contract.document)
        let schemas = try #require(contract.document["components"]?["schemas"]?.object)
        #expect(schemas.count >= 30)
        for (name, schema) in schemas {
            try validator.checkSchema(schema, at: name)
        }
        #expect(throws: OpenAPIContractError.malformed(path: "$.a[]", problem: "unsupported schema keyword 'when one is.'")) {
            try validator.checkSchema(.object(["properties": .object(["a": .object(["items": .object(["when one is.": .null])])])]))
        }
        var inline: [ContractValue] = []
        Self.collectSchemas(in: contract.document, into: &inline)
        #expect(inline.count >= 60)
        for schema in inline {
            try validator.checkSchema(schema)
        }
        var references: [String] = []
        Self.collectReferences(in: contract.document, into: &references)
        #expect(references.count >= 100)
        for reference in references {
            _ = try validator.resolve(reference)
        }
    }

    @Test func publicRoutesDeclareNoSecurityAndOthersInheritBearer() throws {
        let contract = try OpenAPIContract.embedded()
        #expect(contract.document["security"] == .array([.object(["bearer": .array([])])]))
        let public_ = Set(["/healthz", "/readyz", "/openapi.yaml", "/", "/dashboard", "/dashboard/{file}"])
        for operation in contract.operations {
            let security = contract.operation(operation.method, operation.path)?["security"]
            if public_.contains(operation.path) {
                #expect(security == .array([]), "\(operation) should need no key")
            } else {
                #expect(security == nil, "\(operation) should need the bearer key")
            }
        }
    }

    @Test func rejectsADocumentThatIsNotOpenAPI31() {
        #expect(throws: OpenAPIContractError.malformed(path: "openapi", problem: "expected an OpenAPI 3.1 version")) {
            try OpenAPIContract(yaml: "openapi: 3.0.3\npaths: {}\n")
        }
        #expect(throws: OpenAPIContractError.self) { try OpenAPIContract(yaml: "openapi: [unclosed\n") }
    }

    /// Every value under a `schema` key (parameters, request bodies, responses, headers).
    static func collectSchemas(in value: ContractValue, into schemas: inout [ContractValue]) {
        switch value {
        case .object(let members):
            if let schema = members["schema"] { schemas.append(schema) }
            for member in members.values { collectSchemas(in: member, into: &schemas) }
        case .array(let elements):
            for element in elements { collectSchemas(in: element, into: &schemas) }
        default:
            break
        }
    }

    static func collectReferences(in value: ContractValue, into references: inout [String]) {
        switch value {
        case .object(let members):
            if let reference = members["$ref"]?.string { references.append(reference) }
            for member in members.values { collectReferences(in: member, into: &references) }
        case .array(let elements):
            for element in elements { collectReferences(in: element, into: &references) }
        default:
            break
        }
    }
}
