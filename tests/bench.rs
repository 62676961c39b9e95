//! `wenji bench` runs end to end from one command: it writes a corpus, builds it beside the
//! floor and the output floor, builds the real site, and prints every table with figures it
//! measured (the same ones it saves in results.json).

mod common;

use serde_json::Value;

#[test]
fn bench_prints_the_floor_the_build_and_the_output_floor() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::wenji(
        &common::repo(),
        &[
            "bench",
            "--sizes",
            "4",
            "--runs",
            "1",
            "--real-runs",
            "1",
            "--dir",
            dir.path().to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}\n{stdout}", common::stderr(&o));

    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("results.json")).unwrap())
            .unwrap();
    let size = &results["sizes"][0];
    assert_eq!(size["replies"], 4);
    let build = &size["build"][0]["child"];
    let written = &size["output_floor"][0]["child"];
    // The output floor wrote exactly what the build wrote.
    assert!(build["files"].as_u64().unwrap() > 4, "{build}");
    assert_eq!(written["files"], build["files"]);
    assert_eq!(written["output_bytes"], build["bytes"]);
    assert!(written["write_ms"].as_f64().unwrap() > 0.0);
    assert!(size["floor"][0]["child"]["files"].as_u64().unwrap() >= 4);
    // Its copy is gone (the bench folder is often memory); the corpus stays.
    assert!(!dir.path().join("out-4-write").exists());
    assert!(dir.path().join("corpus-4/content").is_dir());

    // Every table has a row for the corpus and the real site, with the figures above.
    for header in [
        "| site | runs | input MB | floor ms",
        "| site | wall ms | load |",
        "| site | files | output MB | output floor ms",
        "| site | output MB | files | largest file | GitHub Pages",
    ] {
        let table: Vec<&str> = stdout
            .split("\n\n")
            .find(|t| t.starts_with(header))
            .unwrap_or_else(|| panic!("no table {header} in\n{stdout}"))
            .lines()
            .collect();
        assert!(
            table.iter().any(|l| l.starts_with("| 4 replies |")),
            "{table:?}"
        );
        assert!(
            table.iter().any(|l| l.starts_with("| real site |")),
            "{table:?}"
        );
    }
    // The deploy check: the median build's own figures, and a small site fits every host.
    let deploy = &build["deploy"];
    assert_eq!(deploy["files"], build["files"]);
    assert_eq!(deploy["bytes"], build["bytes"]);
    assert!(deploy["largest_file"]["bytes"].as_u64().unwrap() > 0);
    for h in deploy["hosts"].as_array().unwrap() {
        assert_eq!(h["fits"], true, "{h}");
    }
    let row = stdout
        .lines()
        .find(|l| l.starts_with("| 4 replies | ") && l.contains("| fits | fits | fits |"))
        .unwrap_or_else(|| panic!("no deploy row in\n{stdout}"));
    assert!(row.contains(&format!("| {} |", build["files"])), "{row}");
    // Where the bytes go: the kinds add up to the site.
    let kinds = build["breakdown"].as_array().unwrap();
    let sum: u64 = kinds.iter().map(|k| k["bytes"].as_u64().unwrap()).sum();
    let files: u64 = kinds.iter().map(|k| k["files"].as_u64().unwrap()).sum();
    assert_eq!(sum, build["bytes"].as_u64().unwrap());
    assert_eq!(files, build["files"].as_u64().unwrap());
    assert!(
        kinds.iter().any(|k| k["kind"] == "states/ .html"),
        "{kinds:?}"
    );
    let row = stdout
        .lines()
        .find(|l| l.starts_with("| 4 replies | ") && l.matches('|').count() == 7)
        .unwrap();
    assert!(
        row.contains(&format!("| {} |", build["files"])),
        "{row} lacks the build's file count {}",
        build["files"]
    );
}
