//! The tracking database: SQLite in WAL mode, versioned by `PRAGMA user_version`.
//!
//! This module is the only SQL in drawdown. It keeps the scenario (its exact text and
//! SHA-256), the plans made for it, imports, and the append-only event log; it checks
//! nothing about the withdrawal itself, which is `track`'s business, but it runs the
//! caller's check inside the write transaction, so that what is checked is exactly the
//! log that the new events join, even with several writers.
//!
//! Every write is one transaction: a batch of events is all there or not at all, also
//! when the process is killed. Writers wait up to the busy timeout for each other and
//! then fail with [`StoreError::Busy`]; readers never block writers (WAL).

use crate::track::event::{self, Event, RawEvent};
use crate::track::problem::{Loc, Problem};
use jiff::civil::Date;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Schema version this build writes.
pub const LATEST: u32 = 2;

/// `PRAGMA application_id` of drawdown databases ("drdw"), so that another program's
/// SQLite file is never mistaken for one.
pub const APPLICATION_ID: i32 = 0x6472_6477;

/// How long a writer waits for another before giving up with [`StoreError::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Migration `i` takes the schema from version `i` to `i + 1`. Shipped migrations are
/// never edited: a database made by an older drawdown replays the later ones.
const MIGRATIONS: [&str; LATEST as usize] = [
    // v1: scenarios, plans and the append-only event log.
    "CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        text TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
    );
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
        kind TEXT NOT NULL CHECK (kind IN ('baseline', 'replan')),
        as_of TEXT,
        parent_id INTEGER REFERENCES plans(id),
        made_at TEXT NOT NULL,
        made_by TEXT NOT NULL,
        plan_json TEXT NOT NULL
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
        kind TEXT NOT NULL,
        date TEXT NOT NULL,
        ref TEXT,
        data TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
    );
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
    // v2: imports (which file each event came from, and a guard against importing the
    // same file twice), and indexes for the status and export queries.
    "CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        rows INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
    );
    CREATE INDEX imports_by_hash ON imports(sha256);
    ALTER TABLE events ADD COLUMN import_id INTEGER REFERENCES imports(id);
    CREATE INDEX events_by_date ON events(date, id);
    CREATE INDEX events_by_ref ON events(ref) WHERE ref IS NOT NULL;",
];

/// Who records, and when (the caller's clock: this crate reads none).
#[derive(Clone, Debug)]
pub struct Stamp {
    /// When.
    pub at: jiff::Timestamp,
    /// Who.
    pub by: String,
}

impl Stamp {
    fn at(&self) -> String {
        self.at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why the database cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No file at the path.
    #[error("no tracking database at {path}")]
    Missing {
        /// The path.
        path: String,
    },
    /// The file is not a drawdown database.
    #[error("{path} is not a drawdown tracking database: {detail}")]
    Foreign {
        /// The path.
        path: String,
        /// What it is instead.
        detail: String,
    },
    /// A newer drawdown made the file.
    #[error("{path} has schema version {found}; this drawdown knows versions up to {known}")]
    TooNew {
        /// The path.
        path: String,
        /// Version in the file.
        found: u32,
        /// Latest version known.
        known: u32,
    },
    /// Another process held the write lock for longer than the busy timeout.
    #[error("{path} is busy: another process kept it locked for {} s", BUSY_TIMEOUT.as_secs())]
    Busy {
        /// The path.
        path: String,
    },
    /// `track init` has not been run.
    #[error("{path} tracks no scenario yet")]
    NoScenario {
        /// The path.
        path: String,
    },
    /// `track init` with a different scenario than the one tracked.
    #[error("{path} already tracks scenario `{name}` (sha256 {sha256}), a different text")]
    OtherScenario {
        /// The path.
        path: String,
        /// Name of the tracked scenario.
        name: String,
        /// Its hash.
        sha256: String,
    },
    /// A stored row that this build cannot read.
    #[error("{path}: stored {what} cannot be read: {detail}")]
    Corrupt {
        /// The path.
        path: String,
        /// Which row.
        what: String,
        /// Why.
        detail: String,
    },
    /// Any other SQLite failure.
    #[error("{path}: {source}")]
    Sqlite {
        /// The path.
        path: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// Stable code, documented in `docs/tracking.md`.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Missing { .. } => "T501",
            StoreError::Foreign { .. } => "T502",
            StoreError::TooNew { .. } => "T503",
            StoreError::Busy { .. } => "T504",
            StoreError::NoScenario { .. } => "T505",
            StoreError::OtherScenario { .. } => "T506",
            StoreError::Corrupt { .. } => "T507",
            StoreError::Sqlite { .. } => "T508",
        }
    }

    /// What to do about it.
    pub fn fix(&self) -> &'static str {
        match self {
            StoreError::Missing { .. } => {
                "run `drawdown track init SCENARIO` first, or give the right file with --db"
            }
            StoreError::Foreign { .. } => {
                "give the tracking database with --db (drawdown.db unless named otherwise)"
            }
            StoreError::TooNew { .. } => "use the drawdown that made the file, or a newer one",
            StoreError::Busy { .. } => {
                "try again; if it stays busy, look for a drawdown or SQLite tool holding the file open"
            }
            StoreError::NoScenario { .. } => "run `drawdown track init SCENARIO` first",
            StoreError::OtherScenario { .. } => {
                "a database tracks one scenario: give a new --db for the other scenario"
            }
            StoreError::Corrupt { .. } | StoreError::Sqlite { .. } => {
                "keep a copy of the file and report the problem; `track export` reads what it can"
            }
        }
    }

    /// Whether a retry may succeed (exit code 3 in the CLI).
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Busy { .. })
    }
}

/// A batch of events that was not written, and why.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// The events break rules; nothing was written.
    #[error("{} problem(s); nothing was written", .0.len())]
    Rejected(Vec<Problem>),
    /// The database failed; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The tracked scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioRow {
    /// Row id.
    pub id: i64,
    /// The scenario's name.
    pub name: String,
    /// The file it was read from, as given.
    pub source: String,
    /// The file's exact text.
    pub text: String,
    /// SHA-256 of the text.
    pub sha256: String,
    /// When it was stored.
    pub added_at: String,
    /// Who stored it.
    pub added_by: String,
}

/// A stored plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRow {
    /// Row id (plans are numbered in the order they were made).
    pub id: i64,
    /// `baseline` or `replan`.
    pub kind: String,
    /// For a re-plan: the first day it could schedule new movements.
    pub as_of: Option<Date>,
    /// The plan it replaced.
    pub parent: Option<i64>,
    /// When it was made.
    pub made_at: String,
    /// Who made it.
    pub made_by: String,
    /// The plan file (`plan.json` text).
    pub json: String,
}

/// An event as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    /// Event id: its place in the log.
    pub id: i64,
    /// The event.
    pub event: Event,
    /// When it was recorded.
    pub recorded_at: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// The import it came with, if any.
    pub import: Option<i64>,
}

/// A file being imported.
#[derive(Clone, Debug)]
pub struct ImportFile {
    /// The file as the user named it.
    pub source: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// What a successful append wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    /// Ids of the events written, in order.
    pub ids: Vec<i64>,
    /// The import row, for an import.
    pub import: Option<i64>,
}

/// An open tracking database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Open the database at `path`, creating it when missing, and migrate it to
    /// [`LATEST`].
    pub fn create(path: &Path) -> Result<Store, StoreError> {
        Store::open_at_version(path, true, LATEST)
    }

    /// Open the existing database at `path` and migrate it to [`LATEST`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_at_version(path, false, LATEST)
    }

    /// Open (or, with `create`, create) the database at `path`, migrating it to schema
    /// `version` at most. Versions older than [`LATEST`] exist for migration tests and
    /// tools; the rest of this API needs [`LATEST`].
    pub fn open_at_version(path: &Path, create: bool, version: u32) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        if !create && !path.exists() {
            return Err(StoreError::Missing { path: name });
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| sql(&name, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sql(&name, e))?;
        let (found, app, tables) = store.identity()?;
        let ours = app == APPLICATION_ID || (app == 0 && found == 0 && tables == 0);
        if !ours {
            return Err(StoreError::Foreign {
                path: name,
                detail: format!(
                    "an SQLite database of another program (application id {app}, {tables} schema object(s))"
                ),
            });
        }
        if found > LATEST {
            return Err(StoreError::TooNew {
                path: name,
                found,
                known: LATEST,
            });
        }
        // WAL lets status and export read while someone records; FULL makes a commit
        // durable before the command reports success.
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| store.err(e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Foreign {
                path: name,
                detail: format!("cannot switch it to WAL mode (it stays in {mode} mode)"),
            });
        }
        store
            .conn
            .execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
            .map_err(|e| store.err(e))?;
        // Only a file behind the wanted version takes the write lock to migrate, so that
        // readers opening an up-to-date file never wait for a writer.
        if found < version.min(LATEST) {
            store.migrate(version)?;
        }
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        sql(&self.path.display().to_string(), e)
    }

    /// `user_version`, `application_id` and the number of schema objects.
    fn identity(&self) -> Result<(u32, i32, i64), StoreError> {
        let q = || -> rusqlite::Result<(u32, i32, i64)> {
            let v: u32 = self
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let a: i32 = self
                .conn
                .query_row("PRAGMA application_id", [], |r| r.get(0))?;
            let n: i64 = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            Ok((v, a, n))
        };
        q().map_err(|e| self.err(e))
    }

    /// Apply the migrations up to `target`, each in its own transaction that re-reads the
    /// version, so that two processes opening an old file at once migrate it once.
    fn migrate(&mut self, target: u32) -> Result<(), StoreError> {
        for v in 0..target.min(LATEST) {
            let name = self.path.display().to_string();
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| sql(&name, e))?;
            let now: u32 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(|e| sql(&name, e))?;
            if now > v {
                continue;
            }
            tx.execute_batch(MIGRATIONS[v as usize])
                .map_err(|e| sql(&name, e))?;
            tx.execute_batch(&format!(
                "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
                v + 1
            ))
            .map_err(|e| sql(&name, e))?;
            tx.commit().map_err(|e| sql(&name, e))?;
        }
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self.identity()?.0)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SQLite's own consistency check: `ok` for a sound file.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Store the scenario to track: its name, where it was read from, and its exact text.
    /// Storing the same text again returns the stored row and `false`; another text is
    /// refused, because a database tracks one scenario.
    pub fn add_scenario(
        &mut self,
        name: &str,
        source: &str,
        text: &str,
        stamp: &Stamp,
    ) -> Result<(ScenarioRow, bool), StoreError> {
        let path = self.path.display().to_string();
        let sha = sha256_hex(text.as_bytes());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql(&path, e))?;
        if let Some(row) = scenario_row(&tx).map_err(|e| sql(&path, e))? {
            if row.sha256 == sha {
                return Ok((row, false));
            }
            return Err(StoreError::OtherScenario {
                path,
                name: row.name,
                sha256: row.sha256,
            });
        }
        tx.execute(
            "INSERT INTO scenarios (name, source, text, sha256, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, source, text, sha, stamp.at(), stamp.by],
        )
        .map_err(|e| sql(&path, e))?;
        let row = scenario_row(&tx)
            .map_err(|e| sql(&path, e))?
            .expect("the row just inserted");
        tx.commit().map_err(|e| sql(&path, e))?;
        Ok((row, true))
    }

    /// The tracked scenario.
    pub fn scenario(&self) -> Result<ScenarioRow, StoreError> {
        scenario_row(&self.conn)
            .map_err(|e| self.err(e))?
            .ok_or_else(|| StoreError::NoScenario {
                path: self.path.display().to_string(),
            })
    }

    /// Store a plan for the tracked scenario; returns its id. `kind` is `baseline` or
    /// `replan`; a re-plan names the first day it could schedule (`as_of`) and the plan
    /// it replaces (`parent`).
    pub fn add_plan(
        &mut self,
        kind: &str,
        as_of: Option<Date>,
        parent: Option<i64>,
        json: &str,
        stamp: &Stamp,
    ) -> Result<i64, StoreError> {
        let scenario = self.scenario()?;
        let path = self.path.display().to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql(&path, e))?;
        tx.execute(
            "INSERT INTO plans (scenario_id, kind, as_of, parent_id, made_at, made_by, plan_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                scenario.id,
                kind,
                as_of.map(|d| d.to_string()),
                parent,
                stamp.at(),
                stamp.by,
                json
            ],
        )
        .map_err(|e| sql(&path, e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| sql(&path, e))?;
        Ok(id)
    }

    /// Every stored plan, oldest first.
    pub fn plans(&self) -> Result<Vec<PlanRow>, StoreError> {
        let q = || -> rusqlite::Result<Vec<PlanRow>> {
            let mut st = self.conn.prepare(
                "SELECT id, kind, as_of, parent_id, made_at, made_by, plan_json FROM plans ORDER BY id",
            )?;
            let rows = st.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?;
            rows.map(|r| {
                r.map(
                    |(id, kind, as_of, parent, made_at, made_by, json)| PlanRow {
                        id,
                        kind,
                        as_of: as_of.and_then(|d| d.parse().ok()),
                        parent,
                        made_at,
                        made_by,
                        json,
                    },
                )
            })
            .collect()
        };
        q().map_err(|e| self.err(e))
    }

    /// The newest plan: the one in force.
    pub fn current_plan(&self) -> Result<Option<PlanRow>, StoreError> {
        Ok(self.plans()?.pop())
    }

    /// The whole log, in append order.
    pub fn events(&self) -> Result<Vec<StoredEvent>, StoreError> {
        read_events(&self.conn, &self.path.display().to_string())
    }

    /// Append a batch of events in one transaction. `check` sees the log as it stands
    /// inside the transaction and returns the events to write (or the problems, and then
    /// nothing is written). An import also records the file, and a file already
    /// imported (same SHA-256) is refused.
    pub fn append(
        &mut self,
        import: Option<&ImportFile>,
        stamp: &Stamp,
        check: impl FnOnce(&[StoredEvent]) -> Result<Vec<Event>, Vec<Problem>>,
    ) -> Result<Appended, AppendError> {
        let path = self.path.display().to_string();
        let scenario = self.scenario()?;
        let e = |e| AppendError::Store(sql(&path, e));
        // IMMEDIATE takes the write lock now: no other writer can change the log
        // between the check and the insert.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)?;
        if let Some(f) = import {
            let before: Option<(i64, String)> = tx
                .query_row(
                    "SELECT id, recorded_at FROM imports WHERE sha256 = ?1 ORDER BY id LIMIT 1",
                    params![f.sha256],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(e)?;
            if let Some((id, at)) = before {
                return Err(AppendError::Rejected(vec![Problem::new(
                    "T210",
                    &Loc {
                        source: f.source.clone(),
                        line: 0,
                        row: 0,
                    },
                    "",
                    format!(
                        "this file was already imported (import #{id}, {at}); nothing was written"
                    ),
                    "import each file once; put only new events in a new file",
                )]));
            }
        }
        let log = read_events(&tx, &path)?;
        let events = check(&log).map_err(AppendError::Rejected)?;
        let import_id = match import {
            Some(f) => {
                tx.execute(
                    "INSERT INTO imports (source, sha256, rows, recorded_at, recorded_by)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        f.source,
                        f.sha256,
                        events.len() as i64,
                        stamp.at(),
                        stamp.by
                    ],
                )
                .map_err(e)?;
                Some(tx.last_insert_rowid())
            }
            None => None,
        };
        let mut ids = Vec::with_capacity(events.len());
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO events (scenario_id, kind, date, ref, data, recorded_at, recorded_by, import_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(e)?;
            let at = stamp.at();
            for ev in &events {
                ins.execute(params![
                    scenario.id,
                    ev.kind().name(),
                    ev.date.to_string(),
                    ev.reference(),
                    ev.to_json().to_string(),
                    at,
                    stamp.by,
                    import_id
                ])
                .map_err(e)?;
                ids.push(tx.last_insert_rowid());
            }
        }
        tx.commit().map_err(e)?;
        Ok(Appended {
            ids,
            import: import_id,
        })
    }
}

fn sql(path: &str, e: rusqlite::Error) -> StoreError {
    let path = path.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        Some(ErrorCode::NotADatabase) => StoreError::Foreign {
            path,
            detail: "not an SQLite database".to_string(),
        },
        _ => StoreError::Sqlite { path, source: e },
    }
}

fn scenario_row(conn: &Connection) -> rusqlite::Result<Option<ScenarioRow>> {
    conn.query_row(
        "SELECT id, name, source, text, sha256, added_at, added_by FROM scenarios ORDER BY id LIMIT 1",
        [],
        |r| {
            Ok(ScenarioRow {
                id: r.get(0)?,
                name: r.get(1)?,
                source: r.get(2)?,
                text: r.get(3)?,
                sha256: r.get(4)?,
                added_at: r.get(5)?,
                added_by: r.get(6)?,
            })
        },
    )
    .optional()
}

fn read_events(conn: &Connection, path: &str) -> Result<Vec<StoredEvent>, StoreError> {
    // Files of schema v1 have no import column; they are migrated before use, so every
    // file read here has it.
    // Id, event JSON, recorded at, recorded by, import.
    type Row = (i64, String, String, String, Option<i64>);
    let rows = (|| -> rusqlite::Result<Vec<Row>> {
        let mut st = conn.prepare_cached(
            "SELECT id, data, recorded_at, recorded_by, import_id FROM events ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        rows.collect()
    })()
    .map_err(|e| sql(path, e))?;
    rows.into_iter()
        .map(|(id, data, recorded_at, recorded_by, import)| {
            let corrupt = |detail: String| StoreError::Corrupt {
                path: path.to_string(),
                what: format!("event #{id}"),
                detail,
            };
            let loc = Loc::log(id);
            let obj = match serde_json::from_str::<serde_json::Value>(&data) {
                Ok(serde_json::Value::Object(o)) => o,
                Ok(_) => return Err(corrupt("not a JSON object".into())),
                Err(e) => return Err(corrupt(e.to_string())),
            };
            let (raw, problems): (RawEvent, _) = RawEvent::from_json(&obj, &loc);
            if let Some(p) = problems.first() {
                return Err(corrupt(p.cause.clone()));
            }
            let event = event::parse(&raw, &loc)
                .map_err(|p| corrupt(p.first().map(|p| p.cause.clone()).unwrap_or_default()))?;
            Ok(StoredEvent {
                id,
                event,
                recorded_at,
                recorded_by,
                import,
            })
        })
        .collect()
}
