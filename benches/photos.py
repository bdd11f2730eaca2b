#!/usr/bin/env python3
"""The image stage's benchmark (issue 13): a corpus with and without N camera photos of
12 megapixels (4000 x 3000 JPEG with EXIF), built cold (empty image cache) and again with
the cache. Prints the cold time and peak memory, and the ratio of the cached build with
photos to the same site without them. Measures only; never fails on time.

    python3 benches/photos.py --showcase target/release/showcase \
        --corpus target/compare/corpus-10000-seed1/showcase-default --photos 200
"""
import argparse, io, os, re, shutil, statistics, subprocess, sys, time

def photo(seed_bytes):
    from PIL import Image
    import numpy as np
    rng = np.random.default_rng(7)
    w, h = 4000, 3000
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], axis=-1)
    noise = rng.integers(0, 40, size=(h, w, 3))
    img = Image.fromarray((base + noise).clip(0, 255).astype("uint8"), "RGB")
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"          # Make
    exif[0x013B] = "Jane Photographer"    # Artist
    exif[0x0112] = 1                      # Orientation
    img.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()

def unique(jpeg, i):
    # A comment segment after SOI: other bytes, the same picture (each photo is processed).
    text = f"photo {i}".encode()
    seg = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return jpeg[:2] + seg + jpeg[2:]

def run(showcase, root, out):
    cmd = ["/usr/bin/time", "-f", "%e %M", showcase, "build", "--root", root, "--output", out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"build failed:\n{r.stderr[-3000:]}")
    wall, rss = r.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--showcase", default="target/release/showcase")
    ap.add_argument("--corpus", default="target/compare/corpus-10000-seed1/showcase-default")
    ap.add_argument("--photos", type=int, default=200)
    ap.add_argument("--work", default="/dev/shm/showcase-photos-bench")
    ap.add_argument("-n", type=int, default=3)
    a = ap.parse_args()
    showcase = os.path.abspath(a.showcase)
    shutil.rmtree(a.work, ignore_errors=True)
    plain, photos = os.path.join(a.work, "plain"), os.path.join(a.work, "photos")
    shutil.copytree(a.corpus, plain, ignore=shutil.ignore_patterns(".showcase-cache", "public"))
    shutil.copytree(plain, photos)
    jpeg = photo(b"")
    bundles = sorted(d for d in os.listdir(os.path.join(photos, "content/projects"))
                     if os.path.isdir(os.path.join(photos, "content/projects", d)))[: a.photos]
    if len(bundles) < a.photos:
        sys.exit(f"the corpus has {len(bundles)} bundles, fewer than {a.photos}")
    for i, b in enumerate(bundles):
        d = os.path.join(photos, "content/projects", b)
        with open(os.path.join(d, "photo.jpg"), "wb") as f:
            f.write(unique(jpeg, i))
        with open(os.path.join(d, "index.md"), "a") as f:
            f.write("\n\n![The prototype in the field](photo.jpg)\n")
    mb = len(jpeg) / 1e6
    print(f"{a.photos} photos of 4000 x 3000 ({mb:.1f} MB each) in {a.corpus}")
    # Fill each site's cache (the corpus's own logos), then measure.
    run(showcase, plain, os.path.join(a.work, "out-plain"))
    shutil.rmtree(os.path.join(photos, ".showcase-cache"), ignore_errors=True)
    cold, cold_rss = run(showcase, photos, os.path.join(a.work, "out-photos"))
    plain_runs, photo_runs = [], []
    for _ in range(a.n):
        plain_runs.append(run(showcase, plain, os.path.join(a.work, "out-plain")))
        photo_runs.append(run(showcase, photos, os.path.join(a.work, "out-photos")))
    p = statistics.median(w for w, _ in plain_runs)
    q = statistics.median(w for w, _ in photo_runs)
    prss = statistics.median(r for _, r in plain_runs)
    qrss = statistics.median(r for _, r in photo_runs)
    print(f"cold build with photos: {cold:.2f} s wall, {cold_rss:.0f} MiB peak "
          f"({cold / p:.1f}x the site without photos, {cold_rss / prss:.2f}x its memory)")
    print(f"cached build with photos / without: wall {q / p:.3f} ({q:.2f} s / {p:.2f} s), "
          f"memory {qrss / prss:.2f}")

if __name__ == "__main__":
    main()
