//! The instant preview of an edited reply. `wenji serve` keeps the resolved site, templates
//! and assets of the last build in memory ([`Model`]); when one reply file changes, only that
//! file is loaded and re-resolved, and only the pages that show its text (its own page and
//! its neighbours', whose prev/next links carry its title and counts) are rendered, for the
//! server to answer from memory at once. The full build still follows, in the background,
//! and its output replaces these pages, so the folder on disk is always what a build makes.
//!
//! Every page rendered here is made by the code the build uses, from the model the build
//! would resolve, so it equals the build's page byte for byte; anything the preview cannot
//! do exactly (a new, removed or moved reply, a problem in the file, a template or the
//! config) is refused and left to the full build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use wenji_core::build::{BuildOptions, Timings, load_site};
use wenji_core::content::{self, Loaded};
use wenji_core::error::BuildError;
use wenji_core::link::{self, Site, ledger};
use wenji_core::output::OutputFile;
use wenji_core::render::{self, AssetMap, Templates};

/// Why an edit is not previewed; the full build that follows shows it either way.
#[derive(Debug)]
pub enum Refused {
    /// The file is gone, is no longer a reply, or the reply moved: the model no longer
    /// matches the site and must be loaded again.
    Moved(String),
    /// The file has a problem, which the full build reports. The model keeps the reply's
    /// last good version, so that the edit that fixes it is previewed.
    Problem,
}

/// What a build renders pages from, kept between builds.
pub struct Model {
    root: PathBuf,
    site: Site,
    templates: Templates,
    assets: AssetMap,
    /// Reply file (relative to the root, as in `Page::file`) → its index in `site.replies`.
    replies: HashMap<PathBuf, usize>,
}

impl Model {
    /// Loads and resolves the site as [`wenji_core::build::build`] does before it renders.
    pub fn load(opts: &BuildOptions) -> Result<Model, BuildError> {
        let mut timings = Timings::default();
        let mut site = load_site(&opts.root, opts.base_url.as_deref(), &mut timings)?;
        let entries = ledger::read(&opts.root)?;
        site.fragment_aliases = ledger::fragment_aliases(&site, &entries);
        let templates =
            render::templates::load(&opts.root, site.config.site.minify).map_err(BuildError)?;
        let assets = render::assets::load(&opts.root).map_err(BuildError)?;
        let replies = site
            .replies
            .iter()
            .enumerate()
            .map(|(i, r)| (r.page.file.clone(), i))
            .collect();
        Ok(Model {
            root: opts.root.clone(),
            site,
            templates,
            assets,
            replies,
        })
    }

    /// The index of the reply whose file is `rel` (relative to the site root).
    pub fn reply_of(&self, rel: &Path) -> Option<usize> {
        self.replies.get(rel).copied()
    }

    /// Whether a content file the model was loaded from is `rel` or in the folder `rel`.
    pub fn has_file_in(&self, rel: &Path) -> bool {
        let site = &self.site;
        let concepts = site.concepts.iter().map(|c| &c.page.file);
        let pages = site.pages.iter().map(|p| &p.page.file);
        let home = site.home.iter().map(|h| &h.file);
        self.replies
            .keys()
            .chain(concepts)
            .chain(pages)
            .chain(home)
            .any(|f| f.starts_with(rel))
    }

    /// Loads reply `ri`'s file again, puts it in the model and renders the pages that show
    /// it. When the edit cannot be previewed, the model is as before and the error says why.
    pub fn update_reply(&mut self, ri: usize) -> Result<Vec<OutputFile>, Refused> {
        let rel = self.site.replies[ri].page.file.clone();
        let path = self.root.join(&rel);
        let gone = |e: std::io::Error| Refused::Moved(format!("{}: {e}", rel.display()));
        let size = std::fs::metadata(&path).map_err(gone)?.len();
        if size > content::MAX_FILE_BYTES {
            return Err(Refused::Problem);
        }
        let text = std::fs::read_to_string(&path).map_err(gone)?;
        let page = match content::load_file(&rel, &text, &self.site.config) {
            Ok(Loaded::Reply(page)) => page,
            Ok(_) => {
                let why = format!("{} is no longer a reply", rel.display());
                return Err(Refused::Moved(why));
            }
            Err(_) => return Err(Refused::Problem),
        };
        if !link::same_place(&self.site.replies[ri].page, &page) {
            let why = format!("{}: a new slug, order or aliases", rel.display());
            return Err(Refused::Moved(why));
        }
        link::replace_reply(&mut self.site, ri, page).map_err(|_| Refused::Problem)?;
        self.render_replies(ri.saturating_sub(1)..(ri + 2).min(self.site.replies.len()))
            .map_err(|_| Refused::Problem)
    }

    /// Renders the pages of the replies in `range`, as the build renders them. On this
    /// thread, not rayon's: its threads may be busy with the background build for seconds.
    fn render_replies(&self, range: std::ops::Range<usize>) -> Result<Vec<OutputFile>, String> {
        let pages = render::context::Pages::for_replies(&self.site, &self.assets, range.clone());
        let reply = render::kinds::reply_kind();
        range
            .map(|i| {
                let job = reply
                    .job(&pages, &self.site, i)
                    .map_err(|d| BuildError(vec![d]).to_string())?;
                let html = self
                    .templates
                    .render(job.template, &job.context)
                    .map_err(|d| BuildError(vec![d]).to_string())?;
                Ok(OutputFile::new(job.path, html))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenji_core::build::build;

    fn fixture() -> tempfile::TempDir {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        for (from, to) in [
            ("templates", "templates"),
            ("assets", "assets"),
            ("tests/fixtures/content", "content"),
        ] {
            for entry in walkdir::WalkDir::new(repo.join(from)) {
                let entry = entry.unwrap();
                let dest = dir
                    .path()
                    .join(to)
                    .join(entry.path().strip_prefix(repo.join(from)).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&dest).unwrap();
                } else {
                    std::fs::copy(entry.path(), &dest).unwrap();
                }
            }
        }
        std::fs::copy(repo.join("wenji.toml"), dir.path().join("wenji.toml")).unwrap();
        // Two more replies after Borduria, so that its page's neighbours have neighbours.
        let replies = dir.path().join("content/replies");
        let borduria = std::fs::read_to_string(replies.join("borduria.md")).unwrap();
        for (slug, order) in [("ruritania", 3), ("syldavia", 4)] {
            let text = borduria
                .replace("slug: borduria", &format!("slug: {slug}"))
                .replace("title: 波尔杜里亚", &format!("title: {slug}"))
                .replace("order: 2", &format!("order: {order}"));
            std::fs::write(replies.join(format!("{slug}.md")), text).unwrap();
        }
        dir
    }

    /// The pages the preview renders after an edit equal, byte for byte, those of a full
    /// build of the edited site; their neighbours' too (their prev/next links changed).
    #[test]
    fn a_previewed_reply_equals_the_full_build() {
        let root = fixture();
        let opts = BuildOptions {
            root: root.path().to_path_buf(),
            output: root.path().join("site"),
            base_url: Some("http://127.0.0.1:8/".into()),
            write: true,
        };
        let mut model = Model::load(&opts).unwrap();
        let ri = model
            .reply_of(Path::new("content/replies/borduria.md"))
            .unwrap();
        assert_eq!(ri, 1);
        let file = root.path().join("content/replies/borduria.md");
        let text = std::fs::read_to_string(&file).unwrap();
        // A new paragraph, before the tagged one: the numbers and counts change.
        let edited = text.replacen("规范(a)", "预览的新段落。\n\n规范(a)", 1);
        assert_ne!(edited, text);
        std::fs::write(&file, &edited).unwrap();
        let pages = model.update_reply(ri).unwrap();
        assert_eq!(pages.len(), 3, "the reply and its two neighbours");
        build(&opts).unwrap();
        for page in &pages {
            let built = std::fs::read(opts.output.join(&page.path)).unwrap();
            assert!(
                built == page.bytes,
                "{} differs from the full build's",
                page.path
            );
        }
        let own = &pages
            .iter()
            .find(|p| p.path.contains("borduria"))
            .unwrap()
            .bytes;
        assert!(String::from_utf8_lossy(own).contains("预览的新段落"));
    }

    /// An edit the preview cannot show exactly is refused, and the model stays as it was.
    #[test]
    fn a_moved_or_broken_reply_is_left_to_the_full_build() {
        let root = fixture();
        let opts = BuildOptions {
            root: root.path().to_path_buf(),
            output: root.path().join("site"),
            base_url: None,
            write: false,
        };
        let mut model = Model::load(&opts).unwrap();
        let ri = model
            .reply_of(Path::new("content/replies/arcadia.md"))
            .unwrap();
        let file = root.path().join("content/replies/arcadia.md");
        let text = std::fs::read_to_string(&file).unwrap();
        let slug = format!("slug: {}", model.site.replies[ri].page.meta.slug.value);
        assert!(text.contains(&slug));
        let before = model.site.replies[ri].page.doc.paragraph_count();
        for (edit, moved) in [
            (text.replace(&slug, "slug: elsewhere"), true),
            (text.replace("order: 1", "order: 9"), true),
            (
                text.replace("iso3: ARM", "iso3: ZZZ") + "\n新段落。\n",
                false,
            ),
            (text.replacen("---", "--", 1), false),
            (text.replace("norm-a:", "no-such-concept:"), false),
        ] {
            std::fs::write(&file, &edit).unwrap();
            match model.update_reply(ri).unwrap_err() {
                Refused::Moved(why) => assert!(moved, "{why}"),
                Refused::Problem => assert!(!moved),
            }
            let kept = &model.site.replies[ri].page;
            assert_eq!(kept.meta.slug.value, "arcadia");
            assert_eq!(kept.doc.paragraph_count(), before);
        }
        std::fs::remove_file(&file).unwrap();
        assert!(matches!(model.update_reply(ri), Err(Refused::Moved(_))));
    }
}
