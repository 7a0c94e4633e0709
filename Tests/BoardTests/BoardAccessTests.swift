import Board
import Foundation
import Testing
import TestSupport

/// Who may read the board: loopback without a token; anything else only with one.
@Suite struct BoardAccessTests {
    @Test func loopbackNeedsNoTokenAndEverythingElseDoes() throws {
        for host in ["127.0.0.1", "127.8.9.10", "::1", "localhost"] { #expect(BoardAccess.isLoopback(host), "\(host)") }
        for host in ["0.0.0.0", "192.168.1.5", "::", "127.0.0.1.example.com", "1270.0.0.1"] { #expect(!BoardAccess.isLoopback(host), "\(host)") }
        let open = try BoardAccess(host: "127.0.0.1", tokenFile: nil)
        #expect(open.admits(authorization: nil, queryToken: nil))
        #expect(throws: BoardAccess.Refusal.self) { try BoardAccess(host: "0.0.0.0", tokenFile: nil) }
    }

    @Test func aTokenIsCheckedFromTheHeaderOrTheQuery() throws {
        let dir = try FileBytes.temporaryDirectory("token")
        let file = dir + "/board.token"
        try Data("0123456789abcdef0123\n".utf8).write(to: URL(fileURLWithPath: file))
        let access = try BoardAccess(host: "0.0.0.0", tokenFile: file)
        #expect(access.admits(authorization: "Bearer 0123456789abcdef0123", queryToken: nil))
        #expect(access.admits(authorization: nil, queryToken: "0123456789abcdef0123"))
        #expect(!access.admits(authorization: nil, queryToken: nil))
        #expect(!access.admits(authorization: nil, queryToken: "0123456789abcdef012"))
        #expect(!access.admits(authorization: "Bearer 0123456789abcdef0124", queryToken: nil))
        #expect(!access.admits(authorization: "Basic 0123456789abcdef0123", queryToken: nil))
        for bad in ["short\n", "has a space in it here\n", ""] {
            try Data(bad.utf8).write(to: URL(fileURLWithPath: file))
            #expect(throws: BoardAccess.Refusal.self) { try BoardAccess(host: "0.0.0.0", tokenFile: file) }
        }
        #expect(throws: BoardAccess.Refusal.self) { try BoardAccess(host: "127.0.0.1", tokenFile: dir + "/missing") }
    }

    @Test func listenAddressesParseOrSayWhy() throws {
        #expect(try BoardServer.parse(listen: "127.0.0.1:8080") == ("127.0.0.1", 8080))
        #expect(try BoardServer.parse(listen: "[::1]:0") == ("::1", 0))
        #expect(try BoardServer.parse(listen: "localhost:65535") == ("localhost", 65535))
        for bad in ["8080", ":8080", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "[::1]8080", "host:80a"] {
            #expect(throws: BoardServer.BadAddress.self, "\(bad)") { try BoardServer.parse(listen: bad) }
        }
    }
}
