import FinchTrain
import Foundation
import Hummingbird

/// Recorded training runs (read scope), from `runs.sqlite` in the runs folder the service is
/// configured with (`runs_dir`, the folder `finch train --runs` records into):
/// `GET /v1/runs` (newest first), `GET /v1/runs/{id}` (with its metric points) and
/// `GET /v1/runs/compare?ids=1,2&metric=loss` (`finch runs compare`'s table and SVG curves).
/// A run whose process is gone is marked failed, as `finch runs` does.
struct RunsController {
    let folder: URL

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("runs", use: list)
        group.get("runs/compare", use: compare)
        group.get("runs/:id", use: show)
    }

    /// The store, nil while no run was recorded (the file is not made by reading).
    func store() throws -> SQLiteRunStore? {
        let path = folder.appendingPathComponent(SQLiteRunStore.fileName).path
        return FileManager.default.fileExists(atPath: path) ? try SQLiteRunStore(path: path) : nil
    }

    func found(_ store: SQLiteRunStore?, _ id: Int) throws -> RecordedRun {
        guard let run = try store?.runMarkingLost(id: id) else {
            throw APIError(.notFound, code: "run_not_found", message: "no run \(id) in the run store", field: "id")
        }
        return run
    }

    struct ListResponse: Encodable { var runs: [RecordedRun] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let store = try store()
        defer { try? store?.close() }
        return try JSONResponse.make(ListResponse(runs: try store?.runsMarkingLost() ?? []))
    }

    struct ShowResponse: Encodable {
        var run: RecordedRun
        var points: [RunMetricPoint]
    }

    @Sendable func show(_ request: Request, context: FinchRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int.self) else { throw APIError.invalid("id", "id must be a whole number") }
        let store = try store()
        defer { try? store?.close() }
        let run = try found(store, id)
        let points = try store?.points(run: id).filter { $0.value.isFinite } ?? []
        return try JSONResponse.make(ShowResponse(run: run, points: points))
    }

    struct CompareResponse: Encodable {
        var metric: String
        var runs: [RecordedRun]
        /// The comparison's header (`""`, `run 1`, …) and rows, as `finch runs compare` prints them.
        var header: [String]
        var rows: [[String]]
        /// The metric's curves, one line per run (an SVG document).
        var svg: String
        /// Every metric the runs recorded, for choosing another.
        var metrics: [String]
    }

    @Sendable func compare(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let metric: String = query.get("metric").map { String($0) } ?? "loss"
        let idsText: String = query.get("ids").map { String($0) } ?? ""
        let ids: [Int?] = idsText.split(separator: ",").map { Int(String($0).trimmingCharacters(in: .whitespaces)) }
        guard ids.count >= 2, !ids.contains(where: { $0 == nil }) else {
            throw APIError.invalid("ids", "ids must be two or more run ids separated by commas, got \"\(idsText)\"")
        }
        let store = try store()
        defer { try? store?.close() }
        var compared: [(run: RecordedRun, points: [RunMetricPoint])] = []
        for id in ids.compactMap({ $0 }) { compared.append((try found(store, id), try store?.points(run: id) ?? [])) }
        let (header, rows) = RunTables.comparison(compared, metric: metric)
        return try JSONResponse.make(
            CompareResponse(
                metric: metric, runs: compared.map(\.run), header: header, rows: rows,
                svg: RunTables.curves(compared, metric: metric).svg(), metrics: Set(compared.flatMap { $0.points.map(\.name) }).sorted()))
    }
}
