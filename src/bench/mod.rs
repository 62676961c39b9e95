//! `wenji bench`: speed and scale. Builds synthetic sites of N replies made from the real
//! replies ([`corpus`]), each build in a child process running this same binary so that its
//! wall time and peak memory are its own ([`child`]), next to the floor of the same corpus
//! ([`floor`]: read, render Markdown, write) and, with `--hugo`, Debian's Hugo on the same
//! bodies ([`hugo`]). Also builds the real site ~10 times and, with `--serve`, times
//! `wenji serve` from an edit to the rebuilt page ([`serve`]). It prints figures; it asserts
//! nothing about them.

pub mod child;
pub mod corpus;
pub mod floor;
pub mod hugo;
pub mod serve;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};

use crate::build::{BuildOptions, build};
use child::Measured;
use floor::ms;

#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// Corpus sizes in replies, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,10000")]
    pub sizes: Vec<usize>,
    /// Also build each corpus as a Hugo site with `hugo` (skipped if it is not installed).
    #[arg(long)]
    pub hugo: bool,
    /// Also time `wenji serve` on the real site: a content edit → the rebuilt page served.
    #[arg(long)]
    pub serve: bool,
    /// Builds of the real site; the median is reported (0 skips the real site).
    #[arg(long, default_value_t = 10)]
    pub real_runs: usize,
    /// Builds per corpus size [default: 5 up to 100 replies, 3 up to 1,000, else 1].
    #[arg(long)]
    pub runs: Option<usize>,
    /// Folder for the corpora and outputs [default: <root>/target/bench].
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Keep the built outputs (the corpora are always kept).
    #[arg(long)]
    pub keep: bool,
    /// Only write the corpora (to <dir>/corpus-<N>) and exit.
    #[arg(long)]
    pub generate_only: bool,
    /// Internal: run one measured step in this process (`build`, `floor` or `write`) and print
    /// JSON.
    #[arg(long, hide = true)]
    pub child: Option<String>,
    #[arg(long, hide = true)]
    pub site: Option<PathBuf>,
    #[arg(long, hide = true)]
    pub out: Option<PathBuf>,
}

/// The entry point of `wenji bench`.
pub fn run(root: &Path, args: BenchArgs) -> Result<(), String> {
    if let Some(step) = &args.child {
        return run_child(step, &args);
    }
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| root.join("target").join("bench"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dir = dir.canonicalize().map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let pool = corpus::Pool::load(root)?;

    let mut out = String::new();
    let _ = writeln!(out, "{}", machine());
    let _ = writeln!(
        out,
        "binary: {}{}",
        exe.display(),
        if cfg!(debug_assertions) {
            " (DEBUG build: figures are not meaningful; use cargo build --release)"
        } else {
            " (release)"
        }
    );
    eprint!("{out}");
    let mut results = json!({"machine": machine(), "sizes": [], "real": null, "serve": null});

    let mut sizes = Vec::new();
    for &n in &args.sizes {
        let corpus_dir = dir.join(format!("corpus-{n}"));
        let t = Instant::now();
        let stats = corpus::generate_from(&pool, root, &corpus_dir, n)?;
        eprintln!(
            "corpus of {n} replies: {:.1} MB of Markdown, {:.1} kB per reply body, {} paragraphs, {} footnotes, {} tag ranges, written in {:.1} s → {}",
            stats.content_bytes as f64 / 1e6,
            stats.body_bytes as f64 / n.max(1) as f64 / 1e3,
            stats.paragraphs,
            stats.footnotes,
            stats.tags,
            t.elapsed().as_secs_f64(),
            corpus_dir.display()
        );
        sizes.push((n, corpus_dir, stats));
    }
    if args.generate_only {
        return Ok(());
    }

    let hugo = if args.hugo {
        match hugo::find() {
            Some(h) => {
                let _ = writeln!(out, "hugo: {}", hugo::version(&h));
                Some(h)
            }
            None => {
                let _ = writeln!(
                    out,
                    "hugo: not installed, comparison skipped (apt-get install -y hugo)"
                );
                None
            }
        }
    } else {
        None
    };

    // The real site.
    let mut real = None;
    if args.real_runs > 0 {
        let r = measure_site(&exe, root, &dir.join("real"), args.real_runs, None)?;
        results["real"] = r.to_json(0, root_input_bytes(root));
        real = Some(r);
    }

    let mut rows = Vec::new();
    for (n, corpus_dir, stats) in &sizes {
        let runs = args.runs.unwrap_or(if *n <= 100 {
            5
        } else if *n <= 1000 {
            3
        } else {
            1
        });
        let hugo_site = match &hugo {
            Some(_) => {
                let site = dir.join(format!("hugo-{n}"));
                hugo::write_site(corpus_dir, &site)?;
                Some(site)
            }
            None => None,
        };
        let r = measure_site(
            &exe,
            corpus_dir,
            &dir.join(format!("out-{n}")),
            runs,
            hugo.as_deref().zip(hugo_site.as_deref()),
        )?;
        results["sizes"]
            .as_array_mut()
            .expect("array")
            .push(r.to_json(*n, stats.content_bytes));
        rows.push((*n, stats.clone(), r));
        if !args.keep {
            let _ = std::fs::remove_dir_all(dir.join(format!("out-{n}")));
            let _ = std::fs::remove_dir_all(dir.join(format!("out-{n}-floor")));
            let _ = std::fs::remove_dir_all(dir.join(format!("out-{n}-hugo")));
        }
    }

    let serve_report = if args.serve {
        let s = serve::measure(&exe, root, &dir, 10)?;
        results["serve"] = json!({
            "initial_ms": ms(s.initial_build),
            "latency_ms": s.latencies.iter().map(|d| ms(*d)).collect::<Vec<_>>(),
            "rebuild_ms": s.rebuild_ms,
        });
        Some(s)
    } else {
        None
    };

    out.push_str(&report(
        real.as_ref(),
        root_input_bytes(root),
        &rows,
        serve_report.as_ref(),
    ));
    // The preview target is at the largest corpus: an edit there, 10 times.
    if args.serve
        && let Some((n, corpus_dir, _)) = sizes.iter().max_by_key(|(n, _, _)| *n)
    {
        let work = dir.join(format!("serve-{n}"));
        std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
        let s = serve::measure(&exe, corpus_dir, &work, 10)?;
        let mut l: Vec<f64> = s.latencies.iter().map(|d| ms(*d)).collect();
        l.sort_by(f64::total_cmp);
        let med = l.get(l.len().saturating_sub(1) / 2).copied().unwrap_or(0.0);
        let _ = writeln!(
            out,
            "\nwenji serve on the {n}-reply corpus: first build and listening after {:.0} ms; edit saved → rebuilt page served: median {med:.0} ms over {} edits (target 300 ms; sorted: {}); serve's own rebuild times (ms): {:?}",
            ms(s.initial_build),
            l.len(),
            l.iter()
                .map(|w| format!("{w:.0}"))
                .collect::<Vec<_>>()
                .join(" "),
            s.rebuild_ms
        );
        results["serve_largest"] = json!({
            "replies": n,
            "initial_ms": ms(s.initial_build),
            "latency_ms": l,
            "median_ms": med,
            "rebuild_ms": s.rebuild_ms,
        });
        let _ = std::fs::remove_dir_all(&work);
    }
    println!("{out}");
    let json_path = dir.join("results.json");
    let _ = std::fs::write(
        &json_path,
        serde_json::to_string_pretty(&results).unwrap_or_default(),
    );
    eprintln!("figures also in {}", json_path.display());
    Ok(())
}

fn root_input_bytes(root: &Path) -> u64 {
    walkdir::WalkDir::new(root.join(crate::content::CONTENT_DIR))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// `nproc`, memory and CPU model.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    format!(
        "machine: {cpus} CPUs ({model}), {:.1} GiB RAM",
        mem_kb as f64 / (1024.0 * 1024.0)
    )
}

/// A child step: `build` runs the real pipeline, `floor` the floor, `write` the output floor
/// (`--site` is then a built site); each prints JSON.
fn run_child(step: &str, args: &BenchArgs) -> Result<(), String> {
    crate::build::disable_transparent_huge_pages();
    let site = args.site.clone().ok_or("--child needs --site")?;
    let out = args.out.clone().ok_or("--child needs --out")?;
    let mut j = match step {
        "build" => {
            let r = build(&BuildOptions {
                root: site,
                output: out.clone(),
                base_url: None,
                write: true,
            })
            .map_err(|e| e.to_string())?;
            let t = &r.timings;
            json!({
                "pages": r.pages, "files": r.files, "bytes": r.bytes,
                "input_bytes": r.input_bytes, "search_bytes": r.search_bytes,
                "total_ms": ms(r.total),
                "stages": {
                    "load": ms(t.load), "link": ms(t.link), "render": ms(t.render),
                    "index": ms(t.index), "extras": ms(t.extras), "check": ms(t.check),
                    "commit": ms(t.commit),
                },
                "within": {
                    "minify": ms(t.minify), "write": ms(t.write_threads),
                    "scan": ms(t.scan_threads),
                },
                "deploy": r.size.to_json(),
                "breakdown": breakdown_json(&out),
            })
        }
        "floor" => floor::run(&site, &out)
            .map_err(|e| format!("floor: {e}"))?
            .to_json(),
        "write" => floor::write_only(&site, &out)
            .map_err(|e| format!("output floor: {e}"))?
            .to_json(),
        other => return Err(format!("unknown bench step `{other}`")),
    };
    j["vmhwm_kb"] = json!(child::own_vmhwm_kb());
    println!("{j}");
    Ok(())
}

/// The measurements of one site: floor and build runs, the output floor of each build, and
/// Hugo's.
pub struct SiteRuns {
    pub floor: Vec<Measured>,
    pub build: Vec<Measured>,
    pub output_floor: Vec<Measured>,
    pub hugo: Vec<Measured>,
}

fn median(v: &[Measured]) -> Option<&Measured> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by_key(|&i| v[i].wall);
    idx.get(idx.len().saturating_sub(1) / 2).map(|&i| &v[i])
}

fn best(v: &[Measured]) -> std::time::Duration {
    v.iter().map(|m| m.wall).min().unwrap_or_default()
}

fn max_rss(v: &[Measured]) -> u64 {
    v.iter().map(|m| m.maxrss_kb).max().unwrap_or(0)
}

impl SiteRuns {
    fn to_json(&self, n: usize, input_bytes: u64) -> Value {
        let one = |m: &Measured| json!({"wall_ms": ms(m.wall), "cpu_ms": ms(m.cpu), "maxrss_kb": m.maxrss_kb, "child": m.json()});
        json!({
            "replies": n,
            "input_bytes": input_bytes,
            "floor": self.floor.iter().map(one).collect::<Vec<_>>(),
            "build": self.build.iter().map(one).collect::<Vec<_>>(),
            "output_floor": self.output_floor.iter().map(one).collect::<Vec<_>>(),
            "hugo": self.hugo.iter().map(one).collect::<Vec<_>>(),
        })
    }
}

fn step(exe: &Path, step: &str, site: &Path, out: &Path) -> Result<Measured, String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let args: [&OsStr; 7] = [
        "bench".as_ref(),
        "--child".as_ref(),
        step.as_ref(),
        "--site".as_ref(),
        site.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    run_ok(exe, &args, || format!("{step} of {}", site.display()))
}

/// Runs a child, measured; an error with its standard error if it fails.
fn run_ok(
    program: &Path,
    args: &[&OsStr],
    what: impl FnOnce() -> String,
) -> Result<child::Measured, String> {
    let m = child::run(program, args)?;
    if !m.success {
        return Err(format!("{} failed:\n{}", what(), m.stderr));
    }
    Ok(m)
}

/// Floor, build (then its output floor) and Hugo `runs` times each, interleaved: this
/// machine's speed drifts by a fifth from minute to minute, and interleaving gives each the
/// same share of it.
fn measure_site(
    exe: &Path,
    site: &Path,
    out: &Path,
    runs: usize,
    hugo: Option<(&Path, &Path)>,
) -> Result<SiteRuns, String> {
    let floor_out = PathBuf::from(format!("{}-floor", out.display()));
    let write_out = PathBuf::from(format!("{}-write", out.display()));
    let mut r = SiteRuns {
        floor: Vec::new(),
        build: Vec::new(),
        output_floor: Vec::new(),
        hugo: Vec::new(),
    };
    for i in 0..runs {
        let f = step(exe, "floor", site, &floor_out)?;
        let b = step(exe, "build", site, out)?;
        let w = step(exe, "write", out, &write_out)?;
        // The bench folder is often tmpfs, i.e. memory: keep one copy of the site, not two.
        let _ = std::fs::remove_dir_all(&write_out);
        eprintln!(
            "{}: run {}/{runs}: floor {:.0} ms, build {:.0} ms, {:.0} MB peak, writing its output alone {:.0} ms",
            site.display(),
            i + 1,
            ms(f.wall),
            ms(b.wall),
            b.maxrss_kb as f64 / 1024.0,
            w.json()["write_ms"].as_f64().unwrap_or(0.0)
        );
        r.floor.push(f);
        r.build.push(b);
        r.output_floor.push(w);
        if let Some((hugo, hugo_site)) = hugo {
            let m = run_hugo(hugo, hugo_site, out)?;
            eprintln!(
                "{}: hugo run {}/{runs}: {:.0} ms, {:.0} MB peak",
                hugo_site.display(),
                i + 1,
                ms(m.wall),
                m.maxrss_kb as f64 / 1024.0
            );
            r.hugo.push(m);
        }
    }
    Ok(r)
}

/// One build of the Hugo site into `<out>-hugo`, from scratch.
fn run_hugo(hugo: &Path, hugo_site: &Path, out: &Path) -> Result<child::Measured, String> {
    let hugo_out = PathBuf::from(format!("{}-hugo", out.display()));
    if hugo_out.exists() {
        let _ = std::fs::remove_dir_all(&hugo_out);
    }
    let _ = std::fs::remove_dir_all(hugo_site.join("resources"));
    let args: [&OsStr; 5] = [
        "--source".as_ref(),
        hugo_site.as_os_str(),
        "--destination".as_ref(),
        hugo_out.as_os_str(),
        "--quiet".as_ref(),
    ];
    run_ok(hugo, &args, || format!("hugo on {}", hugo_site.display()))
}

/// The stages in build order; they follow one another, so their times add up.
const STAGES: [&str; 7] = [
    "load", "link", "render", "extras", "index", "check", "commit",
];

fn mb(bytes: f64) -> f64 {
    bytes / 1e6
}

/// The output floor beside the floor: how much of the build's multiple of the floor is only
/// writing what it publishes.
fn output_floor_table(all: &[(String, usize, u64, &SiteRuns)]) -> String {
    let mut s = String::from(
        "\nThe output floor: writing the files of the build just made, their bytes already in memory, folders first and then the files in parallel, and nothing else (a lower bound for any generator that publishes this site). Times are the child's own write time, best / median of one per build:\n\n| site | files | output MB | output floor ms best / med | output floor / floor (best) | build / output floor (best) |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (label, _, _, r) in all {
        let mut writes: Vec<f64> = r
            .output_floor
            .iter()
            .filter_map(|m| m.json()["write_ms"].as_f64())
            .collect();
        writes.sort_by(f64::total_cmp);
        let (Some(&wb), Some(w)) = (writes.first(), r.output_floor.first()) else {
            continue;
        };
        if r.floor.is_empty() || r.build.is_empty() {
            continue;
        }
        let wm = writes[(writes.len() - 1) / 2];
        let j = w.json();
        let _ = writeln!(
            s,
            "| {label} | {} | {:.1} | {wb:.0} / {wm:.0} | {:.2}× | {:.2}× |",
            j["files"],
            mb(j["output_bytes"].as_f64().unwrap_or(0.0)),
            wb / ms(best(&r.floor)).max(1e-9),
            ms(best(&r.build)) / wb.max(1e-9),
        );
    }
    s
}

/// Where a built site's bytes and files go, by kind: the first folder of the path (or
/// `(root)`) and the file's extension, largest first.
pub fn breakdown(site: &Path) -> Vec<(String, u64, u64)> {
    let mut kinds: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for e in walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(site) else {
            continue;
        };
        let mut parts = rel.components();
        let first = parts.next();
        let folder = match (first, parts.next()) {
            (Some(f), Some(_)) => format!("{}/", f.as_os_str().to_string_lossy()),
            _ => "(root)".to_string(),
        };
        let ext = rel
            .extension()
            .map_or("(none)".into(), |x| format!(".{}", x.to_string_lossy()));
        let k = kinds.entry(format!("{folder} {ext}")).or_default();
        k.0 += 1;
        k.1 += e.metadata().map_or(0, |m| m.len());
    }
    let mut v: Vec<(String, u64, u64)> = kinds.into_iter().map(|(k, (f, b))| (k, f, b)).collect();
    v.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    v
}

fn breakdown_json(site: &Path) -> Value {
    breakdown(site)
        .into_iter()
        .map(|(k, files, bytes)| json!({"kind": k, "files": files, "bytes": bytes}))
        .collect()
}

/// The deploy check of each site (its median build) and where its bytes and files go.
fn deploy_table(all: &[(String, usize, u64, &SiteRuns)]) -> String {
    let mut s = String::from(
        "\nDeploy check (median build): the site against GitHub Pages (1 GB a site, 100 MB a file), GitLab Pages (1 GB, 200,000 files) and Cloudflare Pages' free plan (20,000 files, 25 MiB a file); sources in docs/bench.md:\n\n| site | output MB | files | largest file | GitHub Pages | GitLab Pages | Cloudflare Pages (free) |\n|---|---:|---:|---|---|---|---|\n",
    );
    let mut kinds = String::new();
    for (label, _, _, r) in all {
        let Some(b) = median(&r.build) else { continue };
        let j = b.json();
        let d = &j["deploy"];
        let fit = |i: usize| {
            let h = &d["hosts"][i];
            if h["fits"].as_bool().unwrap_or(false) {
                "fits".to_string()
            } else {
                let what: Vec<&str> = h["exceeded"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e["what"].as_str())
                    .collect();
                format!("**no** ({})", what.join(", "))
            }
        };
        let _ = writeln!(
            s,
            "| {label} | {:.1} | {} | {} ({:.1} MB) | {} | {} | {} |",
            mb(d["bytes"].as_f64().unwrap_or(0.0)),
            d["files"],
            d["largest_file"]["path"].as_str().unwrap_or("–"),
            mb(d["largest_file"]["bytes"].as_f64().unwrap_or(0.0)),
            fit(0),
            fit(1),
            fit(2),
        );
        if let Some(rows) = j["breakdown"].as_array() {
            let _ = write!(kinds, "\n{label}:");
            for k in rows.iter().take(12) {
                let _ = write!(
                    kinds,
                    " {} {} files {:.1} MB;",
                    k["kind"].as_str().unwrap_or(""),
                    k["files"],
                    mb(k["bytes"].as_f64().unwrap_or(0.0))
                );
            }
            kinds.push('\n');
        }
    }
    if !kinds.is_empty() {
        s.push_str(
            "\nWhere the bytes and files go (median build; folder and extension, largest first):\n",
        );
        s.push_str(&kinds);
    }
    s
}

/// The tables.
fn report(
    real: Option<&SiteRuns>,
    real_input: u64,
    rows: &[(usize, corpus::CorpusStats, SiteRuns)],
    serve: Option<&serve::ServeReport>,
) -> String {
    let mut s = String::new();
    let mut all: Vec<(String, usize, u64, &SiteRuns)> = Vec::new();
    if let Some(r) = real {
        all.push(("real site".into(), 20, real_input, r));
    }
    for (n, stats, r) in rows {
        all.push((format!("{n} replies"), *n, stats.content_bytes, r));
    }
    s.push_str("\nWall times are the child process's, exec to exit: best of the runs, then the median (this 2-CPU machine is shared, so the best run is the least disturbed). CPU is user + system time of the median run; peak RSS is the highest of the runs (wait4 ru_maxrss). pages/s and MB/s are from the best wall time.\n\n");
    s.push_str("| site | runs | input MB | floor ms best / med | build ms best / med | build/floor (best) | CPU s floor / build | replies/s | input MB/s | peak RSS MB build / floor | output MB | files | search index kB | hugo ms best / med | hugo/build (best) | hugo CPU s | hugo RSS MB |\n");
    s.push_str(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (label, n, input, r) in &all {
        let (Some(f), Some(b)) = (median(&r.floor), median(&r.build)) else {
            continue;
        };
        let (fb, bb) = (best(&r.floor), best(&r.build));
        let j = b.json();
        let secs = bb.as_secs_f64();
        let hugo = median(&r.hugo);
        let hb = best(&r.hugo);
        let _ = writeln!(
            s,
            "| {label} | {} | {:.2} | {:.0} / {:.0} | {:.0} / {:.0} | {:.2}× | {:.2} / {:.2} | {:.0} | {:.1} | {:.0} / {:.0} | {:.1} | {} | {:.0} | {} | {} | {} | {} |",
            r.build.len(),
            mb(*input as f64),
            ms(fb),
            ms(f.wall),
            ms(bb),
            ms(b.wall),
            secs / fb.as_secs_f64().max(1e-9),
            f.cpu.as_secs_f64(),
            b.cpu.as_secs_f64(),
            *n as f64 / secs,
            mb(*input as f64) / secs,
            max_rss(&r.build) as f64 / 1024.0,
            max_rss(&r.floor) as f64 / 1024.0,
            mb(j["bytes"].as_f64().unwrap_or(0.0)),
            j["files"],
            j["search_bytes"].as_f64().unwrap_or(0.0) / 1e3,
            hugo.map_or("–".into(), |h| format!(
                "{:.0} / {:.0}",
                ms(hb),
                ms(h.wall)
            )),
            hugo.map_or("–".into(), |_| format!("{:.2}×", hb.as_secs_f64() / secs)),
            hugo.map_or("–".into(), |h| format!("{:.2}", h.cpu.as_secs_f64())),
            hugo.map_or("–".into(), |_| format!(
                "{:.0}",
                max_rss(&r.hugo) as f64 / 1024.0
            )),
        );
    }
    s.push_str("\nWhere the build's time goes (median run; ms, and share of the child's wall time). Every file is written as it is made: `render` is rendering the pages, reading their links and writing them; `extras` the citation files, open data, sitemap and assets; `index` making the search documents, freeing the replies' Markdown, building and writing the search index; `check` resolving every link and anchor; `commit` putting the new site in place. `rest of build()`: config, templates and assets (alongside load), the ledger check; `process`: exec, dynamic loading, freeing memory and exit, i.e. the child's wall time minus build::build's own total. The last three columns are parts of the stages, added up over the threads: minifying the templates (once, alongside load), writing files, reading pages' links:\n\n");
    s.push_str("| site | wall ms |");
    for st in STAGES {
        let _ = write!(s, " {st} |");
    }
    s.push_str(" rest of build() | process | minify (templates) | write (threads) | link scan (threads) |\n|---|---:|");
    for _ in 0..=STAGES.len() + 4 {
        s.push_str("---:|");
    }
    s.push('\n');
    for (label, _, _, r) in &all {
        let Some(b) = median(&r.build) else { continue };
        let j = b.json();
        let wall = ms(b.wall);
        let _ = write!(s, "| {label} | {wall:.0} |");
        let mut sum = 0.0;
        for st in STAGES {
            let v = j["stages"][st].as_f64().unwrap_or(0.0);
            sum += v;
            let _ = write!(s, " {v:.0} ({:.0}%) |", 100.0 * v / wall.max(1e-9));
        }
        let total = j["total_ms"].as_f64().unwrap_or(wall);
        let untimed = (total - sum).max(0.0);
        let process = (wall - total).max(0.0);
        let _ = writeln!(
            s,
            " {untimed:.0} ({:.0}%) | {process:.0} ({:.0}%) | {:.1} | {:.0} | {:.0} |",
            100.0 * untimed / wall.max(1e-9),
            100.0 * process / wall.max(1e-9),
            j["within"]["minify"].as_f64().unwrap_or(0.0),
            j["within"]["write"].as_f64().unwrap_or(0.0),
            j["within"]["scan"].as_f64().unwrap_or(0.0),
        );
    }
    s.push_str(&deploy_table(&all));
    s.push_str(&output_floor_table(&all));
    s.push_str("\nThe floor's own split (median run; ms): read + render Markdown | write\n\n");
    for (label, _, _, r) in &all {
        if let Some(f) = median(&r.floor) {
            let j = f.json();
            let _ = writeln!(
                s,
                "- {label}: {:.0} | {:.0} ({} files, {:.1} MB written)",
                j["read_render_ms"].as_f64().unwrap_or(0.0),
                j["write_ms"].as_f64().unwrap_or(0.0),
                j["files"],
                mb(j["output_bytes"].as_f64().unwrap_or(0.0))
            );
        }
    }
    if let Some(r) = real {
        let mut walls: Vec<f64> = r.build.iter().map(|m| ms(m.wall)).collect();
        walls.sort_by(f64::total_cmp);
        let _ = writeln!(
            s,
            "\nReal site, {} builds: median {:.0} ms; all (ms, sorted): {}",
            walls.len(),
            walls
                .get(walls.len().saturating_sub(1) / 2)
                .copied()
                .unwrap_or(0.0),
            walls
                .iter()
                .map(|w| format!("{w:.0}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    if let Some(sv) = serve {
        let mut l: Vec<f64> = sv.latencies.iter().map(|d| ms(*d)).collect();
        l.sort_by(f64::total_cmp);
        let med = l.get(l.len().saturating_sub(1) / 2).copied().unwrap_or(0.0);
        let _ = writeln!(
            s,
            "\nwenji serve on the real site: first build and listening after {:.0} ms; edit saved → rebuilt page served: median {med:.0} ms over {} edits (sorted: {}); serve's own rebuild times (ms): {:?}",
            ms(sv.initial_build),
            l.len(),
            l.iter()
                .map(|w| format!("{w:.0}"))
                .collect::<Vec<_>>()
                .join(" "),
            sv.rebuild_ms
        );
    }
    s
}
