//! `drawdown serve` end to end: it prints its URL, answers over a real socket, and stops
//! cleanly (exit 0) on Ctrl-C; a bad scenario exits 2 without serving.

use crate::{drawdown, root, scratch, text};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// `GET path` over HTTP/1.1, the whole answer as text.
fn http_get(host: &str, path: &str) -> String {
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}

/// `drawdown serve ARGS --addr 127.0.0.1:0`, running, with the address it printed;
/// killed when dropped before [`Served::stop`] (a failed test leaves no server behind).
struct Served {
    child: Option<Child>,
    host: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_drawdown"))
            .arg("serve")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        let host = url.trim_start_matches("http://").trim_end_matches('/');
        Served {
            host: host.to_string(),
            child: Some(child),
        }
    }

    /// The body of a `GET path` that must answer 200.
    fn get(&self, path: &str) -> String {
        let answer = http_get(&self.host, path);
        assert!(answer.starts_with("HTTP/1.1 200"), "{path}: {answer}");
        let (_, body) = answer.split_once("\r\n\r\n").unwrap();
        body.to_string()
    }

    /// Ctrl-C (SIGINT, which std cannot send but kill(1) can); the server must exit 0.
    fn stop(mut self) {
        let child = self.child.take().expect("running");
        let killed = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
}

#[test]
fn serve_answers_and_stops_on_ctrl_c() {
    let served = Served::start(&["--scenario", "scenarios/examples/road-shuttle.toml"]);
    let page = http_get(&served.host, "/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("text/html"), "{page}");
    assert!(served.get("/api/plan").contains("\"convoys\""));
    served.stop();
}

/// With a tracking database and a simulation, the burn-down carries the record and the fan.
#[test]
fn serve_shows_the_record_and_the_fan() {
    let shuttle = "scenarios/examples/road-shuttle.toml";
    let db = scratch("serve-db").join("drawdown.db");
    let db = db.to_str().unwrap();
    for line in [
        format!("init {shuttle}"),
        "record convoy-departed --date 2023-07-01 --convoy W1 --from camp --to port --units trucks=3 --teu 6 --vehicles 3 --personnel troops=6".to_string(),
        "record convoy-arrived --date 2023-07-03 --convoy W1".to_string(),
    ] {
        let mut args = vec!["track", "--db", db, "--by", "tester"];
        args.extend(line.split(' '));
        let out = drawdown(&args);
        assert_eq!(out.status.code(), Some(0), "{line}: {}", text(&out.stderr));
    }
    let served = Served::start(&[
        "--scenario",
        shuttle,
        "--db",
        db,
        "--runs",
        "20",
        "--seed",
        "3",
    ]);
    let burndown: serde_json::Value = serde_json::from_str(&served.get("/api/burndown")).unwrap();
    served.stop();
    // The 6 personnel left on the first wave and arrived on 3 July.
    let actual = &burndown["actual"]["personnel"];
    assert_eq!(actual[0], 6, "{burndown}");
    assert_eq!(actual.as_array().unwrap().last().unwrap(), 0, "{burndown}");
    assert_eq!(burndown["fan"]["runs"], 20, "{burndown}");
    assert_eq!(burndown["fan"]["seed"], 3, "{burndown}");
}

#[test]
fn serve_refuses_a_bad_scenario_with_exit_2() {
    let out = drawdown(&[
        "serve",
        "--scenario",
        "crates/scenario/tests/data/invalid/many-problems.toml",
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error[E"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).is_empty());
}
