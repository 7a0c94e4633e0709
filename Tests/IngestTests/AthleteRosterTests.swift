import Ingest
import Physiology
import Testing
import Traces

/// `[[athlete]]` entries: who wears which strap, the default person, assignments, and the
/// config errors a gym's file can hold.
@Suite struct AthleteRosterTests {
    static let gym = """
        [[athlete]]
        id = "anna"
        name = "Anna K."
        straps = ["a0:9e:1a:00:00:01", "Polar H10 ABCD"]
        age = 31
        sex = "female"
        fto_rs9939609 = "AT"

        [[athlete]]
        id = "ben"
        straps = ["A0:9E:1A:00:00:02"]
        maximum_heart_rate = 201

        [[athlete]]
        id = "guest"
        age = 40
        """

    @Test func eachStrapBelongsToWhoClaimsItAndTheRestToTheEntryWithoutStraps() throws {
        let config = try IngestConfiguration.parse(Self.gym, path: "gym.toml")
        let roster = config.roster
        #expect(roster.athletes.map(\.id) == ["anna", "ben", "guest"])
        #expect(roster.defaultID == "guest")
        #expect(roster.athlete(for: DeviceAddress("A0:9E:1A:00:00:01")!).id == "anna", "addresses match in any case")
        #expect(roster.athlete(for: DeviceAddress("C0:00:00:00:00:09")!, name: "Polar H10 ABCD").id == "anna", "or by advertised name")
        #expect(roster.athlete(for: DeviceAddress("A0:9E:1A:00:00:02")!).profile.maximumHeartRate == 201)
        #expect(roster.athlete(for: DeviceAddress("A0:9E:1A:00:00:03")!).id == "guest")
        #expect(roster.athlete(id: "anna")?.name == "Anna K." && roster.athlete(id: "anna")?.ftoGenotype == .at)
        #expect(roster.athlete(id: "ben")?.name == "ben", "the name defaults to the id")
        // The default person's profile is what analyze and unclaimed straps use.
        #expect(config.athlete.age == 40)
    }

    @Test func anAssignmentWinsOverTheConfigAndAnUnknownOneIsIgnored() throws {
        var roster = try IngestConfiguration.parse(Self.gym, path: "gym.toml").roster
        let strap = DeviceAddress("A0:9E:1A:00:00:01")!
        roster.assignments = [strap.description: "ben"]
        #expect(roster.athlete(for: strap).id == "ben")
        roster.assignments = [strap.description: "left-the-gym"]
        #expect(roster.athlete(for: strap).id == "anna", "an assignment to an athlete no longer configured falls back")
    }

    @Test func theOldSingleAthleteTableIsTheDefaultPerson() throws {
        let config = try IngestConfiguration.parse("[athlete]\nage = 52\n", path: "c.toml")
        #expect(config.roster.athletes.map(\.id) == [Athlete.defaultID])
        #expect(config.roster.athlete(for: DeviceAddress("A0:9E:1A:00:00:01")!).profile.age == 52)
        let none = try IngestConfiguration.parse("", path: "c.toml").roster
        #expect(none.defaultAthlete.id == Athlete.defaultID && none.defaultAthlete.profile == AthleteProfile())
    }

    @Test func withoutAnEntryWithoutStrapsUnclaimedStrapsGoToABuiltInDefault() throws {
        let roster = try IngestConfiguration.parse("[[athlete]]\nid = \"anna\"\nstraps = [\"A0:9E:1A:00:00:01\"]\n", path: "c.toml").roster
        #expect(roster.athlete(for: DeviceAddress("A0:9E:1A:00:00:07")!).id == Athlete.defaultID)
        #expect(roster.athletes.count == 2)
    }

    /// Every refusal names the file, the line and the key of the entry at fault.
    @Test(arguments: [
        ("[[athlete]]\nid = \"a\"\nstraps = [\"A0:9E:1A:00:00:01\"]\n\n[[athlete]]\nid = \"b\"\nstraps = [\"a0:9e:1a:00:00:01\"]\n",
         "c.toml:7: athlete[1].straps", "already worn by athlete \"a\""),
        ("[[athlete]]\nid = \"a\"\n[[athlete]]\nid = \"a\"\nstraps = [\"x\"]\n", "c.toml:4: athlete[1].id", "already the id"),
        ("[[athlete]]\nname = \"no id\"\n", "c.toml:1: athlete[0].id", "needs an id"),
        ("[[athlete]]\nid = \"a\"\n[[athlete]]\nid = \"b\"\n", "c.toml:3: athlete[1].straps", "only one athlete may go without straps"),
        ("[[athlete]]\nid = \"a\"\nweight = 80\n", "c.toml:3: athlete[0].weight", "unknown key"),
        ("[[athlete]]\nid = \"../etc\"\n", "c.toml:2: athlete[0].id", "expected 1–64 letters"),
        ("[[athlete]]\nid = \"a\"\nage = 900\n", "c.toml:3: athlete[0].age", "outside"),
        ("[[athlete]]\nid = \"a\"\nfirst_threshold_heart_rate = 160\nsecond_threshold_heart_rate = 150\n",
         "c.toml:4: athlete[0].second_threshold_heart_rate", "must be above"),
    ])
    func aBadEntryIsRefusedWithItsLineAndKey(text: String, place: String, reason: String) {
        do {
            _ = try IngestConfiguration.parse(text, path: "c.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(place), "\(error)")
            #expect(error.description.contains(reason), "\(error)")
        }
    }
}
