//! Tera templates from `templates/`, with errors turned into located diagnostics.
//!
//! With `site.minify`, the templates themselves are minified once, as they load (minify-html
//! leaves the `{{ }}`/`{% %}` syntax alone), instead of every rendered page: the pages come
//! out as compact as a minify pass over each of them would make them, at no cost per page.
//! The templates as written are kept too, so that an error names the line the maintainer
//! wrote, not a line of the minified copy.

use std::path::Path;

use tera::{ErrorKind, Tera};

use crate::error::Diagnostic;

pub const TEMPLATES_DIR: &str = "templates";

/// The templates every site must have: one per kind of page, plus the shared layout.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "home.html",
    "replies.html",
    "reply.html",
    "concepts.html",
    "concept.html",
    "matrix.html",
    "documents.html",
    "data.html",
    "search.html",
    "page.html",
    "404.html",
    "redirect.html",
];

/// Room a page's bytes start with: a reply page is ~30 kB.
const PAGE_CAPACITY: usize = 64 * 1024;

/// The loaded templates: those pages are rendered with, and the templates as written.
pub struct Templates {
    /// Minified when the site asks for it; otherwise the same as `source`.
    render: Tera,
    source: Option<Tera>,
}

impl Templates {
    /// Renders `template` to the page's bytes (UTF-8: Tera writes `&str`s; not checked again,
    /// which on 400 MB of pages took longer than reading their links); an error is located
    /// in the template as written.
    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        let mut page = Vec::with_capacity(PAGE_CAPACITY);
        self.render
            .render_to(template, ctx, &mut page)
            .map_err(|e| {
                // Rendering the template as written fails the same way, at the line to report.
                let e = match &self.source {
                    Some(source) => source.render(template, ctx).err().unwrap_or(e),
                    None => e,
                };
                diagnostic(&e)
            })?;
        Ok(page)
    }
}

/// Loads every `*.html` under `templates/`, autoescaping all of them, and minifies them when
/// `minify` is set.
pub fn load(root: &Path, minify: bool) -> Result<Templates, Vec<Diagnostic>> {
    let dir = root.join(TEMPLATES_DIR);
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let inside = crate::content::RootGuard::new(root);
    for entry in inside.walk(&dir, |_| true) {
        match entry {
            Ok(e)
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html") =>
            {
                let name = e
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                match std::fs::read_to_string(e.path()) {
                    Ok(text) => sources.push((name, text)),
                    Err(err) => errors.push(
                        Diagnostic::new(
                            Path::new(TEMPLATES_DIR).join(&name),
                            format!("cannot read the template: {err}"),
                        )
                        .help("save it as UTF-8 text"),
                    ),
                }
            }
            Ok(_) => {}
            Err(err) => errors.push(
                Diagnostic::new(
                    TEMPLATES_DIR,
                    format!("cannot read the templates folder: {err}"),
                )
                .help("create templates/ in the site root"),
            ),
        }
    }
    errors.extend(inside.into_errors());
    for required in REQUIRED {
        if !sources.iter().any(|(n, _)| n == required) {
            errors.push(
                Diagnostic::new(
                    Path::new(TEMPLATES_DIR).join(required),
                    "the template is missing",
                )
                .help(format!(
                    "create templates/{required}; every kind of page needs its template"
                )),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let source = tera_of(&sources)?;
    if !minify {
        return Ok(Templates {
            render: source,
            source: None,
        });
    }
    let cfg = crate::render::minify::template_cfg();
    let minified: Vec<(String, String)> = sources
        .iter()
        .map(|(n, t)| (n.clone(), crate::render::minify::minify_template(t, &cfg)))
        .collect();
    Ok(Templates {
        render: tera_of(&minified)?,
        source: Some(source),
    })
}

fn tera_of(sources: &[(String, String)]) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| vec![diagnostic(&e)])?;
    Ok(tera)
}

/// A Tera error as a diagnostic with the template's file, line and column.
pub fn diagnostic(e: &tera::Error) -> Diagnostic {
    let mut err: &dyn std::error::Error = e;
    // Find the innermost Tera error that carries a location.
    loop {
        if let Some(te) = err.downcast_ref::<tera::Error>() {
            match te.kind() {
                ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                    let span = r.span();
                    let file = Path::new(TEMPLATES_DIR).join(r.filename());
                    return Diagnostic::new(file, r.message().to_string())
                        .at_column(span.start_line, span.start_col + 1)
                        .help("fix the template; the Tera 2 syntax is documented at keats.github.io/tera");
                }
                ErrorKind::TemplateNotFound(name) => {
                    return Diagnostic::new(
                        Path::new(TEMPLATES_DIR).join(name),
                        "the template is missing",
                    )
                    .help(format!("create templates/{name}"));
                }
                ErrorKind::MissingParent { current, parent } => {
                    return Diagnostic::new(
                        Path::new(TEMPLATES_DIR).join(current),
                        format!("extends `{parent}`, which does not exist"),
                    )
                    .help(format!("create templates/{parent} or correct the name"));
                }
                _ => {}
            }
        }
        match err.source() {
            Some(s) => err = s,
            None => break,
        }
    }
    Diagnostic::new(
        TEMPLATES_DIR,
        e.to_string()
            .lines()
            .next()
            .unwrap_or("template error")
            .to_string(),
    )
    .help("fix the template")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_is_located() {
        let mut t = Tera::new();
        let e = t
            .add_raw_template("reply.html", "<p>\n{% if x %}\n{{ y \n")
            .unwrap_err();
        let d = diagnostic(&e);
        assert_eq!(d.file, Path::new("templates/reply.html"));
        assert!(d.line.unwrap() >= 2, "{d}");
    }

    #[test]
    fn rendering_error_is_located() {
        let mut t = Tera::new();
        t.add_raw_template("page.html", "a\n{{ missing.field }}\n")
            .unwrap();
        let e = t.render("page.html", &tera::Context::new()).unwrap_err();
        let d = diagnostic(&e);
        assert_eq!(d.file, Path::new("templates/page.html"));
        assert_eq!(d.line, Some(2), "{d}");
    }
}
