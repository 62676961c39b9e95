//! `wenji serve`: build, serve the output on 127.0.0.1, rebuild when the site root changes,
//! and reload open pages. Pages learn of a rebuild by a long-poll to `/__wenji/wait`, from a
//! small script the server adds to HTML responses (the files on disk stay as built).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Response, Server};

use crate::build::{BuildOptions, build};

const RELOAD_JS: &str = r#"(function(){var v=null;function poll(){fetch('/__wenji/wait?v='+(v===null?'':v)).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload();return}v=t;poll()}).catch(function(){setTimeout(poll,1000)})}poll()})();"#;

struct Version {
    n: Mutex<u64>,
    changed: Condvar,
}

pub fn serve(mut opts: BuildOptions, port: u16) -> Result<(), String> {
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(port);
    if opts.base_url.is_none() {
        opts.base_url = Some(format!("http://127.0.0.1:{addr}/"));
    }
    let base_path = opts
        .base_url
        .as_deref()
        .map(base_path_of)
        .unwrap_or_else(|| "/".into());
    let version = Arc::new(Version {
        n: Mutex::new(0),
        changed: Condvar::new(),
    });
    rebuild(&opts, &version);
    eprintln!(
        "serving {} at http://127.0.0.1:{addr}{base_path} (Ctrl-C to stop)",
        opts.output.display()
    );

    // Watch the site root, except the output folder; debounce bursts of events.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // Reading files during a build raises access events; only changes count.
        if let Ok(ev) = res
            && (ev.kind.is_create() || ev.kind.is_remove() || matches!(ev.kind, notify::EventKind::Modify(m) if !matches!(m, notify::event::ModifyKind::Metadata(_))))
        {
            let _ = tx.send(ev.paths);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in ["content", "templates", "assets"] {
        let p = opts.root.join(dir);
        if p.exists() {
            watcher
                .watch(&p, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
        }
    }
    watcher
        .watch(
            &opts.root.join(crate::config::CONFIG_FILE),
            RecursiveMode::NonRecursive,
        )
        .ok();
    let watch_opts = opts.clone();
    let watch_version = version.clone();
    std::thread::spawn(move || {
        while let Ok(_paths) = rx.recv() {
            // Collect the rest of a burst (an editor's save is several events).
            while rx.recv_timeout(Duration::from_millis(30)).is_ok() {}
            rebuild(&watch_opts, &watch_version);
        }
    });

    let out = Arc::new(opts.output.clone());
    let served = Arc::new(AtomicU64::new(0));
    for request in server.incoming_requests() {
        let version = version.clone();
        let out = out.clone();
        let base_path = base_path.clone();
        let served = served.clone();
        std::thread::spawn(move || {
            served.fetch_add(1, Ordering::Relaxed);
            let url = request.url().to_string();
            let response = if let Some(q) = url.strip_prefix("/__wenji/wait") {
                let seen: Option<u64> = q.trim_start_matches("?v=").parse().ok();
                let guard = version.n.lock().unwrap_or_else(|e| e.into_inner());
                let (guard, _) = version
                    .changed
                    .wait_timeout_while(guard, Duration::from_secs(25), |n| seen == Some(*n))
                    .unwrap_or_else(|e| e.into_inner());
                Response::from_string(guard.to_string()).boxed()
            } else if url == "/__wenji/reload.js" {
                Response::from_string(RELOAD_JS)
                    .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                    .boxed()
            } else {
                file_response(&out, &base_path, &url)
            };
            let _ = request.respond(response);
        });
    }
    drop(watcher);
    Ok(())
}

fn rebuild(opts: &BuildOptions, version: &Version) {
    let t = Instant::now();
    match build(opts) {
        Ok(report) => {
            eprintln!("{}", report.summary("rebuilt"));
            let mut n = version.n.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            version.changed.notify_all();
        }
        Err(e) => eprintln!(
            "{e}\nbuild failed after {} ms; still serving the previous site",
            t.elapsed().as_millis()
        ),
    }
}

fn header(k: &str, v: &str) -> Header {
    Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("static header")
}

fn base_path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" | "bib" | "ris" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// Resolves a request path inside the output folder; never outside it.
fn file_response(out: &Path, base_path: &str, url: &str) -> tiny_http::ResponseBox {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let not_found = || {
        let body = std::fs::read(out.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
        Response::from_data(inject(body))
            .with_status_code(404)
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .boxed()
    };
    let Some(rel) = decoded
        .strip_prefix(base_path)
        .or_else(|| (decoded.clone() + "/").strip_prefix(base_path).map(|_| ""))
        .map(str::to_string)
    else {
        return not_found();
    };
    let Some(mut file) = crate::output::safe_relative(&rel)
        .map(|p| out.join(p))
        .or_else(|| rel.is_empty().then(|| out.to_path_buf()))
    else {
        return not_found();
    };
    if file.is_dir() {
        if !decoded.ends_with('/') {
            return Response::empty(301)
                .with_header(header("Location", &format!("{decoded}/")))
                .boxed();
        }
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => {
            let ct = content_type(&file);
            let bytes = if ct.starts_with("text/html") {
                inject(bytes)
            } else {
                bytes
            };
            Response::from_data(bytes)
                .with_header(header("Content-Type", ct))
                .with_header(header("Cache-Control", "no-store"))
                .boxed()
        }
        Err(_) => not_found(),
    }
}

fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__wenji/reload.js\" defer></script>";
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(i) => {
            html.splice(i..i, tag.iter().copied());
        }
        None => html.extend_from_slice(tag),
    }
    html
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// For the CLI: the default output when serving is the normal output folder.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("site")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("index.html"), "<body>hi</body>").unwrap();
        let r = file_response(d.path(), "/", "/../../etc/passwd");
        assert_eq!(r.status_code().0, 404);
        let r = file_response(d.path(), "/", "/%2e%2e/%2e%2e/etc/passwd");
        assert_eq!(r.status_code().0, 404);
        let r = file_response(d.path(), "/", "/");
        assert_eq!(r.status_code().0, 200);
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let out = String::from_utf8(inject(b"<body>x</body></html>".to_vec())).unwrap();
        assert!(
            out.starts_with("<body>x<script src=\"/__wenji/reload.js\" defer></script></body>")
        );
    }
}
