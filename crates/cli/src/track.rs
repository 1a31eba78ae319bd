//! `drawdown track`: record what actually happened in a SQLite database, compare it with
//! the plan, and plan the rest from the actual state.
//!
//! Glue only: the rules live in the `store` crate (`store::track` checks and replays
//! events, `store::db` keeps them). This module reads the clock (when an event is
//! recorded, and today's date for `status`) and the user name, so that no library does.
//! Exit codes: 0 done, 1 no plan (re-planning found none), 2 bad input
//! (nothing written), 3 the database is busy (nothing written; try again).

use crate::table::Table;
use clap::{Args, Subcommand, ValueEnum};
use jiff::civil::Date;
use model::{Plan, Scenario};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use store::db::{AppendError, ImportFile, Stamp, Store, StoreError};
use store::track::read::{self, Format as FileFormat};
use store::track::{Event, Loc, Problem, RawEvent, event, freeze, replay, status};

/// `drawdown track`.
#[derive(Debug, Args)]
pub struct TrackArgs {
    /// The tracking database (SQLite; created by `track init`).
    #[arg(long, global = true, default_value = "drawdown.db")]
    pub db: PathBuf,
    /// Who records or plans (default: $USER).
    #[arg(long, global = true)]
    pub by: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: TrackCommand,
}

/// The `track` subcommands.
#[derive(Debug, Subcommand)]
pub enum TrackCommand {
    /// Start tracking a scenario: create the database, store the scenario's text and a
    /// baseline plan (made and checked here, or given with --plan).
    Init(InitArgs),
    /// Record one event, given by flags.
    Record(Box<RecordArgs>),
    /// Record every event of a CSV or JSON-lines file, all or nothing.
    Import(ImportArgs),
    /// Plan against reality per site on a day: stocks, closures, personnel out, what is late.
    Status(StatusArgs),
    /// Write the event log as CSV or JSON lines.
    Export(ExportArgs),
    /// Plan the rest of the withdrawal from what has happened, keeping it unchanged.
    Replan(ReplanArgs),
}

/// `track init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Baseline plan (plan.json) instead of planning here; it must pass the checker.
    #[arg(long)]
    pub plan: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `track record`: one event. Which flags apply depends on the kind (docs/tracking.md).
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// convoy-departed, convoy-arrived, flight-flown, stock-abandoned, stock-handed-over,
    /// site-closed or hazard.
    pub kind: String,
    /// The day it happened (YYYY-MM-DD).
    #[arg(long)]
    pub date: Option<String>,
    /// Convoy reference (links a departure and its arrival).
    #[arg(long)]
    pub convoy: Option<String>,
    /// Flight number.
    #[arg(long)]
    pub flight: Option<String>,
    /// Road id (a convoy: optional when one road joins --from and --to).
    #[arg(long)]
    pub road: Option<String>,
    /// Departure site.
    #[arg(long)]
    pub from: Option<String>,
    /// Destination site.
    #[arg(long)]
    pub to: Option<String>,
    /// The site (stock left, site closed, hazard).
    #[arg(long)]
    pub site: Option<String>,
    /// Aircraft type.
    #[arg(long)]
    pub aircraft: Option<String>,
    /// Sorties flown (default 1).
    #[arg(long)]
    pub sorties: Option<String>,
    /// Containers (TEU).
    #[arg(long)]
    pub teu: Option<String>,
    /// Self-propelled stock vehicles.
    #[arg(long)]
    pub vehicles: Option<String>,
    /// Personnel by contingent: `td=120,bd=30`.
    #[arg(long, value_delimiter = ',')]
    pub personnel: Vec<String>,
    /// Fleet units by fleet: `trucks=10,escorts=2`.
    #[arg(long, value_delimiter = ',')]
    pub units: Vec<String>,
    /// road-closed, permission-refused or incident.
    #[arg(long)]
    pub hazard: Option<String>,
    /// Last day a hazard applies (YYYY-MM-DD; default: its date).
    #[arg(long)]
    pub until: Option<String>,
    /// Free text.
    #[arg(long)]
    pub note: Option<String>,
}

/// Event file forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// `track import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file (.csv, or .jsonl / .ndjson / .json for JSON lines).
    pub file: PathBuf,
    /// The file's form, when its name does not say.
    #[arg(long, value_enum)]
    pub format: Option<LogFormat>,
}

/// Output of `track status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// Human-readable table.
    #[default]
    Table,
    /// JSON for dashboards.
    Json,
    /// The per-site plan-vs-actual table as CSV.
    Csv,
}

/// `track status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The day (YYYY-MM-DD; default: today, kept inside the horizon).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: StatusFormat,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `track export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = LogFormat::Csv)]
    pub format: LogFormat,
    /// Write to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `track replan`.
#[derive(Debug, Args)]
pub struct ReplanArgs {
    /// First day new movements may be scheduled (YYYY-MM-DD; default: the day after the
    /// last recorded event).
    #[arg(long)]
    pub now: Option<String>,
    /// Directory for plan.json, convoys.csv, flights.csv and sites.csv.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// The optimising planner's search, as in `drawdown plan`: every policy plans the rest
    /// of the withdrawal from `--now`, and the best plan that keeps the recorded movements
    /// and passes the checker is kept.
    #[command(flatten)]
    pub search: crate::cmd::SearchArgs,
}

const BAD_INPUT: u8 = 2;

/// A progress bar on stderr that shows itself only once planning takes over a second.
struct Bar {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    quiet: bool,
    shown: bool,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(0),
            indicatif::ProgressDrawTarget::hidden(),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template("  planning [{bar:40}] {pos}/{len}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar {
            bar,
            start: std::time::Instant::now(),
            quiet,
            shown: false,
        }
    }

    fn update(&mut self, done: u64, total: u64) {
        self.bar.set_length(total);
        self.bar.set_position(done);
        if !self.shown && !self.quiet && self.start.elapsed().as_secs() >= 1 {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
const BUSY: u8 = 3;

/// Run a `track` subcommand.
pub fn run(a: &TrackArgs) -> anyhow::Result<ExitCode> {
    let stamp = Stamp {
        at: jiff::Timestamp::now(),
        by: a.by.clone().unwrap_or_else(|| {
            std::env::var("USER")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "unknown".to_string())
        }),
    };
    let result = match &a.command {
        TrackCommand::Init(x) => init(&a.db, x, &stamp),
        TrackCommand::Record(x) => record(&a.db, x, &stamp),
        TrackCommand::Import(x) => import(&a.db, x, &stamp),
        TrackCommand::Status(x) => status_cmd(&a.db, x),
        TrackCommand::Export(x) => export(&a.db, x),
        TrackCommand::Replan(x) => replan(&a.db, x, &stamp),
    };
    Ok(result.unwrap_or_else(|code| code))
}

/// Print a database error with its code and fix; busy is exit 3, the rest bad input.
fn store_error(e: &StoreError) -> ExitCode {
    eprintln!("error[{}]: {e}\n  fix: {}", e.code(), e.fix());
    ExitCode::from(if e.is_busy() { BUSY } else { BAD_INPUT })
}

/// Print problems (all of them) and a count; exit 2.
fn problems(p: &[Problem], what: &str) -> ExitCode {
    for x in p {
        eprintln!("{x}");
    }
    eprintln!("{what}: {} problem(s); nothing was written", p.len());
    ExitCode::from(BAD_INPUT)
}

/// Load scenario text, printing its diagnostics.
fn load_text(file: &str, text: &str) -> Result<Scenario, ExitCode> {
    match scenario::load_str(file, text) {
        Ok(l) => Ok(l.scenario),
        Err(scenario::LoadError::Invalid(diags)) => {
            for d in &diags {
                eprintln!("{d}");
            }
            eprintln!("{file}: the scenario is not valid");
            Err(ExitCode::from(BAD_INPUT))
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(BAD_INPUT))
        }
    }
}

/// Open the database and the scenario it tracks.
pub(crate) fn open(db: &Path) -> Result<(Store, Scenario), ExitCode> {
    let store = Store::open(db).map_err(|e| store_error(&e))?;
    let row = store.scenario().map_err(|e| store_error(&e))?;
    let s = load_text(&row.source, &row.text)?;
    Ok((store, s))
}

fn day(text: &str, flag: &str) -> Result<Date, ExitCode> {
    text.parse::<Date>().map_err(|_| {
        eprintln!(
            "error[T005]: command line: {flag}: `{text}` is not a date\n  fix: write the day as YYYY-MM-DD"
        );
        ExitCode::from(BAD_INPUT)
    })
}

fn write_out(out: Option<&Path>, text: &str) -> Result<(), ExitCode> {
    match out {
        None => {
            print!("{text}");
            Ok(())
        }
        Some(p) => scenario::planfile::write_atomic(p, text.as_bytes()).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(BAD_INPUT)
        }),
    }
}

/// `track init SCENARIO`.
fn init(db: &Path, a: &InitArgs, stamp: &Stamp) -> Result<ExitCode, ExitCode> {
    let source = a.scenario.display().to_string();
    let text = std::fs::read_to_string(&a.scenario).map_err(|e| {
        eprintln!("error: cannot read {source}: {e}");
        ExitCode::from(BAD_INPUT)
    })?;
    let s = load_text(&source, &text)?;
    let file = match &a.plan {
        Some(p) => {
            let file = scenario::check::read_plan(p).map_err(|e| {
                eprintln!("error: {e}");
                ExitCode::from(BAD_INPUT)
            })?;
            let report = scenario::check::verify(&s, &file);
            if !report.is_feasible() {
                for v in &report.violations {
                    eprintln!("{v}");
                }
                eprintln!(
                    "error: {} fails the checker ({} violation(s)); a baseline plan must be feasible",
                    p.display(),
                    report.violations.len()
                );
                return Err(ExitCode::from(BAD_INPUT));
            }
            file
        }
        None => {
            let bar = std::sync::Mutex::new(Bar::new(a.quiet));
            // The same planner as `drawdown plan`, so the tracked baseline is the plan the
            // user saw.
            let made = crate::cmd::optimize(&s, &planner::OptimizeConfig::default(), &|d, t| {
                bar.lock().expect("progress lock").update(d, t)
            })
            .map(|o| o.plan);
            let plan = made.map_err(|e| {
                eprintln!("error: no plan for {source}: {e}");
                ExitCode::from(1)
            })?;
            let mut meta = BTreeMap::new();
            meta.insert(
                "planner".to_string(),
                serde_json::json!("greedy-missions/2"),
            );
            checked(&s, &plan, meta)?
        }
    };
    let mut store = Store::create(db).map_err(|e| store_error(&e))?;
    let (row, created) = store
        .add_scenario(&s.name, &source, &text, stamp)
        .map_err(|e| store_error(&e))?;
    if !created {
        let events = store.events().map_err(|e| store_error(&e))?.len();
        let plan = store.current_plan().map_err(|e| store_error(&e))?;
        println!(
            "{} already tracks {} (sha256 {}; {events} event(s), plan #{}); nothing changed",
            db.display(),
            row.name,
            &row.sha256[..12],
            plan.map_or(0, |p| p.id)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let id = store
        .add_plan(
            "baseline",
            None,
            None,
            &scenario::planfile::to_json(&file),
            stamp,
        )
        .map_err(|e| store_error(&e))?;
    println!(
        "{}: tracking {} (sha256 {}); baseline plan #{id}: {} convoy legs, {} flights (checked: feasible)",
        db.display(),
        row.name,
        &row.sha256[..12],
        file.convoys.len(),
        file.flights.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The plan file of `plan`, judged by the independent checker; exit 1 if it fails.
fn checked(
    s: &Scenario,
    plan: &Plan,
    meta: BTreeMap<String, serde_json::Value>,
) -> Result<scenario::planfile::PlanFile, ExitCode> {
    let file = scenario::planfile::to_file(s, plan, meta);
    let report = scenario::check::verify(s, &file);
    if report.is_feasible() {
        return Ok(file);
    }
    for v in &report.violations {
        eprintln!("{v}");
    }
    eprintln!(
        "error: the plan fails the checker ({} violation(s)); this is a planner bug, please report it",
        report.violations.len()
    );
    Err(ExitCode::from(1))
}

/// Append `batch` (checked against the log inside the write transaction).
fn append(
    db: &Path,
    import: Option<&ImportFile>,
    batch: &[(Loc, Event)],
    stamp: &Stamp,
    what: &str,
) -> Result<Vec<i64>, ExitCode> {
    let (mut store, s) = open(db)?;
    let result = store.append(import, stamp, |log| {
        let log: Vec<(i64, &Event)> = log.iter().map(|e| (e.id, &e.event)).collect();
        replay::check(&s, &log, batch)
    });
    match result {
        Ok(a) => Ok(a.ids),
        Err(AppendError::Rejected(p)) => Err(problems(&p, what)),
        Err(AppendError::Store(e)) => Err(store_error(&e)),
    }
}

/// `track record KIND --flags`.
fn record(db: &Path, a: &RecordArgs, stamp: &Stamp) -> Result<ExitCode, ExitCode> {
    let loc = Loc::command_line();
    let mut raw = RawEvent::default();
    raw.set("kind", &a.kind);
    let fields = [
        ("date", &a.date),
        ("convoy", &a.convoy),
        ("flight", &a.flight),
        ("road", &a.road),
        ("from", &a.from),
        ("to", &a.to),
        ("site", &a.site),
        ("aircraft", &a.aircraft),
        ("sorties", &a.sorties),
        ("teu", &a.teu),
        ("vehicles", &a.vehicles),
        ("hazard", &a.hazard),
        ("until", &a.until),
        ("note", &a.note),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            raw.set(k, v.as_str());
        }
    }
    let mut bad = Vec::new();
    for (name, pairs, map) in [
        ("personnel", &a.personnel, &mut raw.personnel),
        ("units", &a.units, &mut raw.units),
    ] {
        for p in pairs {
            match p.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => {
                    map.insert(k.trim().to_string(), v.trim().to_string());
                }
                _ => bad.push(Problem::new(
                    "T005",
                    &loc,
                    name,
                    format!("`{p}` is not ID=COUNT"),
                    format!(
                        "write --{name} as ID=COUNT pairs separated by commas, like td=120,bd=30"
                    ),
                )),
            }
        }
    }
    let parsed = event::parse(&raw, &loc);
    let e = match parsed {
        Ok(e) if bad.is_empty() => e,
        Ok(_) => return Err(problems(&bad, "command line")),
        Err(p) => {
            bad.extend(p);
            return Err(problems(&bad, "command line"));
        }
    };
    let ids = append(db, None, &[(loc, e.clone())], stamp, "command line")?;
    println!(
        "recorded event #{}: {} on {}{}",
        ids[0],
        e.kind().name(),
        e.date,
        e.reference().map(|r| format!(" ({r})")).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// `track import FILE`.
fn import(db: &Path, a: &ImportArgs, stamp: &Stamp) -> Result<ExitCode, ExitCode> {
    let source = a.file.display().to_string();
    let bytes = std::fs::read(&a.file).map_err(|e| {
        eprintln!(
            "error[T001]: cannot read {source}: {e}\n  fix: give an existing CSV or JSON-lines file"
        );
        ExitCode::from(BAD_INPUT)
    })?;
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        eprintln!(
            "error[T001]: {source} is not UTF-8 text\n  fix: save the file as UTF-8 CSV or JSON lines"
        );
        return Err(ExitCode::from(BAD_INPUT));
    };
    let format = match a.format {
        Some(LogFormat::Csv) => FileFormat::Csv,
        Some(LogFormat::Jsonl) => FileFormat::Jsonl,
        None => FileFormat::of_path(&a.file).ok_or_else(|| {
            eprintln!(
                "error[T001]: cannot tell the form of {source} from its name\n  fix: name it .csv or .jsonl, or give --format csv|jsonl"
            );
            ExitCode::from(BAD_INPUT)
        })?,
    };
    let batch = read::read(&source, &text, format).map_err(|p| problems(&p, &source))?;
    let file = ImportFile {
        source: source.clone(),
        sha256: store::db::sha256_hex(&bytes),
    };
    let ids = append(db, Some(&file), &batch, stamp, &source)?;
    match (ids.first(), ids.last()) {
        (Some(a), Some(b)) => println!(
            "imported {} event(s) from {source} (events #{a} to #{b})",
            ids.len()
        ),
        _ => println!("{source} holds no events; nothing was written"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `track status`.
fn status_cmd(db: &Path, a: &StatusArgs) -> Result<ExitCode, ExitCode> {
    let (store, s) = open(db)?;
    let plan_row = store
        .current_plan()
        .map_err(|e| store_error(&e))?
        .ok_or_else(|| {
            eprintln!(
                "error[T505]: {} holds no plan\n  fix: run `drawdown track init SCENARIO`",
                db.display()
            );
            ExitCode::from(BAD_INPUT)
        })?;
    let plan = scenario::check::parse_plan(&format!("plan #{}", plan_row.id), &plan_row.json)
        .map_err(|e| {
            eprintln!("error[T507]: {e}\n  fix: make a new plan with `drawdown track replan`");
            ExitCode::from(BAD_INPUT)
        })?;
    let h = &s.horizon;
    let as_of = match &a.as_of {
        Some(t) => day(t, "--as-of")?,
        // The clock is read here, at the edge (today in UTC); a scenario in the past or
        // future is shown on its first or last day.
        None => jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date()
            .clamp(h.start, h.date(h.last())),
    };
    let log = store.events().map_err(|e| store_error(&e))?;
    let refs: Vec<(i64, &Event)> = log.iter().map(|e| (e.id, &e.event)).collect();
    let st = status::status(&s, &plan, &refs, as_of);
    let text = match a.format {
        StatusFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&{
                let mut j = st.to_json();
                j["scenario"] = serde_json::json!(s.name);
                j["plan"] = serde_json::json!({
                    "id": plan_row.id, "kind": plan_row.kind, "made_at": plan_row.made_at,
                    "as_of": plan_row.as_of.map(|d| d.to_string()),
                });
                j
            })
            .expect("json")
        ),
        StatusFormat::Csv => st.to_csv(),
        StatusFormat::Table => status_table(&s, &plan_row, &st),
    };
    write_out(a.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn status_table(s: &Scenario, plan: &store::db::PlanRow, st: &status::Status) -> String {
    let mut out = format!(
        "Status of {} on {} against plan #{} ({}{}); {} event(s), {} convoy(s) under way\n\n",
        s.name,
        st.as_of,
        plan.id,
        plan.kind,
        plan.as_of.map(|d| format!(" from {d}")).unwrap_or_default(),
        st.events,
        st.under_way
    );
    let mut t = Table::new(&[
        "site",
        "state",
        "personnel",
        "(plan)",
        "teu",
        "(plan)",
        "vehicles",
        "(plan)",
        "planned closure",
        "closed",
        "deadline",
    ]);
    let d = |x: Option<Date>| x.map_or("-".to_string(), |d| d.to_string());
    for r in &st.sites {
        t.row(vec![
            r.site.clone(),
            r.state.to_string(),
            r.actual[0].to_string(),
            r.planned[0].to_string(),
            r.actual[1].to_string(),
            r.planned[1].to_string(),
            r.actual[2].to_string(),
            r.planned[2].to_string(),
            d(r.planned_closure),
            d(r.closed),
            d(r.close_by),
        ]);
    }
    out.push_str(&t.render());
    let (pp, pa) = st.personnel_out_total();
    out.push_str(&format!(
        "\npersonnel out of the theatre: {pa} actual, {pp} planned ({:+})\n",
        pa - pp
    ));
    if st.late.is_empty() {
        out.push_str("nothing late\n");
    } else {
        out.push_str(&format!("late: {} item(s)\n", st.late.len()));
        for l in st.late.iter().take(20) {
            out.push_str(&format!("  {} day(s): {}\n", l.days, l.detail));
        }
        if st.late.len() > 20 {
            out.push_str(&format!(
                "  ... and {} more (all in --format json)\n",
                st.late.len() - 20
            ));
        }
    }
    out
}

/// `track export`.
fn export(db: &Path, a: &ExportArgs) -> Result<ExitCode, ExitCode> {
    let (store, s) = open(db)?;
    let log = store.events().map_err(|e| store_error(&e))?;
    let text = match a.format {
        LogFormat::Csv => {
            let rows: Vec<_> = log
                .iter()
                .map(|e| {
                    (
                        e.id,
                        &e.event,
                        e.recorded_at.as_str(),
                        e.recorded_by.as_str(),
                        e.import,
                    )
                })
                .collect();
            let contingents: Vec<String> = s.contingents.iter().map(|c| c.id.clone()).collect();
            let fleets: Vec<String> = s.fleets.iter().map(|f| f.id.clone()).collect();
            read::to_csv(&rows, &contingents, &fleets)
        }
        LogFormat::Jsonl => log
            .iter()
            .map(|e| {
                let mut j = e.event.to_json();
                j["event"] = serde_json::json!(e.id);
                j["recorded_at"] = serde_json::json!(e.recorded_at);
                j["recorded_by"] = serde_json::json!(e.recorded_by);
                j["import"] = serde_json::json!(e.import);
                format!("{j}\n")
            })
            .collect(),
    };
    write_out(a.out.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// `track replan`.
fn replan(db: &Path, a: &ReplanArgs, stamp: &Stamp) -> Result<ExitCode, ExitCode> {
    let (mut store, s) = open(db)?;
    let log = store.events().map_err(|e| store_error(&e))?;
    let refs: Vec<(i64, &Event)> = log.iter().map(|e| (e.id, &e.event)).collect();
    let frozen = freeze::freeze(&s, &refs);
    let now_day = a.now.as_deref().map(|t| day(t, "--now")).transpose()?;
    let Some(now) = freeze::start_period(&s, &frozen, now_day) else {
        let h = &s.horizon;
        eprintln!(
            "error[T108]: command line: --now: a re-plan must start inside the horizon ({} to {}) and after the last recorded event ({})\n  fix: give a later --now, or leave it out to start the day after the last event",
            h.start,
            h.date(h.last()),
            frozen.last.map_or("none".to_string(), |d| d.to_string())
        );
        return Err(ExitCode::from(BAD_INPUT));
    };
    let amended = freeze::amend(&s, &refs, &frozen.plan, now);
    let bar = std::sync::Mutex::new(Bar::new(a.quiet));
    // Every candidate keeps the recorded movements unchanged and passes the independent
    // checker against the scenario with the recorded closures and refusals, which the
    // policies plan with but the plan carried on was made without (the frozen past keeps
    // to it by construction). That scenario only takes options away, so such a plan also
    // passes against the original one, as the plan written is checked again below.
    let accept = |p: &Plan| -> Result<(), String> {
        if let Some(id) = changed_frozen(&frozen.plan, p) {
            return Err(format!("it changed or dropped the recorded movement {id}"));
        }
        scenario::check::accept(&amended, p)
    };
    // The plan being replaced is the first candidate, carried on from `now`: where
    // what happened kept to it, a re-plan keeps it unless it finds better.
    let parent = store.current_plan().map_err(|e| store_error(&e))?;
    // One that cannot be read is only not a candidate: re-planning is how to replace it.
    let current = parent.as_ref().and_then(|row| {
        let name = format!("plan #{}", row.id);
        let read = scenario::check::parse_plan(&name, &row.json)
            .map_err(|e| e.to_string())
            .and_then(|file| scenario::planfile::to_plan(&s, &file));
        read.map_err(|e| eprintln!("warning: {name} is not carried on as a candidate: {e}"))
            .ok()
    });
    let result = planner::replan_checked(
        &amended,
        planner::Replan {
            frozen: &frozen.plan,
            now,
            current: current.as_ref(),
        },
        &a.search.config(),
        &|d, t| bar.lock().expect("progress lock").update(d, t),
        &accept,
    );
    let mut best = match result {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "error: no plan for the rest of the withdrawal from {}: {e}\n  \
                 ({} convoy leg(s), {} flight(s) and {} abandonment(s) recorded and frozen)",
                s.horizon.date(now),
                frozen.plan.convoys.len(),
                frozen.plan.flights.len(),
                frozen.plan.abandoned.len(),
            );
            return Err(ExitCode::from(1));
        }
    };
    drop(bar);
    crate::cmd::warn_rejected(&best);
    // The planner's claims are recomputed against the original scenario, and the plan is
    // judged by the independent checker against it (again: when every policy's plan was
    // rejected, the best of them comes back for this to report).
    let mut plan = std::mem::take(&mut best.plan);
    planner::summarize(&s, &mut plan);
    if let Some(id) = changed_frozen(&frozen.plan, &plan) {
        eprintln!(
            "error: the planner changed or dropped the recorded movement {id}; this is a planner bug, please report it"
        );
        return Err(ExitCode::from(1));
    }
    let mut meta = BTreeMap::new();
    meta.insert(
        "planner".to_string(),
        serde_json::json!("greedy-missions/2"),
    );
    meta.insert("policy".to_string(), serde_json::json!(best.policy));
    meta.insert(
        "policies".to_string(),
        serde_json::json!(crate::cmd::tried_json(&best)),
    );
    meta.insert(
        "replan".to_string(),
        serde_json::json!({
            "from": s.horizon.date(now).to_string(),
            "frozen_events": log.len(),
            "parent_plan": parent.as_ref().map(|p| p.id),
        }),
    );
    let file = checked(&s, &plan, meta)?;
    let id = store
        .add_plan(
            "replan",
            Some(s.horizon.date(now)),
            parent.map(|p| p.id),
            &scenario::planfile::to_json(&file),
            stamp,
        )
        .map_err(|e| store_error(&e))?;
    scenario::planfile::write_dir(&a.out, &s, &file).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    })?;
    println!(
        "re-planned from {} as plan #{id}: {} recorded and {} new convoy legs, {} recorded and {} new flights (checked: feasible)\nWrote {}/plan.json, convoys.csv, flights.csv, sites.csv.",
        s.horizon.date(now),
        frozen.plan.convoys.len(),
        file.convoys.len() - frozen.plan.convoys.len(),
        frozen.plan.flights.len(),
        file.flights.len() - frozen.plan.flights.len(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The first frozen movement that `plan` does not contain unchanged.
fn changed_frozen(frozen: &Plan, plan: &Plan) -> Option<String> {
    let c = frozen
        .convoys
        .iter()
        .find(|c| !plan.convoys.contains(c))
        .map(|c| c.id.clone());
    let f = || {
        frozen
            .flights
            .iter()
            .find(|f| !plan.flights.contains(f))
            .map(|f| f.id.clone())
    };
    let a = || {
        frozen
            .abandoned
            .iter()
            .find(|a| !plan.abandoned.contains(a))
            .map(|a| format!("abandonment at site #{} in period {}", a.site.0, a.period.0))
    };
    c.or_else(f).or_else(a)
}
