/// The dashboard's files, compiled into the binary (SwiftPM `embedInCode`), so it works offline
/// with nothing beside the executable. A test checks every file in `web/` is listed here.
enum DashboardAssets {
    struct Asset {
        var bytes: [UInt8]
        var contentType: String
    }

    static let files: [String: Asset] = [
        "index.html": .init(bytes: PackageResources.index_html, contentType: "text/html; charset=utf-8"),
        "app.css": .init(bytes: PackageResources.app_css, contentType: "text/css; charset=utf-8"),
        "app.js": js(PackageResources.app_js),
        "api.js": js(PackageResources.api_js),
        "ui.js": js(PackageResources.ui_js),
        "timerange.js": js(PackageResources.timerange_js),
        "charts.js": js(PackageResources.charts_js),
        "snapshot.js": js(PackageResources.snapshot_js),
        "player.js": js(PackageResources.player_js),
        "view-overview.js": js(PackageResources.view_overview_js),
        "view-events.js": js(PackageResources.view_events_js),
        "view-people.js": js(PackageResources.view_people_js),
        "view-session.js": js(PackageResources.view_session_js),
        "view-funnel.js": js(PackageResources.view_funnel_js),
        "view-issues.js": js(PackageResources.view_issues_js),
        "view-issue.js": js(PackageResources.view_issue_js),
        "view-logs.js": js(PackageResources.view_logs_js),
        "view-operations.js": js(PackageResources.view_operations_js),
        "view-insights.js": js(PackageResources.view_insights_js),
        "view-traces.js": js(PackageResources.view_traces_js),
        "view-metrics.js": js(PackageResources.view_metrics_js),
        "view-analytics.js": js(PackageResources.view_analytics_js),
        "view-monitors.js": js(PackageResources.view_monitors_js),
        "view-settings.js": js(PackageResources.view_settings_js),
        "view-signals.js": js(PackageResources.view_signals_js),
        "forms.js": js(PackageResources.forms_js),
        "sdk.js": js(PackageResources.sdk_js),
    ]

    static func js(_ bytes: [UInt8]) -> Asset { Asset(bytes: bytes, contentType: "text/javascript; charset=utf-8") }
}
