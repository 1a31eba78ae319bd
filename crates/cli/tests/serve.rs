//! `drawdown serve` end to end: it prints its URL, answers over a real socket, and stops
//! cleanly (exit 0) on Ctrl-C; a bad scenario exits 2 without serving.

use crate::{drawdown, root, text};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

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

#[test]
fn serve_answers_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drawdown"))
        .args([
            "serve",
            "--scenario",
            "scenarios/examples/road-shuttle.toml",
            "--addr",
            "127.0.0.1:0",
        ])
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
    let page = http_get(host, "/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("text/html"), "{page}");
    let plan = http_get(host, "/api/plan");
    assert!(plan.starts_with("HTTP/1.1 200"), "{plan}");
    assert!(plan.contains("\"convoys\""), "{plan}");
    // Ctrl-C is SIGINT; std cannot send it, kill(1) can.
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
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
