import Glibc
import SystemCall
import SystemPackage

/// Small files read whole: session summaries, status, the config.
public enum WholeFile {
    /// Reads `path` whole. With `followingSymlinks: false` (the daemon's own files in its state
    /// directory) a symbolic link is refused, so a link planted there cannot make the daemon
    /// read, copy or serve a file it points to.
    ///
    /// - Throws: `SystemCallError` naming the path and the step (open or read).
    public static func read(_ path: String, followingSymlinks: Bool = true) throws(SystemCallError) -> [UInt8] {
        let options: FileDescriptor.OpenOptions = followingSymlinks ? [.closeOnExec] : [.closeOnExec, .noFollow]
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly, options: options, retryOnInterrupt: true)
        } catch {
            let errno = (error as? Errno) ?? .ioError
            if !followingSymlinks && errno == .tooManySymbolicLinkLevels {
                throw SystemCallError("open", on: path, errno: errno, detail: "is a symbolic link; not followed")
            }
            throw SystemCallError("open", on: path, errno: errno)
        }
        defer { try? fd.close() }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n: Int
            do {
                n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw SystemCallError("read", on: path, errno: (error as? Errno) ?? .ioError)
            }
            if n == 0 { return out }
            out.append(contentsOf: buffer[0..<n])
        }
    }
}
