import FinchTrain
import Foundation
import Hummingbird

/// Recorded training runs (read scope), from the service's run store (`ServiceRunStore`: the
/// database's on PostgreSQL, else `runs.sqlite` in the runs folder, `runs_dir`):
/// `GET /v1/runs` (newest first), `GET /v1/runs/{id}` (with its metric points) and
/// `GET /v1/runs/compare?ids=1,2&metric=loss` (`finch runs compare`'s table and SVG curves).
/// A run whose process is gone is marked failed, as `finch runs` does. The stores block, so every
/// handler reads on a thread of its own (`RunStoreThread`), never on the cooperative pool.
struct RunsController {
    let runs: ServiceRunStore

    func addReadRoutes(to group: RouterGroup<FinchRequestContext>) {
        group.get("runs", use: list)
        group.get("runs/compare", use: compare)
        group.get("runs/:id", use: show)
    }

    func found(_ store: (any RunStore)?, _ id: Int) throws -> RecordedRun {
        guard let run = try store?.runMarkingLost(id: id) else {
            throw APIError(.notFound, code: "run_not_found", message: "no run \(id) in the run store", field: "id")
        }
        return run
    }

    /// `body` with the store (nil: no run recorded yet), on a thread off the cooperative pool.
    func reading<T: Sendable>(_ body: @escaping @Sendable ((any RunStore)?) throws -> T) async throws -> T {
        let runs = runs
        return try await RunStoreThread.run { try runs.read(body) }
    }

    struct ListResponse: Encodable { var runs: [RecordedRun] }

    @Sendable func list(_ request: Request, context: FinchRequestContext) async throws -> Response {
        let all = try await reading { store in try store?.runsMarkingLost() ?? [] }
        return try JSONResponse.make(ListResponse(runs: all))
    }

    struct ShowResponse: Encodable, Sendable {
        var run: RecordedRun
        var points: [RunMetricPoint]
    }

    @Sendable func show(_ request: Request, context: FinchRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int.self) else { throw APIError.invalid("id", "id must be a whole number") }
        let response = try await reading { store in
            let run = try found(store, id)
            return ShowResponse(run: run, points: try store?.points(run: id).filter { $0.value.isFinite } ?? [])
        }
        return try JSONResponse.make(response)
    }

    struct Compared: Sendable {
        var run: RecordedRun
        var points: [RunMetricPoint]
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
        let wanted = ids.compactMap { $0 }
        let read = try await reading { store in
            try wanted.map { id in Compared(run: try found(store, id), points: try store?.points(run: id) ?? []) }
        }
        let compared = read.map { (run: $0.run, points: $0.points) }
        let (header, rows) = RunTables.comparison(compared, metric: metric)
        return try JSONResponse.make(
            CompareResponse(
                metric: metric, runs: compared.map(\.run), header: header, rows: rows,
                svg: RunTables.curves(compared, metric: metric).svg(), metrics: Set(compared.flatMap { $0.points.map(\.name) }).sorted()))
    }
}
