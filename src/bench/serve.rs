//! `wenji serve` latency: from saving a content file to the rebuilt page being served.
//! Runs the real binary's `serve` on a copy of the site, edits a reply, and polls the reply's
//! page over HTTP until it shows the edit.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct ServeReport {
    pub initial_build: Duration,
    /// Edit saved → page served with the edit, per edit.
    pub latencies: Vec<Duration>,
    /// The build times serve printed ("rebuilt … in N ms").
    pub rebuild_ms: Vec<u64>,
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    String::from_utf8(buf).ok()
}

fn copy_site(from: &Path, to: &Path) -> Result<(), String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if to.exists() {
        std::fs::remove_dir_all(to).map_err(|e| err(to, e))?;
    }
    for dir in ["content", "templates", "assets"] {
        for entry in walkdir::WalkDir::new(from.join(dir)) {
            let entry = entry.map_err(|e| e.to_string())?;
            let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
            let dest = to.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).map_err(|e| err(&dest, e))?;
            } else {
                std::fs::copy(entry.path(), &dest).map_err(|e| err(&dest, e))?;
            }
        }
    }
    for file in [crate::config::CONFIG_FILE, crate::link::ledger::LEDGER_FILE] {
        if from.join(file).is_file() {
            std::fs::copy(from.join(file), to.join(file)).map_err(|e| err(&to.join(file), e))?;
        }
    }
    Ok(())
}

/// Serves a copy of the site at `root` from `work`, makes `edits` edits to one reply.
pub fn measure(exe: &Path, root: &Path, work: &Path, edits: usize) -> Result<ServeReport, String> {
    let site = work.join("serve-site");
    copy_site(root, &site)?;
    let config = crate::config::Config::load(&site).map_err(|e| e.to_string())?;
    let replies_dir = site.join("content/replies");
    let mut files: Vec<_> = std::fs::read_dir(&replies_dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let file = files.first().ok_or("the site has no replies")?.clone();
    let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let split = crate::content::frontmatter::split(&file, &text).map_err(|d| d.to_string())?;
    let meta: crate::content::ReplyMeta =
        crate::content::frontmatter::parse(&file, &split).map_err(|d| d.to_string())?;
    let page = format!(
        "/{}",
        crate::link::urls::reply(&config.sections, &meta.slug.value)
    );

    let start = Instant::now();
    let mut child = Command::new(exe)
        .arg("--root")
        .arg(&site)
        .args(["serve", "--port", "0", "--output"])
        .arg(work.join("serve-out"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start serve: {e}"))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let result = (|| {
        let mut port = None;
        while port.is_none() {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .map_err(|_| "serve did not start".to_string())?;
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                port = rest.split('/').next().and_then(|p| p.parse::<u16>().ok());
            }
        }
        let port = port.unwrap_or(0);
        let mut report = ServeReport {
            initial_build: start.elapsed(),
            ..Default::default()
        };
        let rebuilt = |rx: &std::sync::mpsc::Receiver<String>, out: &mut Vec<u64>| {
            while let Ok(line) = rx.try_recv() {
                if line.starts_with("rebuilt")
                    && let Some(ms) = line
                        .split_once(") in ")
                        .and_then(|(_, r)| r.split(" ms").next())
                        .and_then(|n| n.parse().ok())
                {
                    out.push(ms);
                }
            }
        };
        for k in 0..edits {
            std::thread::sleep(Duration::from_millis(300));
            // A large site's summary line comes after its page is served: it is the previous
            // edit's, and counted with it.
            rebuilt(&rx, &mut report.rebuild_ms);
            let marker = format!("基准测试修改第{k}次");
            let edited = format!("{text}\n{marker}。\n");
            let t = Instant::now();
            std::fs::write(&file, edited).map_err(|e| e.to_string())?;
            loop {
                if get(port, &page).is_some_and(|b| b.contains(&marker)) {
                    report.latencies.push(t.elapsed());
                    break;
                }
                if t.elapsed() > Duration::from_secs(30) {
                    return Err(format!("the edit did not appear on {page} within 30 s"));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            std::thread::sleep(Duration::from_millis(100));
            rebuilt(&rx, &mut report.rebuild_ms);
        }
        // The last edit's summary, if it is still to come.
        let t = Instant::now();
        while report.rebuild_ms.len() < edits && t.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(50));
            rebuilt(&rx, &mut report.rebuild_ms);
        }
        Ok(report)
    })();
    // Stop the server this function started.
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::write(&file, text);
    result
}
