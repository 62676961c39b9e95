//! `wenji serve`: rebuilds on a content edit and tells open pages to reload; shows a failed
//! build's diagnostics in the browser while the last good site stays served; and holds up
//! against hostile and careless clients (other hosts, other methods, huge or slow headers,
//! hundreds of connections), on 127.0.0.1 only, each case bounded in time.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A raw request; the status and body of the answer (status 0 when the server closed the
/// connection without one).
fn request(port: u16, raw: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // The server may close before reading all of an oversized request.
    let _ = s.write_all(raw);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
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

pub(crate) fn get(port: u16, path: &str) -> (u16, String) {
    request(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// The build version the long-poll reports (`{"version":n,"error":…}`).
fn version_of(body: &str) -> (u64, serde_json::Value) {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (v["version"].as_u64().unwrap(), v["error"].clone())
}

/// `wenji serve --port 0` on `root`, stopped when dropped.
pub(crate) struct Server {
    child: std::process::Child,
    pub(crate) port: u16,
    /// The lines serve writes to stderr after the one that gives its address.
    log: std::sync::mpsc::Receiver<String>,
}

impl Server {
    pub(crate) fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wenji"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let port: u16 = loop {
            let line = lines.next().expect("serve exited").unwrap();
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        // Drain the rest of stderr so the server never blocks on it.
        let (tx, log) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Server { child, port, log }
    }

    /// Waits for a line of the log that starts with `prefix`; the lines before it are
    /// returned with it, last.
    fn wait_for(&self, prefix: &str) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            let line = self
                .log
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no line `{prefix}…` in 60 s after {seen:?}"));
            let found = line.starts_with(prefix);
            seen.push(line);
            if found {
                return seen;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_edit_rebuilds_and_reloads_the_open_page() {
    let root = common::fixture();
    let server = Server::start(root.path());
    let port = server.port;

    let (status, page) = get(port, "/states/arcadia/");
    assert_eq!(status, 200);
    assert!(
        page.contains("/__wenji/reload.js"),
        "the reload script is added"
    );
    assert!(!page.contains("改过的段落"));
    let (_, body) = get(port, "/__wenji/wait");
    let (version, error) = version_of(&body);
    assert!(error.is_null());
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
    assert_ne!(version_of(&new_version).0, version, "a new version");
    let (_, page) = get(port, "/states/arcadia/");
    assert!(page.contains("改过的段落"), "the rebuilt page has the edit");
    eprintln!("edit to reload signal: {} ms", latency.as_millis());
}

/// A failed first build: every URL shows its diagnostics, and the site once it is fixed. A
/// later failure: the last good site stays served, and the long-poll carries the diagnostics
/// the reload script shows over the open page.
#[test]
fn a_failed_build_shows_its_diagnostics_in_the_browser() {
    let root = common::fixture();
    let file = root.path().join("content/replies/arcadia.md");
    let good = std::fs::read_to_string(&file).unwrap();
    let broken = good.replace("iso3: ARM", "iso3: <b>ZZZ</b>");
    std::fs::write(&file, &broken).unwrap();
    let server = Server::start(root.path());
    let port = server.port;
    for path in ["/", "/states/arcadia/", "/nowhere/"] {
        let (status, page) = get(port, path);
        assert_eq!(status, 500, "{path}");
        assert!(page.contains("The build failed"), "{page}");
        assert!(
            page.contains("content/replies/arcadia.md:8: `iso3: &lt;b&gt;ZZZ&lt;/b&gt;` is not an ISO 3166-1 code"),
            "{page}"
        );
        assert!(page.contains("/__wenji/reload.js"), "{page}");
    }
    let (_, body) = get(port, "/__wenji/wait");
    let (version, error) = version_of(&body);
    assert!(
        error
            .as_str()
            .unwrap()
            .contains("is not an ISO 3166-1 code")
    );

    // Fixed: the page's long-poll sees a good build; the site is served.
    std::fs::write(&file, &good).unwrap();
    let (_, body) = get(port, &format!("/__wenji/wait?v={version}"));
    let (version, error) = version_of(&body);
    assert!(error.is_null(), "{body}");
    let (status, page) = get(port, "/states/arcadia/");
    assert_eq!(status, 200);
    assert!(page.contains("阿卡迪亚"));
    // The site for previews is loaded after the build is served (in milliseconds here).
    std::thread::sleep(Duration::from_secs(1));

    // Broken again: the last good site stays, the diagnostics go to the open page.
    std::fs::write(&file, &broken).unwrap();
    let (_, body) = get(port, &format!("/__wenji/wait?v={version}"));
    let (_, error) = version_of(&body);
    assert!(
        error
            .as_str()
            .unwrap()
            .contains("is not an ISO 3166-1 code"),
        "{body}"
    );
    let (status, page) = get(port, "/states/arcadia/");
    assert_eq!(status, 200);
    assert!(page.contains("阿卡迪亚"));
    let (_, script) = get(port, "/__wenji/reload.js");
    assert!(script.contains("wenji-build-error") && script.contains("textContent"));

    // The edit that fixes the file is previewed: the site kept for previews outlived the
    // problem.
    std::fs::write(
        &file,
        good.replace("阿卡迪亚高度重视", "修好了。阿卡迪亚高度重视"),
    )
    .unwrap();
    let log = server.wait_for("previewed ");
    assert!(log.last().unwrap().contains("/states/arcadia/"), "{log:?}");
    let (status, page) = get(port, "/states/arcadia/");
    assert_eq!(status, 200);
    assert!(page.contains("修好了"));
    // Its problem was the only one: the open page reloads rather than show it still.
    let (_, body) = get(port, "/__wenji/wait");
    assert!(version_of(&body).1.is_null(), "{body}");
}

#[test]
fn hostile_requests_are_refused() {
    let root = common::fixture();
    let server = Server::start(root.path());
    let port = server.port;
    // DNS rebinding: a page of another site whose name resolves to 127.0.0.1.
    for host in [
        "evil.example",
        "evil.example:1111",
        "127.0.0.1.evil.example",
    ] {
        let raw = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        assert_eq!(request(port, raw.as_bytes()).0, 403, "{host}");
    }
    for host in ["127.0.0.1", "localhost:8080", "[::1]"] {
        let raw = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        assert_eq!(request(port, raw.as_bytes()).0, 200, "{host}");
    }
    for method in ["POST", "DELETE", "TRACE", "OPTIONS", "PUT", "PATCH"] {
        let raw = format!(
            "{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let (status, body) = request(port, raw.as_bytes());
        assert_eq!(status, 405, "{method}");
        assert!(!body.contains("<html"), "{method}: {body}");
    }
    let raw = "HEAD /states/arcadia/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    assert_eq!(request(port, raw.as_bytes()), (200, String::new()));
    // Header size and count.
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    assert_eq!(request(port, big.as_bytes()).0, 431);
    let many = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
        "X-A: b\r\n".repeat(200)
    );
    assert_eq!(request(port, many.as_bytes()).0, 431);
    assert_eq!(request(port, b"\x16\x03\x01garbage\r\n\r\n").0, 400);
    // A link the maintainer left in the output folder is not followed out of it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", root.path().join("site/leak.txt")).unwrap();
        let (status, body) = get(port, "/leak.txt");
        assert_eq!(status, 404);
        assert!(!body.contains("root:"), "{body}");
    }
    // Still answering.
    assert_eq!(get(port, "/").0, 200);
}

/// Idle connections are closed after the idle timeout (5 s); a client that sends its headers
/// too slowly, after the header timeout (10 s), with 408.
#[test]
fn idle_and_slow_clients_are_timed_out() {
    let root = common::fixture();
    let server = Server::start(root.path());
    let port = server.port;
    let idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let slow = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let start = Instant::now();
        let mut answer = Vec::new();
        for b in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            .iter()
            .cycle()
        {
            if s.write_all(&[*b]).is_err() {
                break;
            }
            let mut buf = [0u8; 256];
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(_) => {}
            }
            assert!(start.elapsed() < Duration::from_secs(30), "never timed out");
        }
        (
            start.elapsed(),
            String::from_utf8_lossy(&answer).into_owned(),
        )
    });
    let start = Instant::now();
    let mut idle = idle;
    idle.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(
        idle.read(&mut buf).unwrap_or(0),
        0,
        "closed without an answer"
    );
    let idle_for = start.elapsed();
    assert!(
        (Duration::from_secs(4)..Duration::from_secs(20)).contains(&idle_for),
        "{idle_for:?}"
    );
    let (slow_for, answer) = slow.join().unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(30)).contains(&slow_for),
        "{slow_for:?}"
    );
}

/// 500 idle connections, 20 slow clients and 20 clients sending oversized headers at once:
/// every normal request is still answered. The bound asserted is generous (2 s) so the test
/// cannot flake on a loaded machine; the latencies are printed (`-- --nocapture`).
#[test]
fn normal_requests_are_answered_under_hostile_load() {
    let root = common::fixture();
    let server = Server::start(root.path());
    let port = server.port;
    // The same requests without the load first: the machine's own figures, for comparison.
    let quiet = timed_requests(port);
    let start = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..500 {
        idle.push(TcpStream::connect(("127.0.0.1", port)).unwrap());
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut attackers = Vec::new();
    for i in 0..40 {
        let stop = stop.clone();
        attackers.push(std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
                    continue;
                };
                if i % 2 == 0 {
                    // Slow: a byte every 100 ms until the server gives up.
                    let _ = s.write_all(b"GET / HTTP/1.1\r\n");
                    for _ in 0..30 {
                        if stop.load(std::sync::atomic::Ordering::Relaxed)
                            || s.write_all(b"X").is_err()
                        {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                } else {
                    let _ = s.write_all(b"GET / HTTP/1.1\r\nX-Big: ");
                    let _ = s.write_all(&vec![b'a'; 256 * 1024]);
                }
            }
        }));
    }
    let loaded = timed_requests(port);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for a in attackers {
        a.join().unwrap();
    }
    drop(idle);
    eprintln!(
        "200 requests alone: {}\n200 requests beside 500 idle, 20 slow and 20 oversized clients: {} ({:.1} s in all)",
        figures(&quiet),
        figures(&loaded),
        start.elapsed().as_secs_f64()
    );
    let max = loaded[loaded.len() - 1];
    assert!(max < Duration::from_secs(2), "max {max:?}");
}

/// 200 GET requests one after another, each on its own connection; their latencies, sorted.
fn timed_requests(port: u16) -> Vec<Duration> {
    let mut latencies: Vec<Duration> = (0..200)
        .map(|i| {
            let path = if i % 2 == 0 { "/" } else { "/states/arcadia/" };
            let t = Instant::now();
            let (status, _) = get(port, path);
            assert_eq!(status, 200, "request {i}");
            t.elapsed()
        })
        .collect();
    latencies.sort();
    latencies
}

fn figures(sorted: &[Duration]) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(sorted[sorted.len() / 2]),
        ms(sorted[sorted.len() * 99 / 100 - 1]),
        ms(sorted[sorted.len() - 1])
    )
}

/// Builds `root` afresh as serve builds it (same base URL) into a folder of its own, and
/// asserts that serve's output folder holds the same files with the same bytes.
fn assert_output_is_a_fresh_build(root: &Path, port: u16) {
    let fresh = tempfile::tempdir().unwrap();
    let out = common::wenji(
        root,
        &[
            "build",
            "--output",
            fresh.path().join("site").to_str().unwrap(),
            "--base-url",
            &format!("http://127.0.0.1:{port}/"),
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let served = common::snapshot(&root.join("site"));
    let built = common::snapshot(&fresh.path().join("site"));
    let differ: Vec<&String> = served
        .keys()
        .chain(built.keys())
        .filter(|k| served.get(*k) != built.get(*k))
        .collect();
    assert!(
        served.contains_key("states/arcadia/index.html"),
        "{:?}",
        served.keys()
    );
    assert!(
        differ.is_empty(),
        "these files differ from a fresh build: {differ:?}"
    );
}

/// A reply edit is shown from memory before the full build; the full build that follows
/// leaves the output folder as a fresh build of the edited root makes it, and the page
/// served is then the one on disk.
#[test]
fn an_edited_reply_is_previewed_then_built_in_full() {
    let root = common::fixture();
    let server = Server::start(root.path());
    let port = server.port;
    let file = root.path().join("content/replies/arcadia.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = Instant::now();
    // Saved as Vim saves: a probe file made and removed in the folder first.
    let probe = root.path().join("content/replies/4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    std::fs::write(
        &file,
        text.replacen("阿卡迪亚高度重视", "预览的新段落。\n\n阿卡迪亚高度重视", 1),
    )
    .unwrap();
    let log = server.wait_for("previewed ");
    let preview = log.last().unwrap();
    assert!(preview.contains("/states/arcadia/index.html"), "{log:?}");
    assert!(
        !log.iter().any(|l| l.starts_with("rebuilt")),
        "previewed before the full build: {log:?}"
    );
    let (status, page) = get(port, "/states/arcadia/");
    assert_eq!(status, 200);
    assert!(
        page.contains("预览的新段落"),
        "the page served has the edit"
    );
    eprintln!("edit to preview: {} ms", edited.elapsed().as_millis());

    server.wait_for("rebuilt");
    assert_output_is_a_fresh_build(root.path(), port);
    let on_disk = common::read(&root.path().join("site/states/arcadia/index.html"));
    let script = "<script src=\"/__wenji/reload.js\" defer></script>";
    assert_eq!(
        page.replacen(script, "", 1),
        on_disk,
        "the preview is the built page"
    );
    let (_, page) = get(port, "/states/arcadia/");
    assert_eq!(page.replacen(script, "", 1), on_disk, "served from disk");
}

/// A template edit is not previewed: the full build shows it, and the output is again a
/// fresh build's. A reply edit after it is previewed again (the model was reloaded).
#[test]
fn a_template_edit_rebuilds_in_full() {
    let root = common::fixture();
    let server = Server::start(root.path());
    let port = server.port;
    let template = root.path().join("templates/reply.html");
    let text = std::fs::read_to_string(&template).unwrap();
    let marked = text.replacen("<article", "<p>模板改过了</p><article", 1);
    assert_ne!(marked, text);
    std::fs::write(&template, marked).unwrap();
    let log = server.wait_for("rebuilt");
    assert!(!log.iter().any(|l| l.starts_with("previewed")), "{log:?}");
    let (_, page) = get(port, "/states/arcadia/");
    assert!(page.contains("模板改过了"), "{page}");
    assert_output_is_a_fresh_build(root.path(), port);

    // The model is loaded again after that build, with the new template.
    let file = root.path().join("content/replies/arcadia.md");
    let mut reply = std::fs::read_to_string(&file).unwrap();
    let t = Instant::now();
    loop {
        reply.push_str("\n再改一次。\n");
        std::fs::write(&file, &reply).unwrap();
        let log = server.wait_for("rebuilt");
        if log.iter().any(|l| l.starts_with("previewed")) {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(60), "no preview: {log:?}");
    }
    let (_, page) = get(port, "/states/arcadia/");
    assert!(page.contains("模板改过了") && page.contains("再改一次"));
    assert_output_is_a_fresh_build(root.path(), port);
}
