//! `wenji serve` rebuilds on a content edit and tells open pages to reload.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn an_edit_rebuilds_and_reloads_the_open_page() {
    let root = common::fixture();
    let child = Command::new(env!("CARGO_BIN_EXE_wenji"))
        .arg("--root")
        .arg(root.path())
        .args(["serve", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Kill(child);
    let mut lines = BufReader::new(child.0.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve exited").unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Drain the rest of stderr so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});

    let (status, page) = get(port, "/states/arcadia/");
    assert_eq!(status, 200);
    assert!(
        page.contains("/__wenji/reload.js"),
        "the reload script is added"
    );
    assert!(!page.contains("改过的段落"));
    let (_, version) = get(port, "/__wenji/wait");
    let (status, _) = get(port, "/../../etc/passwd");
    assert_eq!(status, 404);

    // The page's long-poll returns when the edit is built.
    let waiter = std::thread::spawn(move || {
        let t = Instant::now();
        let (_, v) = get(port, &format!("/__wenji/wait?v={version}"));
        (v, t.elapsed())
    });
    std::thread::sleep(Duration::from_millis(200));
    let file = root.path().join("content/replies/arcadia.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = Instant::now();
    std::fs::write(
        &file,
        text.replace("阿卡迪亚高度重视", "改过的段落。阿卡迪亚高度重视"),
    )
    .unwrap();
    let (new_version, _) = waiter.join().unwrap();
    let latency = edited.elapsed();
    assert_ne!(new_version.trim(), "", "a new version");
    let (_, page) = get(port, "/states/arcadia/");
    assert!(page.contains("改过的段落"), "the rebuilt page has the edit");
    eprintln!("edit to reload signal: {} ms", latency.as_millis());
}
