import Foundation

/// Who may read the board: anyone on loopback; beyond loopback only requests that carry the
/// token (`Authorization: Bearer TOKEN` or `?token=TOKEN`, so a kiosk browser's URL can hold it).
public struct BoardAccess: Sendable {
    /// The token, nil when the board listens on loopback without one.
    public let token: String?

    /// Why a listen address or token file is refused.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Shortest token accepted (a 128-bit random value in hex is 32).
    public static let minimumTokenLength = 16

    /// Access for a board on `host`, reading the token from `tokenFile` when given; listening
    /// beyond loopback without a token is refused.
    public init(host: String, tokenFile: String?) throws(Refusal) {
        guard let tokenFile else {
            guard Self.isLoopback(host) else {
                throw Refusal(description: "--listen \(host) is beyond loopback: give --token-file FILE (a secret of at least \(Self.minimumTokenLength) characters) so only screens with the token see the board")
            }
            token = nil
            return
        }
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw Refusal(description: "\(tokenFile): cannot read the token file")
        }
        guard let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              text.count >= Self.minimumTokenLength,
              text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else {
            throw Refusal(description: "\(tokenFile): the token must be one line of at least \(Self.minimumTokenLength) printable ASCII characters without spaces")
        }
        token = text
    }

    /// Whether `host` is a loopback address or name.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Whether a request with this `authorization` header and `token` query value may read.
    public func admits(authorization: String?, queryToken: String?) -> Bool {
        guard let token else { return true }
        let offered = authorization.flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? queryToken
        guard let offered else { return false }
        return Self.constantTimeEqual(Array(offered.utf8), Array(token.utf8))
    }

    /// Equal bytes, compared in time that depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
