import FinchApps
import Foundation
import Hummingbird

/// Retraining over HTTP: `POST /v1/models/{name}/retrain` (admin scope)
/// starts a background job (202); `GET /v1/jobs` and `GET /v1/jobs/{id}`
/// (read scope) show its state and progress; `GET
/// /v1/models/{name}/versions/{version}/report` (read scope) returns the
/// retrain report stored beside a version (both versions' evaluations and the guard's decision);
/// `GET /v1/models/{name}/reports` (read scope) every report of the model's versions, newest first.
struct JobsController {
    let jobs: RetrainJobs
    let registry: ModelRegistry

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("jobs", use: list)
        group.get("jobs/:id", use: show)
        group.get("models/:name/versions/:version/report", use: report)
        group.get("models/:name/reports", use: reports)
    }

    func addAdminRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.post("models/:name/retrain", use: retrain)
    }

    @Sendable func retrain(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("name")
        do {
            let job = try jobs.start(model: name, actor: context.key?.id ?? "unknown")
            return try JSONResponse.make(job, status: .accepted)
        } catch let error as RetrainError {
            switch error {
            case .alreadyRunning: throw APIError(.conflict, code: "job_running", message: error.description, field: "name")
            case .noActiveVersion: throw APIError(.notFound, code: "model_not_found", message: error.description, field: "name")
            case .unsupportedKind, .unsupportedModel:
                throw APIError(.badRequest, code: "wrong_model_kind", message: error.description, field: "name")
            }
        }
    }

    struct ListResponse: Encodable { var jobs: [JobRecord] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        try JSONResponse.make(ListResponse(jobs: jobs.all))
    }

    @Sendable func show(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let id = try context.pathParameter("id")
        guard let job = jobs.job(id: id) else {
            throw APIError(.notFound, code: "job_not_found", message: "no job with id \(id)", field: "id")
        }
        return try JSONResponse.make(job)
    }

    @Sendable func report(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("name")
        guard let version = context.parameters.get("version", as: Int.self) else {
            throw APIError.invalid("version", "version must be a whole number")
        }
        guard let record = try await registry.versions().first(where: { $0.name == name && $0.version == version }) else {
            throw RegistryError.unknownVersion(name: name, version: version)
        }
        guard let report = try RetrainReport.read(from: URL(fileURLWithPath: record.path)) else {
            throw APIError(
                .notFound, code: "report_not_found",
                message: "version \(version) of \"\(name)\" was not made by a retrain; it has no report",
                field: "version")
        }
        return try JSONResponse.make(report)
    }

    struct ReportsResponse: Encodable { var reports: [RetrainReport] }

    @Sendable func reports(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let name = try context.pathParameter("name")
        let versions = try await registry.versions().filter { $0.name == name }
        guard !versions.isEmpty else { throw RegistryError.unknownModel(name: name) }
        var reports: [RetrainReport] = []
        for record in versions.reversed() {
            if let report = try RetrainReport.read(from: URL(fileURLWithPath: record.path)) { reports.append(report) }
        }
        return try JSONResponse.make(ReportsResponse(reports: reports))
    }
}
