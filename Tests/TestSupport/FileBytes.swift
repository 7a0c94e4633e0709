import Foundation

/// Whole-file reads and directory listings for tests.
public enum FileBytes {
    /// The bytes of `path`.
    public static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Files under `directory` (recursively) whose names end in `suffix`, sorted.
    public static func files(under directory: String, suffix: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: directory) else { return [] }
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted().map { directory + "/" + $0 }
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "wi-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
