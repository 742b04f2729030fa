/// The dashboard's entry page, compiled into the binary so it needs no files beside it.
enum DashboardPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sextant</title>
        <style>
          body { font: 15px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 3rem auto; padding: 0 1rem; color: #1d2330; }
          h1 { font-size: 1.6rem; margin-bottom: .2rem; }
          code { background: #f1f3f7; padding: .1rem .3rem; border-radius: 3px; }
          table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
          td, th { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e6ec; vertical-align: top; }
          .muted { color: #5b6475; }
        </style>
        </head>
        <body>
        <h1>Sextant</h1>
        <p class="muted">A self-hosted observability collector: session replay, product analytics, logs, error
        tracking, HTTP telemetry and cron monitoring in one binary.</p>
        <p>Point a spyglass, Lucent, SeeStack or LuminaLog SDK at this server's address and its data lands here.
        The full dashboard is on its way; meanwhile every view is one API call away:</p>
        <table>
          <tr><th>Endpoint</th><th>What it returns</th></tr>
          <tr><td><code>POST /v1/events</code></td><td>Ingest a batch of analytics events (<code>{app, key, events[]}</code>).</td></tr>
          <tr><td><code>POST /v1/replay?session=&amp;seq=</code></td><td>Upload one gzipped rrweb chunk.</td></tr>
          <tr><td><a href="/v1/query/events"><code>GET /v1/query/events</code></a></td><td>Events, newest first (<code>user type app session name from to limit</code>).</td></tr>
          <tr><td><a href="/v1/query/users"><code>GET /v1/query/users</code></a></td><td>Users with last seen and session counts.</td></tr>
          <tr><td><a href="/v1/query/sessions"><code>GET /v1/query/sessions</code></a></td><td>Sessions, most recent first.</td></tr>
          <tr><td><code>GET /v1/query/funnel?steps=a,b,c</code></td><td>Ordered funnel counts (optional <code>window</code> in seconds).</td></tr>
          <tr><td><a href="/v1/query/aggregates"><code>GET /v1/query/aggregates</code></a></td><td>Daily active users, top events and pages, errors by day.</td></tr>
          <tr><td><code>GET /v1/sessions/:id/replay</code></td><td>A session's replay chunk manifest.</td></tr>
          <tr><td><code>GET /v1/incidents/:event_id</code></td><td>The minute around an error, with the replay chunks to seek to.</td></tr>
          <tr><td><a href="/metrics"><code>GET /metrics</code></a></td><td>Prometheus metrics.</td></tr>
        </table>
        </body>
        </html>
        """
}
