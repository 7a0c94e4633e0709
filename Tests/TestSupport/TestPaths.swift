import Foundation

/// Where the tests find the repository and its fixtures (the tests read nothing outside it).
public enum TestPaths {
    /// The package root (derived from this file's path).
    public static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/TestSupport/TestPaths.swift
        return parts.joined(separator: "/")
    }()

    /// `Tests/Fixtures`.
    public static var fixtures: String { packageRoot + "/Tests/Fixtures" }

    /// A fixture's path.
    public static func fixture(_ relative: String) -> String { fixtures + "/" + relative }

    /// Whether tests run under CI (`CI=true`), where nothing may skip.
    public static var underCI: Bool {
        guard let v = ProcessInfo.processInfo.environment["CI"] else { return false }
        return v == "true" || v == "1"
    }
}

