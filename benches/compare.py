#!/usr/bin/env python3
"""showcase against Hugo on the same generated site: full builds and dev-server latency.

    python3 benches/compare.py                          # 1,000, 10,000 and 30,000 projects, 5 runs
    python3 benches/compare.py --sizes 200,1000 -n 2    # a quick check of the script itself
    python3 benches/compare.py --latency --markdown     # also the dev servers; tables for the README

For every size it generates the corpus with ../shared/bench/gen_corpus.py (the same
seed and size in the showcase and the Hugo format; cached under --work, made again only
when absent or when the generator changed), then builds it n times with each tool,
taking the tools in turn (showcase, Hugo, showcase with the other theme; the order of
the two showcase builds swaps every round), after --warmup unmeasured rounds. Every
build is a fresh process writing into a new, empty output folder, deleted (and synced)
after it is counted. Wall time is taken around the process, CPU time (user+sys) and
peak RSS come from `/usr/bin/time -v`. Two showcase figures:

  default        the corpus with showcase's own built-in default theme, as users build
                 it (its pages show more than Hugo's bench templates: filters, table of
                 contents, related demo days and news, language links; that is the
                 real work)
  like-for-like  benches/theme-like-for-like/, the shared bench theme adapted to the
                 real template context: the pages, fields and lists of the Hugo side

It prints, per size, the medians of wall, CPU and peak RSS, the HTML pages written
(`*.html` files), and the showcase/Hugo ratios of wall, CPU and memory, each the median
of the ratios taken pair by pair (a showcase run and the Hugo run of its round); then
the growth of wall time from one size to the next (30k/10k for the default sizes).
The raw runs are saved as JSON under --work. Fairness rules: ../shared/bench/README.md.

--latency also measures the dev servers with ../shared/bench/rebuild_latency.py on the
same corpus: one project profile (the same file and page for every tool) edited
--edits times (default 20), save to updated page served, p50 and p95; default watch
settings of both tools (`showcase serve`; `hugo server`, which renders to memory).

Python 3.11, standard library only. Needs `/usr/bin/time` (Debian: apt-get install -y
time) and Hugo (apt-get install hugo, or --hugo PATH).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
THEME = REPO / "benches" / "theme-like-for-like"
THEME_NAME = "like-for-like"
TIME = "/usr/bin/time"
# Hugo's config (gen_corpus.py) sets params.description; the showcase site.yaml it writes
# has none. The same text, so that both sides print the same meta description.
DESCRIPTION = "Projects, cohorts and demo days of the Defense Tech IT Park"
VARIANTS = ("default", "like-for-like")
LABEL = {"default": "showcase (default theme)", "like-for-like": "showcase (like-for-like)"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def die(msg: str) -> None:
    print(f"compare.py: {msg}", file=sys.stderr)
    sys.exit(2)


# ------------------------------------------------------------------ tools


def find_showcase(arg: str | None) -> Path:
    if arg:
        p = Path(arg).resolve()
        if not os.access(p, os.X_OK):
            die(f"--showcase {arg}: not an executable file")
        return p
    if not shutil.which("cargo"):
        die("cargo not found: install the Rust toolchain, or pass --showcase PATH")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = Path.cwd() / target
    log(f"building {target / 'release/showcase'} (cargo build --release) ...")
    r = subprocess.run(["cargo", "build", "--release", "--bin", "showcase"], cwd=REPO,
                       env={**os.environ, "CARGO_TARGET_DIR": str(target)})
    if r.returncode != 0:
        die("cargo build --release failed (or pass --showcase PATH)")
    return target / "release" / "showcase"


def find_hugo(arg: str) -> tuple[Path, str]:
    path = shutil.which(arg)
    if not path:
        die(f"Hugo not found ({arg!r}): install it with `apt-get install hugo` "
            "(Debian; the README's figures are Hugo 0.111.3), or pass --hugo PATH")
    out = subprocess.run([path, "version"], capture_output=True, text=True).stdout
    m = re.search(r"v(\d+\.\d+\.\d+)", out)
    return Path(path), f"Hugo {m.group(1) if m else '?'}"


def check_time() -> None:
    if not os.access(TIME, os.X_OK):
        die(f"{TIME} not found: peak memory is read from GNU time's `-v` report. "
            "Install it with `apt-get install -y time` (Debian/Ubuntu) and run again.")


def git_rev() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=REPO, capture_output=True, text=True).stdout.strip()
        return rev + ("-dirty" if dirty else "") if rev else "?"
    except OSError:
        return "?"


# ------------------------------------------------------------------ corpora


def generator_hash(bench: Path) -> str:
    """What the cached corpora were made from: the generator and its templates."""
    h = hashlib.sha256()
    files = [bench / "gen_corpus.py"] + sorted((bench / "templates").rglob("*"))
    for f in files:
        if f.is_file():
            h.update(f.relative_to(bench).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def link_tree(src: Path, dst: Path) -> None:
    """A copy of src made of hard links (no extra disk, one page cache): showcase refuses
    symbolic links, not hard links. Falls back to copying."""
    def link(s, d):
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)
    shutil.copytree(src, dst, copy_function=link)


def write_new(path: Path, text: str) -> None:
    """Writes a new file in place of path (never through a hard link shared with another tree)."""
    path.unlink(missing_ok=True)
    path.write_text(text)


def site_yaml(text: str, theme: str) -> str:
    text = re.sub(r"(?m)^theme: .*$", f"theme: {theme}", text)
    if not re.search(r"(?m)^description:", text):
        text += f"description: {json.dumps(DESCRIPTION)}\n"
    return text


def corpora(work: Path, bench: Path, n: int, seed: int) -> dict[str, Path]:
    """The three site roots of one size and seed, generated when absent or stale:
    showcase with its default theme, showcase with the like-for-like theme, Hugo."""
    base = work / f"corpus-{n}-seed{seed}"
    roots = {"default": base / "showcase-default", "like-for-like": base / "showcase-like-for-like",
             "hugo": base / "hugo"}
    stamp = base / "READY"
    want = generator_hash(bench)
    have = stamp.read_text().strip() if stamp.exists() else None
    if have != want:
        why = "absent" if have is None else "made by another version of gen_corpus.py"
        log(f"corpus {n} projects, seed {seed}: {why}; generating into {base} ...")
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
        gen = bench / "gen_corpus.py"
        for fmt, out in (("showcase", roots["like-for-like"]), ("hugo", roots["hugo"])):
            r = subprocess.run([sys.executable, str(gen), "--format", fmt, "--projects", str(n),
                                "--seed", str(seed), "--out", str(out)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                die(f"gen_corpus.py --format {fmt} failed:\n{r.stderr}")
            log("  " + r.stderr.strip())
        lfl = roots["like-for-like"]
        # gen_corpus.py puts the shared bench theme in themes/default; that theme assumes a
        # context; ours is adapted to the real one (copied in fresh on every run, below).
        shutil.rmtree(lfl / "themes" / "default")
        write_new(lfl / "site.yaml", site_yaml((lfl / "site.yaml").read_text(), THEME_NAME))
        # The default variant: no themes/ folder (the built-in default theme, as users get
        # it) and no bench stylesheet over the theme's own.
        link_tree(lfl, roots["default"])
        d = roots["default"]
        shutil.rmtree(d / "themes")
        (d / "static" / "style.css").unlink()
        write_new(d / "site.yaml", site_yaml((d / "site.yaml").read_text(), "default"))
        stamp.write_text(want + "\n")
    # Hugo's bench templates list every project of a list on one page: so does the
    # like-for-like site (the default theme's lists show 48 a page, as users get them).
    lfl_yaml = roots["like-for-like"] / "site.yaml"
    text = lfl_yaml.read_text()
    if not re.search(r"(?m)^projects_per_page:", text):
        write_new(lfl_yaml, text + "projects_per_page: 1000000000\n")
    theme_dir = roots["like-for-like"] / "themes" / THEME_NAME
    if theme_dir.exists():
        shutil.rmtree(theme_dir)
    shutil.copytree(THEME, theme_dir)
    return roots


# ------------------------------------------------------------------ one build


def html_pages(out: Path) -> list[str]:
    pages = []
    for d, _, files in os.walk(out):
        pages.extend(os.path.relpath(os.path.join(d, f), out) for f in files if f.endswith(".html"))
    return sorted(pages)


def parse_time_v(text: str) -> tuple[float, float]:
    """CPU seconds (user+sys) and peak RSS in MiB from GNU time's -v report."""
    def field(name: str) -> str:
        m = re.search(rf"^\s*{re.escape(name)}: (.+)$", text, re.M)
        if not m:
            raise ValueError(f"no {name!r} in the report of {TIME} -v:\n{text}")
        return m.group(1)

    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return cpu, int(field("Maximum resident set size (kbytes)")) / 1024


OUT_ROOT: Path | None = None


def build(tool: str, cmd_of, root: Path, work: Path, tag: str) -> dict:
    """One cold build of root into a new folder; returns wall, cpu, rss, pages."""
    outs = OUT_ROOT or work / "out"
    outs.mkdir(parents=True, exist_ok=True)
    out = outs / f"{tag}-{os.getpid()}-{time.time_ns()}"
    tfile = outs / f"{tag}.time"
    logf = work / "logs" / f"{tag}.log"
    logf.parent.mkdir(parents=True, exist_ok=True)
    cmd = cmd_of(root, out)
    with logf.open("wb") as lg:
        t0 = time.monotonic()
        r = subprocess.run([TIME, "-v", "-o", str(tfile), *cmd], stdin=subprocess.DEVNULL,
                           stdout=lg, stderr=subprocess.STDOUT)
        wall = time.monotonic() - t0
    if r.returncode != 0:
        tail = logf.read_text(errors="replace")[-3000:]
        die(f"{tool} failed (exit {r.returncode}): {' '.join(cmd)}\n{tail}\n(log: {logf})")
    cpu, rss = parse_time_v(tfile.read_text())
    pages = html_pages(out)
    shutil.rmtree(out)
    tfile.unlink()
    os.sync()
    return {"wall": wall, "cpu": cpu, "rss": rss, "pages": len(pages), "paths": pages}


# ------------------------------------------------------------------ latency


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    s = sorted(xs)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def latency(name: str, server_cmd: list[str], file: Path, url: str, edits: int, bench: Path,
            server_log: Path) -> dict:
    log(f"  {name}: {edits} edits of {file} ...")
    server_log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(bench / "rebuild_latency.py"), "--file", str(file), "--url", url,
           "--runs", str(edits), "--log", str(server_log), "--", *server_cmd]
    r = subprocess.run(cmd, capture_output=True, text=True)
    served = [float(x) for x in re.findall(r"served after (\d+) ms", r.stdout)]
    busy = [float(x) for x in re.findall(r"server busy for (\d+) ms", r.stdout)]
    ready = re.search(r"ready after ([\d.]+) s", r.stdout)
    if r.returncode != 0 or len(served) != edits:
        die(f"rebuild_latency.py failed for {name}:\n{r.stdout}\n{r.stderr}")
    return {"served_ms": served, "busy_ms": busy, "ready_s": float(ready.group(1)) if ready else None,
            "p50": statistics.median(served), "p95": percentile(served, 95),
            "min": min(served), "max": max(served)}


# ------------------------------------------------------------------ report


def fmt_s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def fmt_mib(x: float) -> str:
    return f"{x:,.0f} MiB"


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def pair_ratio(a: list[dict], b: list[dict], key: str) -> float:
    return statistics.median(x[key] / y[key] for x, y in zip(a, b))


def page_notes(counts: dict[str, int], paths: dict[str, list[str]], hugo: str) -> list[str]:
    notes = []
    for v in VARIANTS:
        if counts[v] == counts["hugo"]:
            continue
        only_s = sorted(set(paths[v]) - set(paths["hugo"]))
        only_h = sorted(set(paths["hugo"]) - set(paths[v]))
        strong = "DISAGREE" if v == "like-for-like" else "differ"
        notes.append(f"HTML pages {strong}: {LABEL[v]} {counts[v]:,}, {hugo} {counts['hugo']:,}")
        for who, xs in (("only showcase", only_s), ("only Hugo", only_h)):
            if xs:
                notes.append(f"  {who} ({len(xs)}): {', '.join(xs[:8])}{' ...' if len(xs) > 8 else ''}")
        if only_s and all(p.startswith("areas/") for p in only_s) and not only_h:
            notes.append("  (showcase writes a page for every area of site.yaml, Hugo only for "
                         "areas that have projects: expected on a tiny corpus)")
    return notes


def print_size(res: dict, hugo: str) -> None:
    n, runs = res["projects"], res["runs"]
    k = len(runs["hugo"])
    print(f"\n{n:,} projects (seed {res['seed']}), {'medians of ' if k > 1 else ''}{k} run{'s' if k > 1 else ''} each")
    print(f"  {'':28} {'wall':>9} {'CPU':>9} {'peak RSS':>10} {'HTML pages':>11}"
          f" {'wall/Hugo':>10} {'CPU/Hugo':>9} {'mem/Hugo':>9}")
    for k in (*VARIANTS, "hugo"):
        rs = runs[k]
        row = (f"  {LABEL.get(k, hugo):28} {fmt_s(med(rs, 'wall')):>9} {fmt_s(med(rs, 'cpu')):>9}"
               f" {fmt_mib(med(rs, 'rss')):>10} {res['pages'][k]:>11,}")
        if k != "hugo":
            row += "".join(f" {pair_ratio(rs, runs['hugo'], x):>{w}.2f}"
                           for x, w in (("wall", 10), ("cpu", 9), ("rss", 9)))
        print(row)
    for line in res["notes"]:
        print("  " + line)


def short(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}"


def print_growth(results: list[dict], hugo: str) -> None:
    if len(results) < 2:
        return
    print("\nGrowth of the median wall time from one size to the next (linear = the size ratio):")
    for a, b in zip(results, results[1:]):
        parts = [f"{LABEL.get(k, hugo)} {med(b['runs'][k], 'wall') / med(a['runs'][k], 'wall'):.2f}"
                 for k in (*VARIANTS, "hugo")]
        print(f"  {short(b['projects'])}/{short(a['projects'])} "
              f"(size x{b['projects'] / a['projects']:.1f}): " + ", ".join(parts))


def print_latency(results: list[dict]) -> None:
    rows = [(r["projects"], k, v) for r in results for k, v in r.get("latency", {}).items()]
    if not rows:
        return
    print("\nDev server, one edit of a project profile: save to updated page served")
    print(f"  {'projects':>9} {'server':32} {'p50':>8} {'p95':>8} {'min':>8} {'max':>8} {'edits':>6}")
    for n, k, v in rows:
        print(f"  {n:>9,} {k:32} {v['p50']:>5.0f} ms {v['p95']:>5.0f} ms {v['min']:>5.0f} ms"
              f" {v['max']:>5.0f} ms {len(v['served_ms']):>6}")


def print_markdown(results: list[dict], meta: dict) -> None:
    hugo = meta["hugo"]
    print("\n<!-- python3 benches/compare.py --markdown refreshes these tables -->")
    print("| projects | build | wall (median) | CPU (user+sys) | peak RSS | HTML pages "
          "| wall ÷ Hugo | memory ÷ Hugo |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for res in results:
        runs = res["runs"]
        for k in (*VARIANTS, "hugo"):
            rs = runs[k]
            wr = f"**{pair_ratio(rs, runs['hugo'], 'wall'):.2f}**" if k != "hugo" else "—"
            mr = f"{pair_ratio(rs, runs['hugo'], 'rss'):.2f}" if k != "hugo" else "—"
            print(f"| {res['projects']:,} | {LABEL.get(k, hugo)} | {fmt_s(med(rs, 'wall'))} "
                  f"| {fmt_s(med(rs, 'cpu'))} | {fmt_mib(med(rs, 'rss'))} | {res['pages'][k]:,} "
                  f"| {wr} | {mr} |")
    lat = [(r["projects"], k, v) for r in results for k, v in r.get("latency", {}).items()]
    if lat:
        print("\n| projects | server | p50 | p95 | min | max | edits |")
        print("|---:|---|---:|---:|---:|---:|---:|")
        for n, k, v in lat:
            print(f"| {n:,} | `{k}` | {v['p50']:,.0f} ms | {v['p95']:,.0f} ms | {v['min']:,.0f} ms "
                  f"| {v['max']:,.0f} ms | {len(v['served_ms'])} |")
    print(f"\n{meta['runs']} run{'s' if meta['runs'] > 1 else ''} per build and size (medians; ratios pair by pair), tools in turn, "
          f"a new output folder per run; seed {meta['seed']}; showcase {meta['rev']}, {hugo}; "
          f"{meta['cpus']} cores; {meta['date']}"
          f"{'; kernel caches dropped before each size' if meta['drop_caches'] else ''}.")


# ------------------------------------------------------------------ main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,30000", help="projects per corpus, comma-separated "
                    "(default 1000,10000,30000)")
    ap.add_argument("-n", type=int, default=5, help="measured runs per build and size (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    ap.add_argument("--showcase", help="the showcase binary (default: cargo build --release, "
                    "then target/release/showcase)")
    ap.add_argument("--hugo", default="hugo", help="the Hugo binary (default: hugo on PATH)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--work", type=Path, default=REPO / "target" / "compare",
                    help="corpora, logs and raw results (default target/compare/)")
    ap.add_argument("--out", type=Path, default=None,
                    help="where the builds write (default WORK/out); e.g. /dev/shm keeps the "
                         "disk's own cost of creating and deleting 100,000 files out of "
                         "the figures")
    ap.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench",
                    help="the shared bench folder (default ../shared/bench)")
    ap.add_argument("--latency", action="store_true", help="also measure showcase serve and hugo "
                    "server: save of one profile to updated page served")
    ap.add_argument("--edits", type=int, default=20, help="edits per server with --latency (default 20)")
    ap.add_argument("--markdown", action="store_true", help="also print Markdown tables for the README")
    ap.add_argument("--drop-caches", action="store_true", help="sync and drop the kernel caches "
                    "before each size (root; the fairness rules start every sitting so)")
    a = ap.parse_args()
    try:
        sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
    except ValueError:
        ap.error("--sizes takes whole numbers separated by commas, e.g. 1000,10000,30000")
    if not sizes or min(sizes) < 1 or a.n < 1 or a.warmup < 0 or a.edits < 1:
        ap.error("--sizes, -n and --edits must be at least 1, --warmup at least 0")
    if sys.version_info < (3, 11):
        die("Python 3.11 or newer is needed (gen_corpus.py is written for it)")
    bench = a.bench.resolve()
    if not (bench / "gen_corpus.py").is_file():
        die(f"no gen_corpus.py in {bench} (pass --bench DIR)")
    check_time()
    hugo_bin, hugo = find_hugo(a.hugo)
    showcase = find_showcase(a.showcase)
    work = a.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    global OUT_ROOT
    if a.out:
        OUT_ROOT = a.out.resolve() / "showcase-compare"
        if OUT_ROOT.exists():
            shutil.rmtree(OUT_ROOT)
    if (work / "out").exists():  # left by an interrupted run of this script
        shutil.rmtree(work / "out")
    load = os.getloadavg()[0]
    meta = {"date": dt.date.today().isoformat(), "rev": git_rev(), "hugo": hugo, "seed": a.seed,
            "runs": a.n, "warmup": a.warmup, "cpus": os.cpu_count(), "drop_caches": a.drop_caches,
            "showcase": str(showcase), "hugo_bin": str(hugo_bin), "load_at_start": load}
    log(f"showcase {meta['rev']} ({showcase}), {hugo} ({hugo_bin}); {os.cpu_count()} cores, "
        f"load average {load:.2f}{'  <- not a quiet machine' if load > 0.5 else ''}")
    if not a.drop_caches:
        log("kernel caches not dropped (--drop-caches, as root, starts from a clean cache)")

    cmds = {
        "default": lambda root, out: [str(showcase), "build", "--root", str(root), "-o", str(out)],
        "like-for-like": lambda root, out: [str(showcase), "build", "--root", str(root), "-o", str(out)],
        "hugo": lambda root, out: [str(hugo_bin), "--quiet", "-s", str(root), "-d", str(out)],
    }
    results = []
    for n in sizes:
        roots = corpora(work, bench, n, a.seed)
        if a.drop_caches:
            os.sync()
            try:
                Path("/proc/sys/vm/drop_caches").write_text("3\n")
            except OSError as e:
                die(f"--drop-caches: {e} (run as root, or leave it out)")
        runs: dict[str, list[dict]] = {k: [] for k in cmds}
        pages: dict[str, set[int]] = {k: set() for k in cmds}
        paths: dict[str, list[str]] = {}
        for rnd in range(a.warmup + a.n):
            measured = rnd >= a.warmup
            # Hugo between the two showcase builds; their order swaps every round.
            order = ["default", "hugo", "like-for-like"] if rnd % 2 == 0 else ["like-for-like", "hugo", "default"]
            for k in order:
                r = build(k, cmds[k], roots[k], work, f"{k}-{n}")
                paths.setdefault(k, r.pop("paths"))  # the pages of the first run
                pages[k].add(r["pages"])
                what = f"run {rnd - a.warmup + 1}/{a.n}" if measured else f"warm-up {rnd + 1}"
                log(f"{n:,} projects, {what}: {LABEL.get(k, hugo):26} wall {fmt_s(r['wall']):>9}, "
                    f"CPU {fmt_s(r['cpu']):>9}, peak {fmt_mib(r['rss']):>9}, {r['pages']:,} pages")
                if measured:
                    runs[k].append(r)
        notes = [f"the number of HTML pages of {LABEL.get(k, hugo)} changed between runs: {sorted(v)}"
                 for k, v in pages.items() if len(v) > 1]
        counts = {k: runs[k][-1]["pages"] for k in cmds}
        notes += page_notes(counts, paths, hugo)
        if counts["like-for-like"] == counts["hugo"]:
            notes.append(f"like-for-like: both write the same {counts['hugo']:,} HTML pages")
        res = {"projects": n, "seed": a.seed, "runs": runs, "pages": counts, "notes": notes}
        if a.latency:
            md = sorted((roots["default"] / "content" / "projects").glob("*.md"))
            slug = md[len(md) // 2].stem  # a plain .md profile, as benches/rebuild.rs edits
            log(f"{n:,} projects: dev-server latency, editing the profile {slug}")
            lat = {}
            for k in ("default", "hugo", "like-for-like"):
                port = free_port()
                if k == "hugo":
                    name, cmd = "hugo server", [str(hugo_bin), "server", "-s", str(roots[k]),
                                                "--bind", "127.0.0.1", "--port", str(port)]
                else:
                    name, cmd = f"showcase serve ({k})", [str(showcase), "serve", "--root",
                                                          str(roots[k]), "--port", str(port)]
                lat[name] = latency(name, cmd, roots[k] / "content" / "projects" / f"{slug}.md",
                                    f"http://127.0.0.1:{port}/projects/{slug}/", a.edits, bench,
                                    work / "logs" / f"latency-{n}-{k}.log")
            order = ["showcase serve (default)", "showcase serve (like-for-like)", "hugo server"]
            res["latency"] = {name: lat[name] for name in order}
        results.append(res)
        print_size(res, hugo)
        sys.stdout.flush()

    print_growth(results, hugo)
    print_latency(results)
    print("\nNot the same work, whatever the theme: showcase also writes search-index.json and "
          "scans every output file for internal: values (its leak guard), both always on; its "
          "corpus has bundles whose logo.png files it copies (Hugo's corpus has none). Items with "
          "equal dates may be listed in another order by the two tools.")
    if a.markdown:
        print_markdown(results, meta)
    raw = work / f"results-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    raw.write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    print(f"\nraw runs: {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
