//! The deploy check: whether a built site fits the free static hosts it is made for —
//! its total bytes, its number of files and its largest file against each host's published
//! limits (sources in docs/bench.md). `wenji build` warns when a site exceeds one, and
//! `wenji bench` prints the check beside its figures.

use serde_json::{Value, json};

/// One host's limits; `None` where the host states none.
#[derive(Debug, Clone, Copy)]
pub struct Host {
    pub name: &'static str,
    pub max_bytes: Option<u64>,
    pub max_files: Option<u64>,
    pub max_file_bytes: Option<u64>,
}

const GB: u64 = 1_000_000_000;
const MB: u64 = 1_000_000;
const MIB: u64 = 1024 * 1024;

/// GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB", and a file of a
/// repository at most 100 MB (git push refuses more). GitLab Pages: 1 GB and 200,000 files
/// (gitlab.com; not changeable there). Cloudflare Pages, free plan: 20,000 files, 25 MiB a
/// file.
pub const HOSTS: [Host; 3] = [
    Host {
        name: "GitHub Pages",
        max_bytes: Some(GB),
        max_files: None,
        max_file_bytes: Some(100 * MB),
    },
    Host {
        name: "GitLab Pages",
        max_bytes: Some(GB),
        max_files: Some(200_000),
        max_file_bytes: None,
    },
    Host {
        name: "Cloudflare Pages (free)",
        max_bytes: None,
        max_files: Some(20_000),
        max_file_bytes: Some(25 * MIB),
    },
];

/// What a site weighs for a host: its bytes, its files and its largest file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSize {
    pub bytes: u64,
    pub files: u64,
    pub largest: Option<(String, u64)>,
}

/// One limit a site exceeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    pub host: &'static str,
    /// `"bytes"`, `"files"` or `"file size"`.
    pub what: &'static str,
    pub limit: u64,
    pub actual: u64,
    /// The largest file, for `"file size"`.
    pub file: Option<String>,
}

impl SiteSize {
    /// From the build's list of files (path, size).
    pub fn of(files: &[(String, u64)]) -> SiteSize {
        let largest = files
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(p, b)| (p.clone(), *b));
        SiteSize {
            bytes: files.iter().map(|(_, b)| b).sum(),
            files: files.len() as u64,
            largest,
        }
    }

    fn largest_bytes(&self) -> u64 {
        self.largest.as_ref().map_or(0, |l| l.1)
    }

    /// Every limit of `host` this site exceeds.
    pub fn exceeded(&self, host: &Host) -> Vec<Exceeded> {
        let mut out = Vec::new();
        let mut check = |what, limit: Option<u64>, actual: u64, file: Option<String>| {
            if let Some(limit) = limit
                && actual > limit
            {
                out.push(Exceeded {
                    host: host.name,
                    what,
                    limit,
                    actual,
                    file,
                });
            }
        };
        check("bytes", host.max_bytes, self.bytes, None);
        check("files", host.max_files, self.files, None);
        check(
            "file size",
            host.max_file_bytes,
            self.largest_bytes(),
            self.largest.as_ref().map(|l| l.0.clone()),
        );
        out
    }

    /// Every limit of every host this site exceeds.
    pub fn exceeded_all(&self) -> Vec<Exceeded> {
        HOSTS.iter().flat_map(|h| self.exceeded(h)).collect()
    }

    /// One line per host: fits, or what it exceeds.
    pub fn report_lines(&self) -> Vec<String> {
        HOSTS
            .iter()
            .map(|h| {
                let ex = self.exceeded(h);
                if ex.is_empty() {
                    format!("{}: fits", h.name)
                } else {
                    format!(
                        "{}: does NOT fit ({})",
                        h.name,
                        ex.iter()
                            .map(Exceeded::short)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            })
            .collect()
    }

    pub fn to_json(&self) -> Value {
        json!({
            "bytes": self.bytes,
            "files": self.files,
            "largest_file": self.largest.as_ref().map(|l| json!({"path": l.0, "bytes": l.1})),
            "hosts": HOSTS.iter().map(|h| {
                let ex = self.exceeded(h);
                json!({
                    "host": h.name,
                    "max_bytes": h.max_bytes,
                    "max_files": h.max_files,
                    "max_file_bytes": h.max_file_bytes,
                    "fits": ex.is_empty(),
                    "exceeded": ex.iter().map(|e| json!({
                        "what": e.what, "limit": e.limit, "actual": e.actual, "file": e.file,
                    })).collect::<Vec<_>>(),
                })
            }).collect::<Vec<_>>(),
        })
    }
}

fn amount(what: &str, n: u64) -> String {
    if what == "files" {
        format!("{n} files")
    } else if n >= GB {
        format!("{:.2} GB", n as f64 / GB as f64)
    } else {
        format!("{:.1} MB", n as f64 / MB as f64)
    }
}

impl Exceeded {
    fn short(&self) -> String {
        format!(
            "{} {} > {}",
            self.what,
            amount(self.what, self.actual),
            amount(self.what, self.limit)
        )
    }

    /// The warning `wenji build` prints: the host, the limit, the figure, and what to do
    /// (`large`: the site is in its large-site form).
    pub fn warning(&self, large: bool) -> String {
        let limit = match self.what {
            "files" => format!("at most {}", amount("files", self.limit)),
            "bytes" => format!("sites of at most {}", amount("bytes", self.limit)),
            _ => format!("files of at most {}", amount("bytes", self.limit)),
        };
        let help = if large {
            LARGE_SITE_HELP
        } else {
            SMALL_SITE_HELP
        };
        let file = self
            .file
            .as_ref()
            .map(|f| format!(" ({f})"))
            .unwrap_or_default();
        format!(
            "warning: this site does not fit {}, which takes {limit}: it has {}{file}\n  help: {help}",
            self.host,
            amount(self.what, self.actual),
        )
    }
}

/// What to do about a site over a limit, in the small-site form and in the large one.
const SMALL_SITE_HELP: &str = "set site.large_site_from in wenji.toml at or below this site's number of replies to write the large-site form, which fits the free hosts at 10,000 replies (README, \"Large sites\")";
const LARGE_SITE_HELP: &str = "the site is in its large-site form already; `wenji bench` lists where a site's bytes and files go: publish on a host with higher limits, or fewer replies";

/// The build's warnings, one per host and limit exceeded, or none.
pub fn warnings(size: &SiteSize, large: bool) -> String {
    size.exceeded_all()
        .iter()
        .map(|e| format!("\n{}", e.warning(large)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(n: usize, each: u64) -> Vec<(String, u64)> {
        (0..n).map(|i| (format!("f{i}.html"), each)).collect()
    }

    #[test]
    fn a_small_site_fits_every_host_and_warns_of_nothing() {
        let s = SiteSize::of(&files(300, 30_000));
        assert_eq!(s.files, 300);
        assert_eq!(s.bytes, 9_000_000);
        assert!(s.exceeded_all().is_empty());
        assert_eq!(warnings(&s, false), "");
        assert!(s.report_lines().iter().all(|l| l.ends_with(": fits")));
    }

    #[test]
    fn the_issue_s_10000_reply_site_exceeds_each_host_on_its_own_limit() {
        // 1,049 MB in 104,180 files, the open data's JSON 170 MB.
        let mut f = files(104_179, 8_450);
        f.push(("data/paragraphs.json".into(), 170_000_000));
        let s = SiteSize::of(&f);
        assert_eq!(
            s.largest,
            Some(("data/paragraphs.json".into(), 170_000_000))
        );
        let ex = s.exceeded_all();
        let got: Vec<(&str, &str)> = ex.iter().map(|e| (e.host, e.what)).collect();
        assert_eq!(
            got,
            [
                ("GitHub Pages", "bytes"),
                ("GitHub Pages", "file size"),
                ("GitLab Pages", "bytes"),
                ("Cloudflare Pages (free)", "files"),
                ("Cloudflare Pages (free)", "file size"),
            ]
        );
        let w = warnings(&s, false);
        assert_eq!(w.matches("warning:").count(), 5);
        assert_eq!(w.matches("help: set site.large_site_from").count(), 5);
        assert!(warnings(&s, true).contains("help: the site is in its large-site form already"));
        assert!(w.contains("does not fit Cloudflare Pages (free), which takes at most 20000 files: it has 104180 files"));
        assert!(w.contains("(data/paragraphs.json)"));
        assert!(w.contains("help: "));
        let j = s.to_json();
        assert_eq!(j["hosts"][1]["fits"], false);
        assert_eq!(j["hosts"][1]["exceeded"][0]["what"], "bytes");
        assert_eq!(j["largest_file"]["bytes"], 170_000_000);
    }

    #[test]
    fn limits_are_inclusive() {
        let s = SiteSize::of(&files(20_000, 50_000));
        assert_eq!(s.bytes, GB);
        assert!(s.exceeded_all().is_empty(), "{:?}", s.exceeded_all());
        let s = SiteSize::of(&files(20_001, 1));
        assert_eq!(s.exceeded_all().len(), 1);
        let s = SiteSize::of(&[("a".into(), 25 * MIB + 1)]);
        assert_eq!(s.exceeded_all()[0].host, "Cloudflare Pages (free)");
    }

    #[test]
    fn an_empty_site_has_no_largest_file() {
        let s = SiteSize::of(&[]);
        assert_eq!(s.largest, None);
        assert!(s.exceeded_all().is_empty());
    }
}
