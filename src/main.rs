//! The `wenji` command line: thin, it parses options and calls the pipeline.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod init;
mod serve;
use wenji_core::build::{BuildOptions, build};

/// The build allocates millions of short strings (tokens, attributes, page parts) across
/// threads; mimalloc's per-thread heaps cut glibc malloc's share of a 10,000-reply build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "wenji",
    version,
    about = "Build a cross-linked static site from a compilation of submissions (文集)"
)]
struct Cli {
    /// The site root: the folder with wenji.toml, content/, templates/ and assets/.
    #[arg(long, short, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds).
    Build(SiteArgs),
    /// Check everything `build` checks, and write nothing.
    Check(SiteArgs),
    /// Build, serve on 127.0.0.1, rebuild on change and reload open pages.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
    },
    /// Convert the text extracted from a report's PDF into content/ files, e.g.
    /// `wenji import A/75/123 zh` reads sources/A-75-123-zh.txt and its import plan
    /// sources/A-75-123-zh.import.toml (docs/import.md).
    Import {
        /// The report's document symbol, as printed (A/75/123).
        symbol: String,
        /// The language of the edition: zh or en (the languages the importer has a layout for).
        language: String,
        /// The extracted text, if not at sources/<symbol with - for />-<language>.txt.
        #[arg(long)]
        seed: Option<PathBuf>,
    },
    /// Add every URL the site now produces to the committed ledger of published URLs, with
    /// the fingerprint of each anchor's words; record an accepted change or a moved anchor.
    Ledger(LedgerArgs),
    /// Write a new site (config, theme, two example replies, a concept, an about page) into
    /// DIR, which must be new or hold only dotfiles such as .git.
    Init {
        /// The folder of the new site (default: the --root folder, i.e. the current one).
        dir: Option<PathBuf>,
    },
    /// Measure build speed and memory on synthetic corpora of N replies and the real site.
    Bench(wenji_bench::BenchArgs),
}

#[derive(clap::Args, Clone)]
struct LedgerArgs {
    /// A published anchor whose present words (or, if it is gone, whose loss) are accepted,
    /// e.g. '/states/armenia/#p3'; may be given several times. Needs --reason.
    #[arg(long, value_name = "URL#ANCHOR", conflicts_with = "move_from")]
    accept: Vec<String>,
    /// Why the change is accepted; recorded in the ledger with each --accept.
    #[arg(long, requires = "accept")]
    reason: Option<String>,
    /// A published anchor to send, by a fragment alias, to where its words are now. Needs a
    /// --to; give several pairs to move several anchors at once (e.g. after an insertion).
    #[arg(long = "move", value_name = "URL#ANCHOR", requires = "to")]
    move_from: Vec<String>,
    /// Where the words of the matching --move anchor are now: 'URL#anchor', or '#anchor' on
    /// the same page.
    #[arg(long, requires = "move_from")]
    to: Vec<String>,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// The output folder.
    #[arg(long, short, default_value = "site")]
    output: PathBuf,
    /// The URL the site is published at (overrides site.base_url in wenji.toml).
    #[arg(long)]
    base_url: Option<String>,
}

fn options(root: &std::path::Path, args: &SiteArgs, write: bool) -> BuildOptions {
    let output = if args.output.is_absolute() {
        args.output.clone()
    } else {
        root.join(&args.output)
    };
    BuildOptions {
        root: root.to_path_buf(),
        output,
        base_url: args.base_url.clone(),
        write,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    if matches!(
        cli.command,
        Command::Build(_) | Command::Check(_) | Command::Serve { .. }
    ) {
        wenji_core::build::disable_transparent_huge_pages();
    }
    match cli.command {
        Command::Build(args) => match build(&options(&root, &args, true)) {
            Ok(report) => {
                eprintln!("{}", report.summary("built"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        },
        Command::Check(args) => match build(&options(&root, &args, false)) {
            Ok(report) => {
                eprintln!("{}", report.summary("checked"));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        },
        Command::Serve { site, port } => match serve::serve(options(&root, &site, true), port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        Command::Import {
            symbol,
            language,
            seed,
        } => {
            let seed = seed.unwrap_or_else(|| wenji_import::seed_path(&symbol, &language));
            let seed = if seed.is_absolute() {
                seed
            } else {
                root.join(seed)
            };
            match wenji_import::run(&seed, &root, &symbol, &language) {
                Ok(n) => {
                    eprintln!("imported {n} files from {}", seed.display());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!("error: {e}")),
            }
        }
        Command::Ledger(args) => ledger(&root, args),
        Command::Init { dir } => match init::init(&dir.unwrap_or(root)) {
            Ok(created) => {
                eprintln!("{}", init::summary(&created));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Bench(args) => match wenji_bench::run(&root, args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
    }
}

fn ledger(root: &std::path::Path, args: LedgerArgs) -> ExitCode {
    use wenji_core::link::ledger::{Change, LEDGER_FILE, update};
    let mut changes = Vec::new();
    let reason = args.reason.unwrap_or_default();
    for url in args.accept {
        changes.push(Change::Accept {
            url,
            reason: reason.clone(),
        });
    }
    if args.move_from.len() != args.to.len() {
        eprintln!("error: give one --to for each --move");
        return ExitCode::from(2);
    }
    for (url, to) in args.move_from.into_iter().zip(args.to) {
        changes.push(Change::Move { url, to });
    }
    let mut timings = Default::default();
    let site = match wenji_core::build::load_site(root, None, &mut timings) {
        Ok(site) => site,
        Err(e) => return fail(&e.to_string()),
    };
    match update(root, &site, &changes) {
        Ok(done) => {
            eprintln!(
                "added {} URLs to {LEDGER_FILE}; recorded the words of {} more anchors",
                done.added, done.fingerprinted
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
            fail(&format!("{}\nthe ledger was not changed", text.join("\n")))
        }
    }
}

/// Prints `message` (diagnostics are already escaped; other errors, e.g. the importer's, may
/// quote a file name) with control characters shown escaped, so no error drives the terminal.
fn fail(message: &str) -> ExitCode {
    let lines: Vec<_> = message
        .split('\n')
        .map(wenji_core::error::escape_controls)
        .collect();
    eprintln!("{}", lines.join("\n"));
    ExitCode::from(1)
}
