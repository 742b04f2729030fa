import Foundation
import Synchronization

/// Groups errors from every source into issues (API.md §8).
///
/// A client fingerprint wins. Otherwise the fingerprint is SHA-256 of project, exception type and
/// the top five in-app stack frames with line and column numbers, addresses and build hashes
/// stripped; with no usable stack, of type and message with numbers, UUIDs, hex and quoted strings
/// replaced by placeholders. The same error reported by different SDKs therefore groups together.
public enum ErrorFingerprint {
    /// Normalized in-app frames by raw stack text: the same stack arrives again and again, and
    /// normalizing it costs a dozen regular-expression passes per frame.
    private static let frameCache = Mutex<[String: [String]]>([:])
    private static let frameCacheLimit = 4096
    /// Fingerprints of stack-based keys: one error repeats with the same frames.
    private static let digestCache = Mutex<[String: String]>([:])

    public static let framesUsed = 5

    public static func compute(project: String, type: String, message: String, stack: [String], clientFingerprint: String? = nil) -> String {
        if let clientFingerprint, !clientFingerprint.isEmpty {
            return Secrets.sha256Hex("client\u{1F}\(project)\u{1F}\(clientFingerprint)")
        }
        let frames = cachedInAppFrames(stack).prefix(framesUsed)
        if !frames.isEmpty {
            let key = (["stack", project, type] + frames).joined(separator: "\u{1F}")
            if let known = digestCache.withLock({ $0[key] }) { return known }
            let digest = Secrets.sha256Hex(key)
            digestCache.withLock { cache in
                if cache.count >= frameCacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[key] = digest
            }
            return digest
        }
        return Secrets.sha256Hex(["message", project, type, normalizeMessage(message)].joined(separator: "\u{1F}"))
    }

    /// Splits a stack given as one string (spyglass `props.stack`, LuminaLog) into frame lines.
    public static func lines(of stack: String) -> [String] {
        stack.split(whereSeparator: \.isNewline).map(String.init)
    }

    static func cachedInAppFrames(_ stack: [String]) -> [String] {
        guard !stack.isEmpty else { return [] }
        let key = stack.joined(separator: "\n")
        if let cached = frameCache.withLock({ $0[key] }) { return cached }
        let frames = inAppFrames(stack)
        frameCache.withLock { cache in
            if cache.count >= frameCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = frames
        }
        return frames
    }

    /// Normalized frames of application code, innermost (where the error was raised) first.
    /// Elements holding several lines (Python's `traceback.format_tb` gives a frame and its
    /// source line in one) are split first.
    public static func inAppFrames(_ stack: [String]) -> [String] {
        let frames = stack.flatMap { $0.split(whereSeparator: \.isNewline) }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter(looksLikeFrame)
        let innermostFirst = isOutermostFirst(frames) ? Array(frames.reversed()) : frames
        return innermostFirst.compactMap { frame in
            guard !isLibraryFrame(frame) else { return nil }
            let normalized = normalizeFrame(frame)
            return normalized.isEmpty ? nil : normalized
        }
    }

    /// Python tracebacks list the outermost call first ("most recent call last"); V8, Java,
    /// Firefox, Safari and Apple's crash frames list the innermost first.
    static func isOutermostFirst(_ frames: [String]) -> Bool {
        frames.contains { $0.hasPrefix("File \"") }
    }

    /// Lines that describe a frame, not the error's own message line (Chrome's first line) or
    /// Python's source excerpts: V8 and Java `at …`, Python `File "…"`, Firefox and Safari
    /// `name@url:line:col`, and Apple's numbered `index image 0xaddress symbol`.
    static func looksLikeFrame(_ line: String) -> Bool {
        line.hasPrefix("at ") || line.hasPrefix("File \"")
            || line.range(of: #"@\S*:\d+(:\d+)?$"#, options: .regularExpression) != nil
            || line.range(of: #"^\d+\s+\S+\s+0x[0-9a-fA-F]+\s"#, options: .regularExpression) != nil
    }

    /// Runtime and framework code: its frames say where the error surfaced, not what caused it.
    static let libraryPathMarkers = [
        "node:internal", "node_modules/", "internal/process", "<anonymous>", "[native code]", "(native)", "webpack/bootstrap",
        "/lib/python", "site-packages/", "dist-packages/", "<frozen ", "libswift", "/usr/lib/swift", "libdispatch",
        "CoreFoundation", "Foundation ", "UIKitCore", "libsystem_",
    ]
    static let libraryPackages = ["java.", "javax.", "jdk.", "sun.", "kotlin.", "kotlinx.", "scala.", "org.springframework.", "org.apache."]

    static func isLibraryFrame(_ line: String) -> Bool {
        if libraryPathMarkers.contains(where: line.contains) { return true }
        // A package counts only where a qualified name starts, never inside a file name like Checkout.java.
        let name = line.hasPrefix("at ") ? line.dropFirst(3) : Substring(line)
        return libraryPackages.contains { package in
            name.hasPrefix(package) || ["/", "(", " "].contains { line.contains($0 + package) }
        }
    }

    /// Drops what varies between builds and deploys: hosts, line and column numbers, addresses,
    /// offsets, content hashes in file names, frame indexes.
    static func normalizeFrame(_ line: String) -> String {
        var text = line
        // Python: File "/app/checkout.py", line 42, in pay  ->  /app/checkout.py in pay
        text = replacing(text, pattern: #", line \d+,"#, with: "")
        text = replacing(text, pattern: #"https?://[^/\s)]+"#, with: "")
        text = replacing(text, pattern: #"\?[^\s):]*"#, with: "")
        text = replacing(text, pattern: #"0x[0-9a-fA-F]+"#, with: "")
        text = replacing(text, pattern: #"(:\d+)+(?=\)|$|\s)"#, with: "")
        text = replacing(text, pattern: #"\.[0-9a-f]{6,}(?=\.)"#, with: "")
        text = replacing(text, pattern: #"\s\+\s\d+$"#, with: "")
        text = replacing(text, pattern: #"^\d+\s+"#, with: "")
        text = replacing(text, pattern: #"^at\s+"#, with: "")
        text = replacing(text, pattern: #"\s+"#, with: " ")
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The message with its variable parts replaced, for errors without a usable stack.
    public static func normalizeMessage(_ message: String) -> String {
        var text = message
        text = replacing(text, pattern: #""[^"]*"|'[^']*'"#, with: "<str>")
        text = replacing(text, pattern: #"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#, with: "<uuid>")
        // Hex runs count wherever they are not part of a longer word: `ch_3f2a1b9c8d7e` has one.
        text = replacing(text, pattern: #"0x[0-9a-fA-F]+|(?<![0-9A-Za-z])(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}(?![0-9A-Za-z])"#, with: "<hex>")
        text = replacing(text, pattern: #"\d+(\.\d+)?"#, with: "<num>")
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Compiled once per pattern: compiling is most of the cost of a replacement.
    private static let compiled = Mutex<[String: NSRegularExpression]>([:])

    private static func replacing(_ text: String, pattern: String, with replacement: String) -> String {
        let regex = compiled.withLock { cache in
            if let regex = cache[pattern] { return regex }
            let regex = try! NSRegularExpression(pattern: pattern)
            cache[pattern] = regex
            return regex
        }
        return regex.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
    }
}
