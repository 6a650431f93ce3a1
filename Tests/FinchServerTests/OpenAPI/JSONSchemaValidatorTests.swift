import Foundation
import Testing

@testable import FinchServer

/// The schema checker on small schemas, each keyword passing and failing.
@Suite struct JSONSchemaValidatorTests {
    static let document = try! ContractValue(
        yaml: """
            components:
              schemas:
                Error:
                  type: object
                  required: [error]
                  properties:
                    error:
                      type: object
                      required: [code, message, field]
                      properties:
                        code: {type: string}
                        message: {type: string}
                        field: {type: [string, 'null']}
                Texts:
                  oneOf:
                    - {type: string}
                    - type: array
                      items: {type: string}
                Bounded:
                  type: object
                  properties:
                    k: {type: integer, minimum: 1, maximum: 10}
                    name: {type: string, minLength: 1, maxLength: 3}
                    pair: {type: array, items: {type: integer}, minItems: 2, maxItems: 2}
                    kind: {type: string, enum: [read, write]}
                    object: {const: list}
                  additionalProperties: false
            """)
    let validator = JSONSchemaValidator(document: Self.document)

    func check(_ json: String, _ schema: String) throws -> [String] {
        let value = try JSONDecoder().decode(ContractValue.self, from: Data(json.utf8))
        return try validator.violations(of: value, against: .object(["$ref": .string("#/components/schemas/\(schema)")]))
    }

    @Test func errorShape() throws {
        #expect(try check(#"{"error": {"code": "unauthorized", "message": "unknown API key", "field": null}}"#, "Error").isEmpty)
        #expect(try check(#"{"error": {"code": "x", "message": "y", "field": "inputs[0]"}}"#, "Error").isEmpty)
        #expect(try check(#"{"error": {"code": "x", "message": "y"}}"#, "Error") == ["$.error: missing required member 'field'"])
        #expect(
            try check(#"{"error": {"code": 3, "message": "y", "field": 1}}"#, "Error") == [
                "$.error.code: expected string, found integer", "$.error.field: expected string or null, found integer",
            ])
        #expect(try check(#"[]"#, "Error") == ["$: expected object, found array"])
    }

    @Test func oneOfNeedsExactlyOneMatch() throws {
        #expect(try check(#""one""#, "Texts").isEmpty)
        #expect(try check(#"["a", "b"]"#, "Texts").isEmpty)
        #expect(try check(#"[1]"#, "Texts") == ["$: matches 0 of the oneOf schemas, not exactly one"])
    }

    @Test func boundsEnumsConstantsAndExtraMembers() throws {
        #expect(try check(#"{"k": 3, "name": "abc", "pair": [1, 2], "kind": "read", "object": "list"}"#, "Bounded").isEmpty)
        #expect(
            try check(#"{"k": 0, "name": "", "pair": [1], "kind": "admin", "object": "dict", "extra": 1}"#, "Bounded") == [
                "$.extra: no value is allowed here",
                "$.k: 0.0 is below 1.0",
                "$.kind: 'admin' is not one of the allowed values",
                "$.name: 0 characters, fewer than 1",
                "$.object: expected 'list', found 'dict'",
                "$.pair: 1 items, fewer than 2",
            ])
        #expect(
            try check(#"{"k": 11, "name": "abcd", "pair": [1, 2.5, 3]}"#, "Bounded") == [
                "$.k: 11.0 is above 10.0", "$.name: 4 characters, more than 3", "$.pair: 3 items, more than 2",
                "$.pair[1]: expected integer, found number",
            ])
    }

    @Test func integersAreNumbersButNotTheOtherWayRound() throws {
        let number = ContractValue.object(["type": .string("number")])
        let integer = ContractValue.object(["type": .string("integer")])
        #expect(try validator.violations(of: .integer(3), against: number).isEmpty)
        #expect(try validator.violations(of: .number(3.0), against: integer).isEmpty)
        #expect(try validator.violations(of: .number(3.5), against: integer) == ["$: expected integer, found number"])
        #expect(try validator.violations(of: .bool(true), against: integer) == ["$: expected integer, found boolean"])
    }

    @Test func malformedSchemasAreErrorsNotPasses() {
        #expect(throws: OpenAPIContractError.unresolvedReference("#/components/schemas/Missing")) {
            try validator.violations(of: .null, against: .object(["$ref": .string("#/components/schemas/Missing")]))
        }
        #expect(throws: OpenAPIContractError.malformed(path: "$", problem: "unsupported schema keyword 'patternProperties'")) {
            try validator.violations(of: .null, against: .object(["patternProperties": .object([:])]))
        }
    }

    /// `pattern` (added for `POST /v1/models`'s `name` and `path`): unanchored, as JSON Schema's.
    @Test func patternsMatchAnywhereAndBadPatternsAreErrors() throws {
        let absolute = ContractValue.object(["type": .string("string"), "pattern": .string("^/")])
        #expect(try validator.violations(of: .string("/srv/model"), against: absolute).isEmpty)
        #expect(try validator.violations(of: .string("srv/model"), against: absolute) == ["$: 'srv/model' does not match the pattern ^/"])
        let digit = ContractValue.object(["pattern": .string("[0-9]")])
        #expect(try validator.violations(of: .string("model-2"), against: digit).isEmpty)
        #expect(try validator.violations(of: .integer(7), against: digit).isEmpty, "pattern applies to strings only")
        #expect(throws: OpenAPIContractError.malformed(path: "$", problem: "pattern '(' is not a regular expression")) {
            try validator.checkSchema(.object(["pattern": .string("(")]))
        }
    }

    @Test func jsonValuesKeepTheirTypes() throws {
        let value = try JSONDecoder().decode(ContractValue.self, from: Data(#"[true, 1, 1.5, "s", null, {"a": []}]"#.utf8))
        #expect(value == .array([.bool(true), .integer(1), .number(1.5), .string("s"), .null, .object(["a": .array([])])]))
    }

    @Test func yamlScalarsResolveByTheCoreSchema() throws {
        let value = try ContractValue(yaml: "a: 1\nb: 1.5\nc: true\nd: null\ne: '200'\nf: 3.1.0\ng: [x, 'y']\n")
        #expect(
            value
                == .object([
                    "a": .integer(1), "b": .number(1.5), "c": .bool(true), "d": .null, "e": .string("200"), "f": .string("3.1.0"),
                    "g": .array([.string("x"), .string("y")]),
                ]))
        let duplicate = #expect(throws: OpenAPIContractError.self) { try ContractValue(yaml: "a: 1\na: 2\n") }
        #expect(duplicate?.description.contains("duplicated key(s): 'a'") == true)
    }
}
