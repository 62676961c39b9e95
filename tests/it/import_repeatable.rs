//! The committed content files are exactly what the importer makes of the committed seed and
//! its import plan: the conversion is repeatable and nobody edited a reply by hand after import.
//! To regenerate them after an importer change, run `wenji import` (docs/import.md).

use std::path::Path;

#[test]
fn committed_content_equals_importer_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = root.join("sources/A-75-123-zh.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    // The report's data (entities, title, hand corrections) is the plan beside the seed.
    let plan_path = wenji_import::plan_path(&seed);
    assert_eq!(plan_path, root.join("sources/A-75-123-zh.import.toml"));
    let plan = wenji_import::ImportPlan::load(&plan_path).unwrap_or_else(|e| panic!("{e}"));
    let files = wenji_import::import(&text, &plan).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files.len(), 21);
    let mut stale = Vec::new();
    for f in &files {
        let path = root.join(&f.rel_path);
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == wenji_import::keep_editorial(&f.contents, &committed) => {
            }
            Ok(_) => stale.push(format!(
                "{} differs from the importer's output",
                f.rel_path.display()
            )),
            Err(e) => stale.push(format!("{}: {e}", f.rel_path.display())),
        }
    }
    // No reply file that the importer does not make.
    for entry in std::fs::read_dir(root.join("content/replies")).unwrap() {
        let p = entry.unwrap().path();
        let rel = p.strip_prefix(root).unwrap();
        if !files.iter().any(|f| f.rel_path == rel) {
            stale.push(format!("{} is not made by the importer", rel.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nregenerate with: cargo run --release -- import --seed sources/A-75-123-zh.txt",
        stale.join("\n")
    );
}
