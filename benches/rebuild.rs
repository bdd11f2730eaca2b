//! Benchmark (not a test; it never fails on time): full and incremental rebuilds of the
//! benchmark corpus, as the preview does them.
//!
//!     cargo bench --bench rebuild                       # 10,000 projects
//!     SHOWCASE_BENCH_PROJECTS=1000 cargo bench --bench rebuild
//!     SHOWCASE_BENCH_CORPUS=/tmp/corpus cargo bench --bench rebuild   # an existing corpus
//!
//! Without SHOWCASE_BENCH_CORPUS it generates the corpus with `../shared/bench/gen_corpus.py`
//! (python3) into the target folder. It reports the median, min and max of: a full render
//! (what `build` does before writing), an incremental render after one edit of a project's
//! body told by the watcher (what `serve` does before writing the changed page), and one
//! after an edit of its title (which re-sorts every list the project is on).
// A benchmark stops at the first failed step, which is what a panic does.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use showcase::pipeline::{render_cached, Cache};
use showcase::site::BuildOptions;

fn corpus() -> PathBuf {
    if let Some(p) = std::env::var_os("SHOWCASE_BENCH_CORPUS") {
        return PathBuf::from(p);
    }
    let n: usize = std::env::var("SHOWCASE_BENCH_PROJECTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-corpus-{n}"));
    if !out.join("site.yaml").exists() {
        let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
        let ok = std::process::Command::new("python3")
            .arg(&gen)
            .args([
                "--format",
                "showcase",
                "--projects",
                &n.to_string(),
                "--force",
                "--out",
            ])
            .arg(&out)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "could not generate the corpus with {}; set SHOWCASE_BENCH_CORPUS",
            gen.display()
        );
    }
    out
}

fn stats(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let median = ms[ms.len() / 2];
    println!(
        "{name}: median {median:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        ms[0],
        ms[ms.len() - 1],
        ms.len()
    );
}

fn main() {
    let root = corpus();
    let options = BuildOptions {
        drafts: true,
        embargoed: true,
        ..BuildOptions::default()
    };
    let base = Some("http://127.0.0.1:8000");

    let mut full = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        render_cached(&root, base, &options, &mut Cache::default()).expect("the corpus builds");
        full.push(t.elapsed().as_secs_f64() * 1000.0);
    }

    let projects = root.join("content/projects");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&projects)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let rel = file.strip_prefix(&root).unwrap().to_path_buf();
    let original = std::fs::read_to_string(&file).unwrap();
    let mut cache = Cache::default();
    render_cached(&root, base, &options, &mut cache).unwrap();
    let mut incremental = Vec::new();
    let mut stages: Vec<String> = Vec::new();
    for i in 0..21 {
        std::fs::write(
            &file,
            format!("{original}\nA line added by the benchmark, run {i}.\n"),
        )
        .unwrap();
        cache.changed([rel.clone()].into_iter().collect());
        let t = Instant::now();
        let r = render_cached(&root, base, &options, &mut cache).expect("the edit builds");
        incremental.push(t.elapsed().as_secs_f64() * 1000.0);
        stages.push(format!(
            "{} pages rendered; {}",
            r.rendered,
            r.timings.summary()
        ));
    }
    // A title edit moves the project in every list it is on (the lists are sorted by
    // title): alternately to the front and to the back.
    let title_line = original
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a project has a title line")
        .to_string();
    let mut titled = Vec::new();
    let mut title_stages: Vec<String> = Vec::new();
    for i in 0..21 {
        let title = if i % 2 == 0 { "AAA first" } else { "zzz last" };
        std::fs::write(
            &file,
            original.replacen(&title_line, &format!("title: {title} {i}"), 1),
        )
        .unwrap();
        cache.changed([rel.clone()].into_iter().collect());
        let t = Instant::now();
        let r = render_cached(&root, base, &options, &mut cache).expect("the edit builds");
        titled.push(t.elapsed().as_secs_f64() * 1000.0);
        title_stages.push(format!(
            "{} pages rendered; {}",
            r.rendered,
            r.timings.summary()
        ));
    }
    std::fs::write(&file, original).unwrap();

    println!("corpus: {}", root.display());
    stats("full render", full);
    stats(
        &format!("incremental render after editing {}", rel.display()),
        incremental,
    );
    println!("last incremental run: {}", stages.last().unwrap());
    stats(
        &format!("incremental render after a title edit of {}", rel.display()),
        titled,
    );
    println!("last title run: {}", title_stages.last().unwrap());
}
