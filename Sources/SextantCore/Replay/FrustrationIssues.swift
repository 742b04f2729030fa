/// How frustration clicks become issues: one per project, page path, target and kind.
public enum FrustrationIssues {
    public static func occurrence(_ click: FrustrationClick, projectID: Int64, sessionID: String, userID: String?) -> IssueOccurrence {
        let kind: IssueKind = click.kind == .rage ? .rageClick : .deadClick
        let label = click.kind == .rage ? "Rage click" : "Dead click"
        return IssueOccurrence(
            kind: kind, fingerprint: Secrets.sha256Hex([kind.rawValue, String(projectID), click.path, click.target].joined(separator: "\u{1F}")),
            subject: click.target, title: "\(label) on \(click.target) at \(click.path)",
            description: click.kind == .rage
                ? "Users clicked \(click.target) three or more times in quick succession on \(click.path)."
                : "Clicks on \(click.target) on \(click.path) changed nothing on the page within 2.5 s.",
            culprit: click.path, level: "warning", ts: click.ts, userID: userID, sessionID: sessionID)
    }
}
