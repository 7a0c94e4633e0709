import GRDB

/// The tables of the state database and how each version of ingestd migrates to them. A
/// migration, once released, is never edited: a later change is a new migration.
enum StateSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 sessions, days, athletes") { db in
            // A finished session: its summary (the session JSON, one line) and what is queried.
            try db.execute(sql: """
                CREATE TABLE session (
                  id TEXT PRIMARY KEY NOT NULL,
                  athlete TEXT,
                  strap TEXT NOT NULL,
                  start REAL NOT NULL,
                  "end" REAL NOT NULL,
                  class TEXT NOT NULL,
                  trimp REAL NOT NULL,
                  summary TEXT NOT NULL
                );
                CREATE INDEX session_by_start ON session (start, id);
                CREATE INDEX session_by_athlete ON session (athlete, start);
                CREATE INDEX session_by_class ON session (class, start);
                CREATE INDEX session_by_strap ON session (strap, start);
                """)
            // The weekly facts of a session (kept even where its summary is gone: weekly.json
            // of older versions held days whose summaries were never kept).
            try db.execute(sql: """
                CREATE TABLE training_day (
                  session_id TEXT PRIMARY KEY NOT NULL,
                  athlete TEXT,
                  start REAL NOT NULL,
                  trimp REAL NOT NULL,
                  moderate_minutes REAL NOT NULL,
                  vigorous_minutes REAL NOT NULL,
                  endurance_minutes REAL NOT NULL,
                  strength INTEGER NOT NULL
                );
                CREATE INDEX training_day_by_athlete ON training_day (athlete, start);
                CREATE INDEX training_day_by_start ON training_day (start);
                """)
            try db.execute(sql: """
                CREATE TABLE strap_assignment (
                  strap TEXT PRIMARY KEY NOT NULL,
                  athlete TEXT NOT NULL
                );
                CREATE TABLE learned_heart_rate (
                  athlete TEXT NOT NULL,
                  kind TEXT NOT NULL CHECK (kind IN ('maximum', 'resting')),
                  bpm REAL NOT NULL,
                  session TEXT NOT NULL,
                  at TEXT NOT NULL,
                  PRIMARY KEY (athlete, kind)
                );
                """)
        }
        return migrator
    }
}
