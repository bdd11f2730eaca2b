//! A build killed with SIGKILL at any moment leaves the previous site or the new one in
//! place, whole, never a mix, and the next build cleans up after it.
// Helpers panic on a failed setup, which fails the test as it should.
#![allow(clippy::unwrap_used)]

mod support;
use support::{TestSite, BASE};

use std::process::Command;
use std::time::Duration;

fn write_pages(site: &TestSite, version: u32) {
    for i in 0..150 {
        site.write(
            &format!("content/pages/p{i}.md"),
            &format!(
                "---\ntitle: Page {i} v{version}\n---\n{}\n",
                "Some text of the page. ".repeat(150)
            ),
        );
    }
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_whole() {
    let site = TestSite::new(BASE);
    write_pages(&site, 1);
    site.build();
    let v1 = site.snapshot();
    write_pages(&site, 2);
    site.build();
    let v2 = site.snapshot();
    assert_ne!(v1, v2);

    let mut current = 2;
    for delay_ms in [
        0u64, 1, 3, 6, 10, 15, 25, 40, 60, 90, 130, 180, 250, 350, 500, 700,
    ] {
        // Build the other version and kill the build part-way.
        let target = if current == 1 { 2 } else { 1 };
        write_pages(&site, target);
        let mut child = Command::new(env!("CARGO_BIN_EXE_showcase"))
            .args(["build", "--root"])
            .arg(site.root())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = site.snapshot();
        if now == v1 {
            current = 1;
        } else if now == v2 {
            current = 2;
        } else {
            panic!("after a kill at {delay_ms} ms the output is neither the old nor the new site ({} files)", now.len());
        }
    }
    // The next build finishes and leaves no staging folder behind.
    site.build();
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
