//! `showcase`: parses the command line, runs the pipeline, prints errors, sets the exit code
//! (0 success, 1 content errors, 2 usage errors).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use showcase::error::Error;
use showcase::pipeline::{self, Report};
use showcase::site::{BuildOptions, HoldBack};

mod cli;
use cli::Format;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Build {
            root,
            output,
            drafts,
            base_url,
            format,
        } => {
            let out = output.unwrap_or_else(|| root.join("public"));
            let options = BuildOptions {
                drafts,
                ..BuildOptions::default()
            };
            let _watchdog = watch_renders(format, Some(out.clone()));
            match pipeline::build(&root, &out, base_url.as_deref(), &options) {
                Ok(report) => {
                    match format {
                        Format::Human => print_warnings(&report),
                        Format::Json => print_json(&[], Some(&report), true),
                    }
                    let kept = match report.written.kept {
                        0 => String::new(),
                        n => format!(", {n} unchanged"),
                    };
                    let held = pipeline::held_back_summary(&report.held_back)
                        .map_or(String::new(), |h| format!("; {h}"));
                    eprintln!(
                        "built {} files ({} KiB{kept}) into {} in {} ms: {}{}{held}",
                        report.written.files,
                        report.written.bytes / 1024,
                        out.display(),
                        report.elapsed.as_millis(),
                        report.summary,
                        if drafts { " (drafts included)" } else { "" }
                    );
                    if format == Format::Human {
                        print_changes(report.changes.as_ref(), &out);
                    }
                    if std::env::var_os("SHOWCASE_TIMINGS").is_some() {
                        eprintln!("stages: {}", report.timings.summary());
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => fail_as(
                    format,
                    &errors,
                    "the build failed; the output folder was not changed",
                    true,
                ),
            }
        }
        cli::Command::Check {
            root,
            translations: false,
            format,
            ..
        } => {
            let _watchdog = watch_renders(format, None);
            match pipeline::check(&root, &BuildOptions::default()) {
                Ok(report) if format == Format::Json => {
                    print_json(&[], Some(&report), false);
                    eprintln!(
                        "ok: {} ({} files would be written)",
                        report.summary, report.files
                    );
                    ExitCode::SUCCESS
                }
                Ok(report) => {
                    print_check(&report);
                    ExitCode::SUCCESS
                }
                Err(errors) => fail_as(format, &errors, "the site has errors", false),
            }
        }
        cli::Command::Check { root, csv, .. } => {
            match pipeline::check_translations(&root, &BuildOptions::default()) {
                Ok((report, translations)) => {
                    print_check(&report);
                    let csv_text = translations.csv();
                    match csv.as_deref() {
                        Some(p) if p == std::path::Path::new("-") => print!("{csv_text}"),
                        Some(p) => {
                            print!("{}", translations.table());
                            if let Err(e) = std::fs::write(p, &csv_text) {
                                return fail(
                                    &[Error::new(p, format!("cannot write the CSV: {e}"))],
                                    "the report was not written",
                                );
                            }
                            eprintln!("wrote {} rows to {}", translations.rows.len(), p.display());
                        }
                        None => print!("{}", translations.table()),
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => fail(&errors, "the site has errors"),
            }
        }
        cli::Command::Serve {
            root,
            port,
            bind,
            no_drafts,
            open,
        } => serve(&root, port, bind, !no_drafts, open),
        cli::Command::New {
            kind,
            title,
            root,
            lang,
        } => {
            let today = jiff::Zoned::now().date();
            match showcase::archetype::create(&root, &kind, &title, lang.as_deref(), today) {
                Ok(path) => {
                    println!("{}", root.join(&path).display());
                    eprintln!(
                        "created {}: fill in the fields, then remove `draft: true` to publish",
                        path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&[e], "nothing was written"),
            }
        }
    }
}

/// Runs the preview until Ctrl-C.
fn serve(
    root: &std::path::Path,
    port: u16,
    bind: std::net::IpAddr,
    drafts: bool,
    open: bool,
) -> ExitCode {
    let opts = showcase::serve::preview::ServeOptions {
        root: root.to_path_buf(),
        port,
        bind,
        drafts,
        open,
    };
    let log = |line: &str| {
        let line = if let Some(rest) = line.strip_prefix("error: ") {
            format!("{} {rest}", color("1;31", "error:"))
        } else if let Some(rest) = line.strip_prefix("warning: ") {
            format!("{} {rest}", color("1;33", "warning:"))
        } else {
            line.to_string()
        };
        eprintln!("{line}");
    };
    match showcase::serve::preview::run(&opts, &log) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => fail(&errors, "nothing was served"),
    }
}

/// Ends the process on a template loop the render budget cannot stop (see
/// `showcase::render::watchdog`), with the page and template named, after removing the
/// build's staging folder for `out`: nothing was published.
fn watch_renders(
    format: Format,
    out: Option<std::path::PathBuf>,
) -> showcase::render::watchdog::Watchdog {
    showcase::render::watchdog::spawn(move |runaway| {
        let what = match &out {
            Some(out) => {
                showcase::output::discard_staging(out);
                "the build failed; the output folder was not changed"
            }
            None => "the site has errors",
        };
        fail_as(format, &[runaway.error()], what, out.is_some());
        std::process::exit(1);
    })
}

/// What `check` says about a valid site: warnings, held-back items, the summary.
fn print_check(report: &Report) {
    print_warnings(report);
    for h in &report.held_back {
        eprintln!(
            "held back: {} ({})",
            showcase::error::printable(&h.path.display().to_string()),
            h.reason
        );
    }
    eprintln!(
        "ok: {} ({} files would be written)",
        report.summary, report.files
    );
}

/// Item lines `build` prints at most; `--format json` lists every one.
const CHANGES_SHOWN: usize = 20;

/// What `build` changed for the public, after its `built` line.
fn print_changes(changes: Option<&showcase::output::review::Changes>, out: &std::path::Path) {
    let mut err = std::io::stderr().lock();
    match changes {
        Some(c) => {
            for line in c.lines(CHANGES_SHOWN) {
                let _ = writeln!(err, "{line}");
            }
        }
        None => {
            let _ = writeln!(
                err,
                "first build into {}: nothing to compare with",
                showcase::error::printable(&out.display().to_string())
            );
        }
    }
}

fn color(code: &str, text: &str) -> String {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn print_warnings(report: &Report) {
    let mut err = std::io::stderr().lock();
    for w in &report.warnings {
        let _ = writeln!(err, "{} {w}", color("1;33", "warning:"));
    }
}

/// Prints `{"errors": [...], "warnings": [...], "held_back": [...]}` on standard output, one
/// document (not JSON Lines): a script reads it whole with one parse, and a clean site is
/// visibly `"errors": []` rather than an empty stream. Warnings and held-back items come only
/// with a report: a failed run stops before they are known, as in the human format. A
/// `build` adds `"changes"`: what it changed for the public (`null` for a first build or a
/// failed one); `check` has no such key.
fn print_json(errors: &[Error], report: Option<&Report>, build: bool) {
    let warnings = report.map_or(&[][..], |r| &r.warnings[..]);
    let held_back: Vec<_> = report
        .map_or(&[][..], |r| &r.held_back[..])
        .iter()
        .map(|h| {
            let (reason, until) = match &h.reason {
                HoldBack::Draft => ("draft", None),
                HoldBack::Embargoed { until } => (
                    "embargoed",
                    until
                        .as_ref()
                        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
                ),
            };
            serde_json::json!({"path": h.path.to_string_lossy(), "reason": reason, "until": until})
        })
        .collect();
    let mut doc = serde_json::json!({
        "errors": errors.iter().map(|e| e.to_json("error")).collect::<Vec<_>>(),
        "warnings": warnings.iter().map(|w| w.to_json("warning")).collect::<Vec<_>>(),
        "held_back": held_back,
    });
    if build {
        let changes = report.and_then(|r| r.changes.as_ref());
        doc["changes"] = serde_json::to_value(changes).unwrap_or_default();
    }
    println!("{doc}");
}

/// [`fail`] in the chosen format: with `json`, the errors go to standard output as one
/// document and only the closing `failed:` line to standard error.
fn fail_as(format: Format, errors: &[Error], what: &str, build: bool) -> ExitCode {
    match format {
        Format::Human => fail(errors, what),
        Format::Json => {
            print_json(errors, None, build);
            failed_line(errors.len(), what)
        }
    }
}

fn fail(errors: &[Error], what: &str) -> ExitCode {
    {
        let mut err = std::io::stderr().lock();
        for e in errors {
            let _ = writeln!(err, "{} {e}", color("1;31", "error:"));
        }
    }
    failed_line(errors.len(), what)
}

/// The closing `failed: N errors: what` line; exit code 1.
fn failed_line(n: usize, what: &str) -> ExitCode {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{} {n} error{}: {what}",
        color("1;31", "failed:"),
        if n == 1 { "" } else { "s" }
    );
    ExitCode::from(1)
}
