import FinchApps
import Foundation
import Hummingbird

/// The admin audit trail over HTTP (admin scope): `GET /v1/audit` pages
/// through the entries (oldest first; each page's entries, concatenated as
/// JSON lines, verify with `finch audit-log verify`), `GET /v1/audit/verify`
/// checks the whole chain.
struct AuditController {
    let audit: StoreAuditTrail

    func addAdminRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("audit", use: list)
        group.get("audit/verify", use: verify)
    }

    struct ListResponse: Encodable {
        var entries: [AuditLogEntry]
        /// The `after` of the next page; nil on the last page.
        var nextAfter: Int?
        enum CodingKeys: String, CodingKey { case entries, nextAfter = "next_after" }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(entries, forKey: .entries)
            try c.encode(nextAfter, forKey: .nextAfter)  // null on the last page, never absent
        }
    }

    static let defaultLimit = 100
    static let maxLimit = 1000

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let after = try Self.integer(query["after"].map(String.init), name: "after", default: 0, range: 0...Int(Int32.max))
        let limit = try Self.integer(query["limit"].map(String.init), name: "limit", default: Self.defaultLimit, range: 1...Self.maxLimit)
        // One more than asked tells whether another page follows.
        let entries = try await audit.entries(after: after, limit: limit + 1)
        let page = Array(entries.prefix(limit))
        return try JSONResponse.make(ListResponse(entries: page, nextAfter: entries.count > limit ? page.last?.sequence : nil))
    }

    static func integer(_ raw: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw else { return value }
        guard let n = Int(raw), range.contains(n) else {
            throw APIError.invalid(name, "\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    struct VerifyResponse: Encodable {
        struct Problem: Encodable {
            /// 1-based position in the trail (oldest first).
            var position: Int
            var sequence: Int?
            var message: String
        }
        var intact: Bool
        /// Entries checked and found intact (all of them when `intact`).
        var verifiedEntries: Int
        var headHash: String
        var problem: Problem?
        enum CodingKeys: String, CodingKey {
            case intact, problem
            case verifiedEntries = "verified_entries", headHash = "head_hash"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(intact, forKey: .intact)
            try c.encode(verifiedEntries, forKey: .verifiedEntries)
            try c.encode(headHash, forKey: .headHash)
            try c.encode(problem, forKey: .problem)
        }
    }

    @Sendable func verify(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let result = try await audit.verify()
        let problem = result.problem.map { p -> VerifyResponse.Problem in
            let sequence: Int?
            switch p {
            case .edited(_, let s), .brokenLink(_, let s, _): sequence = s
            case .unreadable: sequence = nil
            }
            return VerifyResponse.Problem(
                position: p.line, sequence: sequence,
                message: p.description.replacingOccurrences(of: "line \(p.line):", with: "position \(p.line):"))
        }
        return try JSONResponse.make(
            VerifyResponse(intact: problem == nil, verifiedEntries: result.verifiedEntries, headHash: result.headHash, problem: problem))
    }
}
