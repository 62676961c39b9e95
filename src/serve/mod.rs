//! `wenji serve`: build, serve the output on 127.0.0.1, rebuild when the site root changes,
//! and reload open pages. Pages learn of a rebuild by a long-poll to `/__wenji/wait`, from a
//! small script the server adds to HTML responses (the files on disk stay as built). A failed
//! build keeps the last good site served and shows its diagnostics in the browser: on an error
//! page when there is no site yet, else over the open page.
//!
//! An edit to one reply is shown at once: [`preview`] renders the pages that show it from the
//! site kept in memory, the server answers them from memory and the open pages reload; the
//! full build follows in the background and its output replaces them. Any other change (a
//! template, the config, a concept, a new or removed file) waits for the full build.
//!
//! The server ([`http`]) answers GET and HEAD only, only to a loopback `Host`, never follows a
//! link out of the output folder, and bounds what each client may take (header size and count,
//! slow and idle clients, connections at once).

pub mod http;
pub mod preview;

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use http::{Limits, Response};
use preview::Model;
use wenji_core::build::{BuildOptions, build};

/// Polls `/__wenji/wait`, which answers `{"version": n, "error": text or null}` when the
/// version differs from the one it was given: a new good build reloads the page; a failed one
/// shows its diagnostics over it (built with the DOM, so the page's CSP allows it).
const RELOAD_JS: &str = r#"(function(){var v=null;
function overlay(msg){var d=document.getElementById('wenji-build-error');if(!msg){if(d)d.remove();return}
if(!d){d=document.createElement('pre');d.id='wenji-build-error';var s=d.style;s.position='fixed';s.left='0';s.right='0';s.bottom='0';s.margin='0';s.maxHeight='60vh';s.overflow='auto';s.zIndex='2147483647';s.background='#fff4f4';s.color='#600';s.borderTop='3px solid #c00';s.padding='1em';s.font='13px/1.45 monospace';s.whiteSpace='pre-wrap';document.body.appendChild(d)}
d.textContent='wenji: the last build failed; this is the last good build.\n\n'+msg}
function poll(){fetch('/__wenji/wait?v='+(v===null?'':v)).then(function(r){return r.json()}).then(function(s){if(v!==null&&s.version!==v&&s.error===null){location.reload();return}v=s.version;overlay(s.error);poll()}).catch(function(){setTimeout(poll,1000)})}
poll()})();"#;

/// The outcome of the last build: a version that changes with every build, and the
/// diagnostics when it failed.
#[derive(Default)]
struct BuildState {
    version: u64,
    error: Option<String>,
    /// The files the diagnostics are about.
    error_files: Vec<PathBuf>,
}

struct Shared {
    state: Mutex<BuildState>,
    changed: Condvar,
    /// Previewed pages, output path → (the edit they show, their bytes), served before the
    /// output folder until a full build that read that edit replaces them.
    overlay: Mutex<HashMap<String, (u64, Vec<u8>)>>,
    /// Counts the bursts of changes the watcher has seen.
    edits: AtomicU64,
    /// A full build is wanted; the builder thread waits on `build_wanted`.
    build_pending: Mutex<bool>,
    build_wanted: Condvar,
    /// The site as last loaded, for previews; `None` until it is loaded again after a
    /// change the preview cannot follow.
    model: Mutex<Option<Model>>,
    out: PathBuf,
    base_path: String,
    limits: Limits,
    connections: AtomicUsize,
}

/// How long a page's long-poll waits for a build before it is answered anyway.
const WAIT_POLL: Duration = Duration::from_secs(25);

pub fn serve(mut opts: BuildOptions, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    widen_backlog(&listener);
    let addr = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    if opts.base_url.is_none() {
        opts.base_url = Some(format!("http://127.0.0.1:{addr}/"));
    }
    let base_path = opts
        .base_url
        .as_deref()
        .map(base_path_of)
        .unwrap_or_else(|| "/".into());
    let shared = Arc::new(Shared {
        state: Mutex::new(BuildState::default()),
        changed: Condvar::new(),
        overlay: Mutex::new(HashMap::new()),
        edits: AtomicU64::new(0),
        build_pending: Mutex::new(false),
        build_wanted: Condvar::new(),
        model: Mutex::new(None),
        out: opts.output.clone(),
        base_path: base_path.clone(),
        limits: Limits::default(),
        connections: AtomicUsize::new(0),
    });
    rebuild(&opts, &shared);
    load_model(&opts, &shared);
    // Watching before the address is given: an edit made as soon as it is known is seen.
    let _watcher = watch(&opts, shared.clone())?;
    eprintln!(
        "serving {} at http://127.0.0.1:{addr}{base_path} (Ctrl-C to stop)",
        wenji_core::error::shown(&opts.output)
    );
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = shared.clone();
        if shared.connections.fetch_add(1, Ordering::AcqRel) >= shared.limits.max_connections {
            shared.connections.fetch_sub(1, Ordering::AcqRel);
            refuse_busy(stream);
            continue;
        }
        let spawned = std::thread::Builder::new().stack_size(256 * 1024).spawn({
            let shared = shared.clone();
            move || {
                handle_connection(stream, &shared);
                shared.connections.fetch_sub(1, Ordering::AcqRel);
            }
        });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::AcqRel);
        }
    }
    Ok(())
}

/// Lets 1,024 connections wait to be accepted instead of std's 128: with more waiting (a
/// burst of clients), the system drops new ones and the client retries only after a second.
fn widen_backlog(listener: &TcpListener) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: listen on a socket this process owns and listens on already; on Linux and
        // macOS a second call only changes the backlog.
        unsafe {
            libc::listen(listener.as_raw_fd(), 1024);
        }
    }
    #[cfg(not(unix))]
    let _ = listener;
}

/// Watches the site root, except the output folder, and rebuilds after a burst of changes.
fn watch(opts: &BuildOptions, shared: Arc<Shared>) -> Result<impl Drop, String> {
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
                .map_err(|e| format!("cannot watch {}: {e}", wenji_core::error::shown(&p)))?;
        }
    }
    watcher
        .watch(
            &opts.root.join(wenji_core::config::CONFIG_FILE),
            RecursiveMode::NonRecursive,
        )
        .ok();
    std::thread::spawn({
        let (opts, shared) = (opts.clone(), shared.clone());
        move || builder(&opts, &shared)
    });
    let opts = opts.clone();
    std::thread::spawn(move || {
        while let Ok(mut paths) = rx.recv() {
            // Collect the rest of a burst (an editor's save is several events).
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(30)) {
                paths.extend(more);
            }
            let edit = shared.edits.fetch_add(1, Ordering::AcqRel) + 1;
            preview(&opts, &shared, &paths, edit);
            *lock(&shared.build_pending) = true;
            shared.build_wanted.notify_one();
        }
    });
    Ok(watcher)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs the full builds the watcher asks for, one at a time; changes made during a build
/// are built by the next one. They run on threads of lower priority, so that a preview,
/// made on the watcher's thread while a build runs, gets the processor when it needs it.
fn builder(opts: &BuildOptions, shared: &Shared) {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("wenji-build-{i}"))
        .start_handler(|_| lower_priority())
        .build();
    match pool {
        Ok(pool) => pool.install(|| build_when_asked(opts, shared)),
        Err(_) => build_when_asked(opts, shared),
    }
}

/// Lowers the calling thread's priority (Linux: a thread's nice value is its own).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on this thread (who 0) takes integers and changes no memory.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

fn build_when_asked(opts: &BuildOptions, shared: &Shared) -> ! {
    loop {
        {
            let mut pending = lock(&shared.build_pending);
            while !*pending {
                pending = shared
                    .build_wanted
                    .wait(pending)
                    .unwrap_or_else(|e| e.into_inner());
            }
            *pending = false;
        }
        rebuild(opts, shared);
        if lock(&shared.model).is_none() {
            load_model(opts, shared);
        }
    }
}

/// Loads the model for previews. Kept only if no change came while it loaded: one that did
/// may be missing from it, and the next build loads it again.
fn load_model(opts: &BuildOptions, shared: &Shared) {
    let edits = shared.edits.load(Ordering::Acquire);
    let Ok(model) = Model::load(opts) else { return };
    let mut slot = lock(&shared.model);
    if shared.edits.load(Ordering::Acquire) == edits {
        *slot = Some(model);
    }
}

/// Shows the changed `paths` at once when they are replies the model can follow: their
/// pages go to the overlay and open pages reload. Otherwise the model is dropped (it may no
/// longer be the site) and the full build, which follows every change, shows the change.
fn preview(opts: &BuildOptions, shared: &Shared, paths: &[PathBuf], edit: u64) {
    let t = Instant::now();
    let mut slot = lock(&shared.model);
    let Some(model) = slot.as_mut() else { return };
    let canonical = std::fs::canonicalize(&opts.root).ok();
    let changed: Vec<&Path> = paths
        .iter()
        .map(|p| relative(&opts.root, canonical.as_deref(), p))
        .filter(|rel| !ignored(rel) && !passing(&opts.root, rel, model))
        .collect();
    let replies: Option<Vec<usize>> = changed.iter().map(|rel| model.reply_of(rel)).collect();
    let fixed = |f: &PathBuf| changed.contains(&f.as_path());
    let (Some(mut replies), false) = (replies, changed.is_empty()) else {
        if !changed.is_empty() {
            *slot = None;
        }
        return;
    };
    replies.sort_unstable();
    replies.dedup();
    let mut pages = Vec::new();
    for ri in replies {
        match model.update_reply(ri) {
            Ok(p) => pages.extend(p),
            Err(preview::Refused::Moved(why)) => {
                eprintln!("not previewed ({why}); the full build follows");
                *slot = None;
                return;
            }
            // The full build that follows reports the problem.
            Err(preview::Refused::Problem) => return,
        }
    }
    drop(slot);
    let shown: Vec<String> = pages.iter().map(|p| format!("/{}", p.path)).collect();
    {
        let mut overlay = lock(&shared.overlay);
        for page in pages {
            overlay.insert(page.path, (edit, page.bytes));
        }
    }
    let mut state = lock(&shared.state);
    state.version += 1;
    // The last build's problems were all in the files just previewed: they are fixed, and
    // the open page reloads (the full build that follows has the last word).
    if state.error_files.iter().all(fixed) {
        state.error = None;
        state.error_files.clear();
    }
    shared.changed.notify_all();
    drop(state);
    eprintln!(
        "previewed {} in {} ms; the full build follows",
        shown.join(" "),
        t.elapsed().as_millis()
    );
}

/// Whether `rel`, a path in `content/` with no `.md` extension, is gone without taking
/// content with it: a file an editor made and removed (Vim's `4913` probe of the folder).
fn passing(root: &Path, rel: &Path, model: &Model) -> bool {
    rel.starts_with(wenji_core::content::CONTENT_DIR)
        && rel.extension().is_none_or(|x| x != "md")
        && !root.join(rel).exists()
        && !model.has_file_in(rel)
}

/// A watched path relative to the site root, as the model names files. The watcher may give
/// it under the root as passed (`./content/…`) or under its real path.
fn relative<'a>(root: &Path, canonical: Option<&Path>, path: &'a Path) -> &'a Path {
    path.strip_prefix(root)
        .ok()
        .or_else(|| path.strip_prefix(canonical?).ok())
        .unwrap_or(path)
}

/// Whether a changed path (relative to the root) cannot change the site: a hidden file in
/// `content/` (an editor's lock or swap file) or one that is not Markdown (a backup
/// `reply.md~`). Files with no extension count, as a folder may be one.
fn ignored(rel: &Path) -> bool {
    let Ok(in_content) = rel.strip_prefix(wenji_core::content::CONTENT_DIR) else {
        return false;
    };
    in_content
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        || rel.extension().is_some_and(|x| x != "md")
}

/// More connections than the limit: a short 503, written without waiting on the client.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let r =
        Response::text(503, "too many connections; try again\n").with_header("Retry-After", "1");
    let _ = http::write_response(&mut stream, &r, false, false);
}

/// Answers the requests of one connection until it closes, idles or breaks a limit.
fn handle_connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_write_timeout(Some(shared.limits.write_timeout));
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let request = match http::read_request(&mut stream, &mut buf, &shared.limits) {
            Ok(r) => r,
            Err(e) => {
                if let Some(status) = e.status() {
                    let r = Response::text(status, "bad request\n");
                    let _ = http::write_response(&mut stream, &r, false, false);
                }
                return;
            }
        };
        let keep_alive = request.keep_alive() && !request.has_body();
        let response = respond(&request, shared);
        let head_only = request.method == "HEAD";
        if http::write_response(&mut stream, &response, head_only, keep_alive).is_err()
            || !keep_alive
        {
            return;
        }
    }
}

/// The response to one request: the checks every request passes, then the endpoint or file.
fn respond(request: &http::Request, shared: &Shared) -> Response {
    match request.header("host") {
        Some(host) if http::is_loopback_host(host) => {}
        // HTTP/1.0 clients may send no Host; a browser always sends one.
        None if !request.http11 => {}
        _ => {
            return Response::text(
                403,
                "this preview server answers only requests for 127.0.0.1 or localhost\n",
            );
        }
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405, "only GET and HEAD\n").with_header("Allow", "GET, HEAD");
    }
    let url = request.target.as_str();
    if let Some(query) = url.strip_prefix("/__wenji/wait") {
        let seen = query.strip_prefix("?v=").and_then(|v| v.parse().ok());
        return wait_for_build(shared, seen);
    }
    if url == "/__wenji/reload.js" {
        return Response::new(200, "text/javascript; charset=utf-8", RELOAD_JS);
    }
    let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(error) = &state.error
        && !shared.out.join("index.html").is_file()
    {
        return error_page(error);
    }
    drop(state);
    if let Some(key) = overlay_key(&shared.base_path, url)
        && let Some((_, bytes)) = lock(&shared.overlay).get(&key)
    {
        let ct = content_type(Path::new(&key));
        return Response::new(200, ct, inject(bytes.clone()));
    }
    file_response(&shared.out, &shared.base_path, url)
}

/// The output path a request for a page asks for (`states/x/index.html` for `/states/x/`),
/// as the previewed pages are keyed.
fn overlay_key(base_path: &str, url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let rel = percent_decode(path).strip_prefix(base_path)?.to_string();
    Some(if rel.is_empty() || rel.ends_with('/') {
        rel + "index.html"
    } else {
        rel
    })
}

/// The long-poll: answers when the build version differs from `seen` (at once when the page
/// has seen none), or after [`WAIT_POLL`].
fn wait_for_build(shared: &Shared, seen: Option<u64>) -> Response {
    let guard = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    let (state, _) = shared
        .changed
        .wait_timeout_while(guard, WAIT_POLL, |s| seen == Some(s.version))
        .unwrap_or_else(|e| e.into_inner());
    let body = serde_json::json!({"version": state.version, "error": state.error});
    Response::new(200, "application/json", body.to_string())
}

/// The page every URL gets while there is no good site: the diagnostics, and the reload
/// script, which loads the site once a build succeeds.
fn error_page(diagnostics: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>wenji: the build failed</title>\
         <h1>The build failed</h1><p>Nothing is built yet. Fix the problems below; this page reloads when a build succeeds.</p>\
         <pre>{}</pre></html>",
        wenji_core::render::html::escaped(diagnostics)
    );
    Response::new(500, "text/html; charset=utf-8", inject(html.into_bytes()))
}

/// A full build. A good one replaces the previews of the edits it read; after a failed one
/// the last good site is served whole, without previews.
fn rebuild(opts: &BuildOptions, shared: &Shared) {
    let t = Instant::now();
    // Every edit counted so far was saved before the build reads the files.
    let edits = shared.edits.load(Ordering::Acquire);
    let result = build(opts);
    let mut state = lock(&shared.state);
    state.version += 1;
    match &result {
        Ok(_) => lock(&shared.overlay).retain(|_, (edit, _)| *edit > edits),
        Err(_) => lock(&shared.overlay).clear(),
    }
    match result {
        Ok(report) => {
            eprintln!("{}", report.summary("rebuilt"));
            state.error = None;
            state.error_files.clear();
        }
        Err(e) => {
            eprintln!(
                "{e}\nbuild failed after {} ms; still serving the previous site",
                t.elapsed().as_millis()
            );
            state.error = Some(e.to_string());
            state.error_files = e.0.iter().map(|d| d.file.clone()).collect();
        }
    }
    shared.changed.notify_all();
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

/// Resolves a request path inside the output folder, and serves the file. Never outside it:
/// `..` and absolute paths are refused, and a symbolic link in the folder is followed only
/// when its target is inside the folder too.
fn file_response(out: &Path, base_path: &str, url: &str) -> Response {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let not_found = || {
        let body = read_inside(out, &out.join("404.html")).unwrap_or_else(|| b"not found".to_vec());
        Response::new(404, "text/html; charset=utf-8", inject(body))
    };
    if path.contains(|c: char| c.is_control()) {
        return not_found();
    }
    let Some(rel) = decoded
        .strip_prefix(base_path)
        .or_else(|| (decoded.clone() + "/").strip_prefix(base_path).map(|_| ""))
        .map(str::to_string)
    else {
        return not_found();
    };
    let Some(mut file) = wenji_core::output::safe_relative(&rel)
        .map(|p| out.join(p))
        .or_else(|| rel.is_empty().then(|| out.to_path_buf()))
    else {
        return not_found();
    };
    if file.is_dir() {
        if !path.ends_with('/') {
            // The raw path (no control characters, checked above), not the decoded one.
            return Response::new(301, "text/plain; charset=utf-8", "")
                .with_header("Location", format!("{path}/"));
        }
        file = file.join("index.html");
    }
    match read_inside(out, &file) {
        Some(bytes) => {
            let ct = content_type(&file);
            let bytes = if ct.starts_with("text/html") {
                inject(bytes)
            } else {
                bytes
            };
            Response::new(200, ct, bytes)
        }
        None => not_found(),
    }
}

/// The bytes of `file` if it is a file whose real path is inside `out`.
fn read_inside(out: &Path, file: &Path) -> Option<Vec<u8>> {
    let root = std::fs::canonicalize(out).ok()?;
    let real = std::fs::canonicalize(file).ok()?;
    if !real.starts_with(&root) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_output() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("site");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("index.html"), "<body>hi</body>").unwrap();
        std::fs::write(d.path().join("secret.txt"), "secret").unwrap();
        for bad in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2e%2e/secret.txt",
        ] {
            assert_eq!(file_response(&out, "/", bad).status, 404, "{bad}");
        }
        assert_eq!(file_response(&out, "/", "/").status, 200);
        // A link in the output folder is served only when its target is inside it too.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.path().join("secret.txt"), out.join("leak.txt")).unwrap();
            std::os::unix::fs::symlink("/etc", out.join("etc")).unwrap();
            std::os::unix::fs::symlink("index.html", out.join("same.html")).unwrap();
            assert_eq!(file_response(&out, "/", "/leak.txt").status, 404);
            assert_eq!(file_response(&out, "/", "/etc/passwd").status, 404);
            assert_eq!(file_response(&out, "/", "/same.html").status, 200);
        }
        // A redirect never carries a decoded line break into its header.
        let r = file_response(&out, "/", "/a%0d%0aSet-Cookie:x");
        assert_eq!(r.status, 404);
        let r = file_response(&out, "/", "/a");
        assert_eq!(
            r.headers.iter().find(|(n, _)| *n == "Location").unwrap().1,
            "/a/"
        );
    }

    #[test]
    fn changed_paths_are_named_as_the_model_names_files() {
        let (root, real) = (Path::new("."), Path::new("/home/a/site"));
        for (path, rel) in [
            ("./content/replies/x.md", "content/replies/x.md"),
            ("/home/a/site/content/replies/x.md", "content/replies/x.md"),
            ("/elsewhere/x.md", "/elsewhere/x.md"),
        ] {
            assert_eq!(relative(root, Some(real), Path::new(path)), Path::new(rel));
        }
        for (rel, skip) in [
            ("content/replies/x.md", false),
            ("content/replies/.x.md.swp", true),
            ("content/.git/x.md", true),
            ("content/replies/x.md~", true),
            ("content/replies", false),
            ("templates/.x.html", false),
            ("wenji.toml", false),
        ] {
            assert_eq!(ignored(Path::new(rel)), skip, "{rel}");
        }
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let out = String::from_utf8(inject(b"<body>x</body></html>".to_vec())).unwrap();
        assert!(
            out.starts_with("<body>x<script src=\"/__wenji/reload.js\" defer></script></body>")
        );
    }
}
