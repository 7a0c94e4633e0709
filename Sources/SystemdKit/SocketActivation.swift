import CSystemd

/// Sockets systemd passed to this process (socket activation, `sd_listen_fds`).
public enum SocketActivation {
    /// The passed descriptors (3, 4, …), empty when not socket-activated. The LISTEN_*
    /// variables are removed so that children do not inherit them.
    public static func listeningDescriptors() -> [Int32] {
        let n = sd_listen_fds(1)
        guard n > 0 else { return [] }
        return (0..<n).map { SD_LISTEN_FDS_START + $0 }
    }
}
