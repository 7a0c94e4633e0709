import GRDB
import Glibc
import Ingest
import Physiology

/// Fills the state database from the files: on its first start (an upgrade from the JSON files
/// of earlier versions, or a rebuild after a damaged database was moved aside) from
/// `weekly.json` and `athletes.json`; at every start from each `sessions/*.json` export it does
/// not hold yet. One transaction for all of it; a file that cannot be read is reported and
/// skipped, never a reason to lose the others.
struct StateImport {
    let database: StateDatabase
    let stateDirectory: String
    /// Whether the database was just created (the older state files are read once, then).
    let created: Bool

    /// The weekly file of earlier versions, renamed to `.imported` once its days are in the database.
    static let weeklyFileName = "weekly.json"

    struct WeeklyFile: Codable {
        var version = 1
        var sessions: [TrainingDay]
    }

    func run(problems: inout [String]) {
        var days: [TrainingDay] = []
        var athletes: AthleteStore.File?
        let weeklyPath = stateDirectory + "/" + Self.weeklyFileName
        if created {
            days = StateFile.load(WeeklyFile.self, path: weeklyPath, what: "weekly state", keepingAside: true, problems: &problems)?.sessions ?? []
            athletes = StateFile.load(AthleteStore.File.self, path: stateDirectory + "/" + AthleteStore.fileName, what: "athlete state",
                                      keepingAside: true, problems: &problems)
        }
        let sessions = missingSessions(problems: &problems)
        guard !days.isEmpty || athletes != nil || !sessions.isEmpty else { return }
        do {
            var learned = try database.learned()
            for record in sessions {
                guard let athlete = record.athlete else { continue }
                var known = learned[athlete] ?? LearnedHeartRate()
                if known.learn(from: record) { learned[athlete] = known }
            }
            for (athlete, kept) in athletes?.learned ?? [:] {
                var known = learned[athlete] ?? LearnedHeartRate()
                if let m = kept.maximum, m.bpm > (known.maximum?.bpm ?? 0) { known.maximum = m }
                if let r = kept.resting, r.bpm < (known.resting?.bpm ?? .infinity) { known.resting = r }
                learned[athlete] = known
            }
            try database.write { db in
                for day in days { try StateDatabase.insert(day, into: db) }
                // A session's own summary decides its day (a weekly file's copy may be older).
                for record in sessions { try StateDatabase.insert(record, into: db) }
                for (strap, athlete) in athletes?.assignments ?? [:] {
                    try db.execute(sql: "INSERT OR REPLACE INTO strap_assignment (strap, athlete) VALUES (?, ?)", arguments: [strap, athlete])
                }
                for (athlete, value) in learned { try StateDatabase.insert(value, of: athlete, into: db) }
            }
        } catch {
            problems.append("importing the state files into \(database.path) failed: \(error)")
            return
        }
        if !days.isEmpty {
            // Its days are in the database now: the file is no longer what the daemon reads.
            rename(weeklyPath, weeklyPath + ".imported")
        }
    }

    /// The `sessions/*.json` exports whose session the database does not hold, oldest first.
    func missingSessions(problems: inout [String]) -> [SessionRecord] {
        let known: Set<String>
        do {
            known = try database.sessionIDs()
        } catch {
            problems.append("\(error)")
            return []
        }
        let (records, unreadable) = SessionStore.load(stateDirectory: stateDirectory, except: known)
        problems += unreadable.map { $0 + ", not imported" }
        return records
    }
}
