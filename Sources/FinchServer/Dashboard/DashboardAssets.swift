/// The dashboard's files, compiled into the binary by SwiftPM (`resources: [.embedInCode("Dashboard/Web")]`
/// in Package.swift generates `PackageResources`), so a release binary serves them from any folder
/// with nothing beside it. Every file of `Dashboard/Web/` is listed here; a test checks the two agree.
public enum DashboardAssets {
    /// The shell page served at `/` and `/dashboard/`.
    public static let index = DashboardAsset(name: "index.html", bytes: PackageResources.index_html)

    /// Every file, by the name it has under `/dashboard/`. A new page adds its `page-NAME.js` here
    /// and in `pages.js`.
    public static let all: [DashboardAsset] = [
        index,
        DashboardAsset(name: "finch.css", bytes: PackageResources.finch_css),
        DashboardAsset(name: "favicon.svg", bytes: PackageResources.favicon_svg),
        DashboardAsset(name: "app.js", bytes: PackageResources.app_js),
        DashboardAsset(name: "api.js", bytes: PackageResources.api_js),
        DashboardAsset(name: "dom.js", bytes: PackageResources.dom_js),
        DashboardAsset(name: "prometheus.js", bytes: PackageResources.prometheus_js),
        DashboardAsset(name: "pages.js", bytes: PackageResources.pages_js),
        DashboardAsset(name: "page-models.js", bytes: PackageResources.page_models_js),
        DashboardAsset(name: "page-metrics.js", bytes: PackageResources.page_metrics_js),
        DashboardAsset(name: "page-playground.js", bytes: PackageResources.page_playground_js),
        DashboardAsset(name: "page-recommend.js", bytes: PackageResources.page_recommend_js),
        DashboardAsset(name: "page-audit.js", bytes: PackageResources.page_audit_js),
        DashboardAsset(name: "page-users.js", bytes: PackageResources.page_users_js),
        DashboardAsset(name: "page-assistant.js", bytes: PackageResources.page_assistant_js),
        DashboardAsset(name: "page-handoffs.js", bytes: PackageResources.page_handoffs_js),
        DashboardAsset(name: "page-feedback.js", bytes: PackageResources.page_feedback_js),
        DashboardAsset(name: "page-versions.js", bytes: PackageResources.page_versions_js),
        DashboardAsset(name: "page-monitors.js", bytes: PackageResources.page_monitors_js),
        DashboardAsset(name: "page-runs.js", bytes: PackageResources.page_runs_js),
    ]

    /// The asset of a file name, if there is one.
    public static func asset(named name: String) -> DashboardAsset? {
        byName[name]
    }

    private static let byName: [String: DashboardAsset] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
