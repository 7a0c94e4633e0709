import Physiology

/// A person who wears straps: who they are, which straps are theirs, and what the engine should
/// know of them (`[[athlete]]` in the config; the single `[athlete]` table is the default person).
public struct Athlete: Sendable, Equatable {
    /// A short stable ID (letters, digits, `-`, `_`, `.`; at most 64): what sessions, the store
    /// and the journal's ATHLETE_ID carry.
    public var id: String
    /// A name for people (the ID when none is given).
    public var name: String
    /// The straps this person wears, each a Bluetooth address (any case) or an advertised name.
    public var straps: [String]
    /// Age, sex, HRrest, HRmax and thresholds as the user gave them.
    public var profile: AthleteProfile
    /// FTO rs9939609 genotype, for population context only.
    public var ftoGenotype: FTOGenotype?

    /// The ID of the athlete that straps nobody claims belong to when no entry says otherwise.
    public static let defaultID = "default"

    /// An athlete; `name` defaults to the ID.
    public init(id: String, name: String? = nil, straps: [String] = [], profile: AthleteProfile = AthleteProfile(),
                ftoGenotype: FTOGenotype? = nil) {
        self.id = id
        self.name = name ?? id
        self.straps = straps
        self.profile = profile
        self.ftoGenotype = ftoGenotype
    }

    /// Whether `text` can be an athlete ID: 1–64 of `A–Z a–z 0–9 - _ .`, not starting with `.`
    /// (it names rows and appears in file names and journal fields).
    public static func isIdentifier(_ text: some StringProtocol) -> Bool {
        let b = Array(text.utf8)
        guard (1...64).contains(b.count), b[0] != UInt8(ascii: ".") else { return false }
        return b.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Whether this athlete's `straps` name a strap with `address` and advertised `name`.
    public func claims(address: String, name advertised: String?) -> Bool {
        // The same matching as the `[bluetooth] straps` allow-list.
        BluetoothSettings.StrapSelection.only(straps).admits(address: address, name: advertised)
    }
}
