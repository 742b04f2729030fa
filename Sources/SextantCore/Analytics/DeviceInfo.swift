/// What a browser's User-Agent says about the visitor: browser, operating system and kind of
/// device, as session lists show and filter them. Only browser agents (`Mozilla/…`) are read;
/// a server SDK's agent says nothing about a visitor.
public struct DeviceInfo: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case desktop, mobile, tablet
    }

    public var browser: String
    public var os: String
    public var device: Kind

    public init(browser: String, os: String, device: Kind) {
        self.browser = browser
        self.os = os
        self.device = device
    }

    public init?(userAgent: String?) {
        guard let agent = userAgent, agent.hasPrefix("Mozilla/"), agent.utf8.count <= 1024 else { return nil }
        func has(_ token: String) -> Bool { agent.contains(token) }
        // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
        browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") { "Edge" }
            else if has("OPR/") { "Opera" }
            else if has("Firefox/") || has("FxiOS/") { "Firefox" }
            else if has("Chrome/") || has("CriOS/") || has("Chromium/") { "Chrome" }
            else if has("Safari/") && has("Version/") { "Safari" }
            else { "Other" }
        os = if has("iPhone") || has("iPad") || has("iPod") { "iOS" }
            else if has("Android") { "Android" }
            else if has("Windows") { "Windows" }
            else if has("CrOS") { "ChromeOS" }
            else if has("Mac OS X") || has("Macintosh") { "macOS" }
            else if has("Linux") { "Linux" }
            else { "Other" }
        device = if has("iPad") || has("Tablet") || (has("Android") && !has("Mobile")) { .tablet }
            else if has("Mobi") || has("iPhone") || has("iPod") || has("Android") { .mobile }
            else { .desktop }
    }
}
