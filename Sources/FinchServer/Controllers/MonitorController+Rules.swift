import FinchApps
import Foundation
import Hummingbird
import NIOCore

extension MonitorController {
    struct RuleList: Encodable { var rules: [AlertRule] }

    @Sendable func rules(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling { try JSONResponse.make(RuleList(rules: try await service.rules(monitor: try context.pathParameter("name")))) }
    }

    /// `POST …/rules`: creates or replaces the rule named in the body.
    @Sendable func createRule(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        return try await handling {
            let buffer: ByteBuffer
            do { buffer = try await request.collectBody(upTo: limits.maxBodyBytes) } catch is NIOTooManyBytesError {
                throw APIError(.contentTooLarge, code: "payload_too_large", message: "the request body is larger than the limit")
            }
            return try await store(try Self.rule(from: Data(buffer: buffer)), context: context)
        }
    }

    /// `PUT …/rules/{rule}`: creates or replaces the rule; the body's `name`, when given, must equal the path's.
    @Sendable func putRule(_ request: Request, context: FinchRequestContext) async throws -> Response {
        var request = request
        return try await handling {
            let ruleName = try context.pathParameter("rule")
            let data = try await Self.namedBody(&request, name: ruleName, field: "rule", limit: limits.maxBodyBytes)
            return try await store(try Self.rule(from: data), context: context)
        }
    }

    /// The rule in `data`, validated: 400 naming the field that does not hold.
    static func rule(from data: Data) throws -> AlertRule {
        do { return try AlertRule.decodeValidated(from: data) } catch let error as DecodingError { throw APIError.decoding(error) }
    }

    func store(_ rule: AlertRule, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("name")
        let created = try await service.putRule(rule, monitor: name)
        try await audit.record(
            actor: context.auditActor, action: MonitorAuditAction.rulePut, subject: "\(name)/\(rule.name)",
            details: ["metric": rule.metric.rawValue, "detector": rule.detector.rawValue, "entity": rule.entity])
        return try JSONResponse.make(rule, status: created ? .created : .ok)
    }

    @Sendable func deleteRule(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try await handling {
            let name = try context.pathParameter("name"), rule = try context.pathParameter("rule")
            try await service.deleteRule(name: rule, monitor: name)
            try await audit.record(
                actor: context.auditActor, action: MonitorAuditAction.ruleDelete, subject: "\(name)/\(rule)", details: [:])
            return Response(status: .noContent)
        }
    }
}
