//! Embeds `themes/default/` into the binary, so `showcase` builds a site that has no theme
//! folder of its own and `showcase new` finds the archetypes anywhere.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a build script binary reused
    // from another checkout (a copied target/) must still embed this checkout's theme.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if root.is_dir() {
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.expect("readable theme folder");
            if entry.file_type().is_file() {
                println!("cargo:rerun-if-changed={}", entry.path().display());
                let rel = entry.path().strip_prefix(&root).expect("inside the theme");
                files.push((
                    rel.to_string_lossy().replace('\\', "/"),
                    entry.path().to_path_buf(),
                ));
            } else if entry.file_type().is_dir() {
                println!("cargo:rerun-if-changed={}", entry.path().display());
            }
        }
    }
    let mut code = String::from("/// Files of the built-in default theme: path inside the theme, bytes.\npub(crate) static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in files {
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_theme.rs");
    std::fs::write(out, code).expect("write embedded_theme.rs");
    detect_chromium();
}

/// Sets `cfg(showcase_browser)` when headless Chromium is installed: the browser tests are
/// `#[ignore]`d without it (and say why), instead of passing without running. CI runs
/// them with `--include-ignored`, so a missing browser fails there.
fn detect_chromium() {
    println!("cargo::rustc-check-cfg=cfg(showcase_browser)");
    println!("cargo:rerun-if-env-changed=CHROMIUM");
    // Installing the browser changes /usr/bin, which makes cargo run this again.
    println!("cargo:rerun-if-changed=/usr/bin");
    let found = std::env::var_os("CHROMIUM").is_some()
        || [
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ]
        .iter()
        .any(|p| Path::new(p).exists());
    if found {
        println!("cargo:rustc-cfg=showcase_browser");
    }
}
