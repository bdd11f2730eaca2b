#!/usr/bin/env python3
"""Procedural "photographs" for the showcase sample site (Defense Tech IT Park, Almaty).

Nothing here was shot with a camera: every image is rendered from code.

  * 2-D scenes (steppe at dusk, demo-day stage, star field) are painted with numpy:
    layered gradients, fractal noise, aerial-perspective haze, depth-of-field blur.
  * 3-D objects (workbench, rover, satellite dish, thermal scene) are ray-traced with
    POV-Ray 3.7 (`apt-get install povray`): area lights for soft shadows, focal blur,
    radiosity.
  * Everything then goes through one "camera" pipeline: bloom, slight chromatic
    aberration, vignette, filmic tone curve, sensor grain, baseline JPEG with no
    EXIF/ICC/comment metadata.

Requirements: Python 3, numpy, Pillow, povray (on PATH).

Usage:
    python3 make.py            # build everything
    python3 make.py rover dish # build only the named scenes
Output goes next to this script; temporary POV-Ray files go to a temp dir.

Environment:
    SP_TMP=/some/dir  keep POV-Ray sources/renders there; an unchanged scene is not re-rendered
    SP_DRAFT=3        render POV-Ray scenes at 1/3 size (fast previews; output is upscaled)

A full build takes roughly 45-60 minutes on 2 CPU cores (the rover and the bench, with
focal blur, take the longest). Random seeds are fixed, so rebuilding gives the same images.
"""
import io
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFont

OUT = os.path.dirname(os.path.abspath(__file__))
TMP = os.environ.get("SP_TMP") or tempfile.mkdtemp(prefix="sample-photos-")
os.makedirs(TMP, exist_ok=True)
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF"]
MAX_JPEG = 250_000   # bytes (so it is under 250 KB by either definition)
MAX_PNG = 300_000


# ----------------------------------------------------------------------------------
# small numeric toolkit
# ----------------------------------------------------------------------------------
def font(name, size):
    for d in FONT_DIRS:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return ImageFont.truetype(p, size)
    return ImageFont.load_default(size)


def _box1d(a, r, axis):
    """Box blur of radius r along axis (edge-clamped), via cumulative sums."""
    if r < 1:
        return a
    n = a.shape[axis]
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r + 1, r)
    p = np.pad(a, pad, mode="edge")
    c = np.cumsum(p, axis=axis, dtype=np.float64)
    hi = np.take(c, np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis)
    lo = np.take(c, np.arange(0, n), axis=axis)
    return ((hi - lo) / (2 * r + 1)).astype(np.float32)


def blur(a, sigma):
    """Gaussian-like blur (3 passes of box blur) of a 2-D or HxWxC float array."""
    if sigma <= 0.3:
        return a.astype(np.float32)
    r = max(1, int(round(np.sqrt(12 * sigma * sigma / 3 + 1) / 2)))
    out = a.astype(np.float32)
    for _ in range(3):
        out = _box1d(out, r, 0)
        out = _box1d(out, r, 1)
    return out


def blur_big(a, sigma):
    """Cheap large blur: downsample, blur, upsample."""
    if sigma < 12:
        return blur(a, sigma)
    f = int(sigma // 6)
    h, w = a.shape[:2]
    small = resize(a, (max(2, w // f), max(2, h // f)))
    small = blur(small, sigma / f)
    return resize(small, (w, h))


def resize(a, size, resample=Image.BILINEAR):
    """Resize a float array (2-D or HxWxC) to size=(w, h)."""
    a = np.asarray(a, np.float32)
    if a.ndim == 2:
        return np.asarray(Image.fromarray(a, "F").resize(size, resample), np.float32)
    return np.dstack([resize(a[..., i], size, resample) for i in range(a.shape[2])])


def value_noise(h, w, cell, rng, aspect=1.0):
    """Smooth random field: random grid with cells of `cell` px, bicubic upsampled."""
    cy, cx = cell, cell * aspect
    gh, gw = int(h / cy) + 4, int(w / cx) + 4
    g = rng.random((gh, gw)).astype(np.float32)
    up = resize(g, (int(gw * cx), int(gh * cy)), Image.BICUBIC)
    oy = rng.integers(0, max(1, int(cy)))
    ox = rng.integers(0, max(1, int(cx)))
    return up[oy:oy + h, ox:ox + w]


def fbm(h, w, cell, rng, octaves=5, gain=0.5, aspect=1.0):
    total, amp, norm = np.zeros((h, w), np.float32), 1.0, 0.0
    c = cell
    for _ in range(octaves):
        if c < 1.5:
            break
        total += amp * value_noise(h, w, c, rng, aspect)
        norm += amp
        amp *= gain
        c /= 2
    return total / norm


def tile_fbm(size, cells, rng, octaves=5, gain=0.5):
    """Seamlessly tileable fractal noise of shape (size, size); `cells` grid cells per tile."""
    total, amp, norm, k = np.zeros((size, size), np.float32), 1.0, 0.0, int(cells)
    for _ in range(octaves):
        if k > size // 2:
            break
        g = rng.random((k, k)).astype(np.float32)
        big = resize(np.tile(g, (3, 3)), (3 * size, 3 * size), Image.BICUBIC)
        total += amp * big[size:2 * size, size:2 * size]
        norm += amp
        amp *= gain
        k *= 2
    return total / norm


def noise1d(n, cell, rng, octaves=6, gain=0.5, ridged=False):
    x = np.arange(n, dtype=np.float32)
    total, amp, norm, c = np.zeros(n, np.float32), 1.0, 0.0, float(cell)
    for _ in range(octaves):
        k = int(n / c) + 3
        pts = rng.random(k).astype(np.float32)
        t = x / c
        i = t.astype(int)
        f = t - i
        f = f * f * (3 - 2 * f)
        v = pts[i] * (1 - f) + pts[i + 1] * f
        if ridged:
            v = 1 - np.abs(v * 2 - 1)
        total += amp * v
        norm += amp
        amp *= gain
        c /= 2
        if c < 1:
            break
    return total / norm


def sample(tex, u, v):
    """Bilinear lookup of 2-D texture at float pixel coords (wrapping)."""
    th, tw = tex.shape[:2]
    u = np.mod(u, tw)
    v = np.mod(v, th)
    x0 = np.floor(u).astype(int)
    y0 = np.floor(v).astype(int)
    fx, fy = u - x0, v - y0
    if tex.ndim == 3:
        fx, fy = fx[..., None], fy[..., None]
    x1, y1 = (x0 + 1) % tw, (y0 + 1) % th
    return ((tex[y0, x0] * (1 - fx) + tex[y0, x1] * fx) * (1 - fy)
            + (tex[y1, x0] * (1 - fx) + tex[y1, x1] * fx) * fy)


def smoothstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0, 1)
    return t * t * (3 - 2 * t)


def lerp(a, b, t):
    t = np.asarray(t, np.float32)
    if t.ndim == 2 and np.ndim(a) >= 1 and np.shape(a)[-1:] == (3,):
        t = t[..., None]
    return a + (b - a) * t


def col(*rgb):
    """sRGB 0-255 triple -> linear float."""
    c = np.array(rgb, np.float32) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def mask_draw(w, h, ss, fn):
    """Anti-aliased coverage mask: fn(draw, s) draws at ss-times supersampling (s=ss)."""
    im = Image.new("L", (w * ss, h * ss), 0)
    fn(ImageDraw.Draw(im), ss)
    im = im.resize((w, h), Image.LANCZOS)
    return np.asarray(im, np.float32) / 255.0


def over(base, color, alpha):
    """Composite colour/array `color` over `base` with coverage alpha (HxW)."""
    a = np.clip(alpha, 0, 1)[..., None]
    return base * (1 - a) + np.asarray(color, np.float32) * a


def linear_to_srgb(x):
    x = np.clip(x, 0, 1)
    return np.where(x <= 0.0031308, x * 12.92, 1.055 * np.power(x, 1 / 2.4) - 0.055)


def srgb_to_linear(x):
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4).astype(np.float32)


# ----------------------------------------------------------------------------------
# camera pipeline
# ----------------------------------------------------------------------------------
def filmic(x, exposure=1.0):
    """Hable/Uncharted-2 style filmic curve, white point 6."""
    def f(v):
        A, B, C, D, E, F = 0.22, 0.30, 0.10, 0.20, 0.01, 0.30
        return ((v * (A * v + C * B) + D * E) / (v * (A * v + B) + D * F)) - E / F
    x = np.maximum(x * exposure * 2.0, 0)
    return np.clip(f(x) / f(6.0), 0, 1)


def develop(lin, seed=1, exposure=1.0, bloom=0.06, bloom_sigma=None, vignette=0.35,
            aberration=0.6, grain=0.022, grain_size=0.7, chroma_grain=0.35,
            saturation=1.0, tone="filmic", lift=0.0):
    """Linear HDR RGB float -> 8-bit sRGB PIL image, with lens + sensor artefacts."""
    rng = np.random.default_rng(seed + 999)
    h, w = lin.shape[:2]
    img = np.maximum(lin.astype(np.float32), 0)
    # bloom / veiling glare from bright regions
    if bloom > 0:
        bs = bloom_sigma or max(h, w) / 90
        bright = np.maximum(img - 0.8, 0)
        glow = blur_big(bright, bs) * 0.6 + blur_big(bright, bs * 4) * 0.4
        img = img + glow * bloom * 8
    # lateral chromatic aberration: scale red up and blue down about the centre
    if aberration > 0:
        def zoom(ch, s):
            im = Image.fromarray(ch, "F")
            nw, nh = int(round(w * s)), int(round(h * s))
            im = im.resize((nw, nh), Image.BILINEAR)
            l, t = (nw - w) // 2, (nh - h) // 2
            return np.asarray(im.crop((l, t, l + w, t + h)), np.float32)
        k = aberration / max(w, h) * 2
        img = np.dstack([zoom(img[..., 0], 1 + k), img[..., 1], zoom(img[..., 2], 1 - k)])
    # optical vignette (cos^4-ish)
    if vignette > 0:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        r2 = ((xx - w / 2) / (w / 2)) ** 2 * 0.55 + ((yy - h / 2) / (h / 2)) ** 2 * 0.45
        img = img * (1 - vignette * np.clip(r2, 0, 1.6) ** 1.4 / 1.6 ** 1.4 * 1.2)[..., None]
    if tone == "filmic":
        out = filmic(img, exposure)
    else:
        out = np.clip(img * exposure, 0, 1)
    # saturation in linear light
    if saturation != 1.0:
        lum = (out * np.array([0.2126, 0.7152, 0.0722], np.float32)).sum(-1, keepdims=True)
        out = np.clip(lum + (out - lum) * saturation, 0, 1)
    s = linear_to_srgb(out).astype(np.float32)
    if lift:
        s = lift + s * (1 - lift)
    # sensor grain: luminance grain (stronger in shadows/mids) + a little chroma noise
    if grain > 0:
        g = rng.standard_normal((h, w)).astype(np.float32)
        if grain_size > 0.3:
            g = blur(g, grain_size)
            g /= g.std() + 1e-6
        lum = s.mean(-1)
        amt = grain * (0.55 + 0.9 * np.sqrt(np.clip(lum, 0, 1)) * (1.15 - lum))
        s = s + (g * amt)[..., None]
        if chroma_grain > 0:
            c = rng.standard_normal((h // 2 + 1, w // 2 + 1, 3)).astype(np.float32)
            c = resize(c - c.mean(-1, keepdims=True), (w, h))
            s = s + c * (grain * chroma_grain) * (1.2 - lum)[..., None]
    return Image.fromarray(np.clip(s * 255 + 0.5, 0, 255).astype(np.uint8), "RGB")


def save_jpeg(im, name, quality=80):
    """Baseline sRGB JPEG, no EXIF/ICC/comments; lowers quality a notch if over budget."""
    im = im.convert("RGB")
    clean = Image.new("RGB", im.size)
    clean.paste(im)  # fresh image: drops any info/exif/icc the source might carry
    q = quality
    while True:
        buf = io.BytesIO()
        clean.save(buf, "JPEG", quality=q, optimize=True, progressive=False,
                   subsampling="4:2:0")
        if buf.tell() <= MAX_JPEG or q <= 50:
            break
        q -= 2
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    print(f"  {name}: {im.size[0]}x{im.size[1]}  q={q}  {buf.tell() / 1024:.0f} KB")
    return path


def save_png_rgba(im, name):
    """RGBA PNG under MAX_PNG. Tries lossless first, then drops low RGB bits (alpha stays
    exact), and falls back to a 256-colour palette with tRNS only as a last resort."""
    arr = np.array(im.convert("RGBA"))
    arr[arr[..., 3] == 0, :3] = 0              # invisible pixels: constant colour compresses well
    path = os.path.join(OUT, name)
    for bits in (8, 7, 6, 5):
        a = arr.copy()
        if bits < 8:
            step = 1 << (8 - bits)
            a[..., :3] = np.clip((a[..., :3].astype(int) // step) * step + step // 2, 0, 255).astype(np.uint8)
            a[a[..., 3] == 0, :3] = 0
        buf = io.BytesIO()
        Image.fromarray(a, "RGBA").save(buf, "PNG", optimize=True)
        mode = f"RGBA {bits}-bit RGB"
        if buf.tell() <= MAX_PNG:
            break
    else:
        q = Image.fromarray(arr, "RGBA").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                                 dither=Image.Dither.FLOYDSTEINBERG)
        buf = io.BytesIO()
        q.save(buf, "PNG", optimize=True)
        mode = "P+tRNS"
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    print(f"  {name}: {im.size[0]}x{im.size[1]}  {mode}  {buf.tell() / 1024:.0f} KB")
    return path


# ----------------------------------------------------------------------------------
# POV-Ray helper
# ----------------------------------------------------------------------------------
def povray(scene, w, h, name, alpha=False, aa="+A0.05 +AM2 +R3", extra=""):
    """Render POV-Ray SDL text; returns float linear RGB (and alpha) arrays."""
    draft = float(os.environ.get("SP_DRAFT", "0") or 0)   # e.g. SP_DRAFT=3: 1/3 size preview
    W0, H0 = w, h
    if draft > 1:
        w, h = int(w / draft), int(h / draft)
    pov = os.path.join(TMP, name + ".pov")
    # opaque renders: 16-bit linear PPM (parsed here; Pillow truncates 16-bit RGB);
    # alpha renders: 8-bit sRGB PNG with alpha channel
    img = os.path.join(TMP, name + (".png" if alpha else ".ppm"))
    fmt = "+FN8 File_Gamma=sRGB +UA" if alpha else "+FP16 File_Gamma=1.0"
    stamp = f"// {w}x{h} {fmt} {aa} {extra}\n" + scene
    cached = (os.path.exists(pov) and os.path.exists(img) and open(pov).read() == stamp)
    with open(pov, "w") as f:
        f.write(stamp)
    cmd = (f"povray +I{pov} +O{img} +W{w} +H{h} {fmt} {aa} -D -V +WT{os.cpu_count() or 2} "
           f"{extra}").split()
    r = None if cached else subprocess.run(cmd, capture_output=True, text=True)
    if r is not None and (r.returncode != 0 or not os.path.exists(img)):
        sys.stderr.write(r.stderr[-3000:])
        raise RuntimeError("povray failed for " + name)
    if alpha:
        a = np.asarray(Image.open(img).convert("RGBA"), np.float32) / 255.0
        a = np.dstack([srgb_to_linear(a[..., :3]), a[..., 3]])
    else:
        raw = open(img, "rb").read()
        parts, pos = [], 0
        while len(parts) < 4:              # P6, width, height, maxval (skip comments)
            while raw[pos:pos + 1].isspace():
                pos += 1
            if raw[pos:pos + 1] == b"#":
                pos = raw.index(b"\n", pos)
                continue
            end = pos
            while not raw[end:end + 1].isspace():
                end += 1
            parts.append(raw[pos:end])
            pos = end
        pos += 1
        pw, ph, mx = int(parts[1]), int(parts[2]), int(parts[3])
        dt = ">u2" if mx > 255 else "u1"
        a = np.frombuffer(raw, dt, pw * ph * 3, pos).reshape(ph, pw, 3).astype(np.float32) / mx
    if draft > 1:
        a = resize(a, (W0, H0))
    if alpha:
        return a[..., :3], a[..., 3]
    return a


POV_HEAD = """
#version 3.7;
global_settings { assumed_gamma 1.0 charset utf8 }
#include "colors.inc"
#include "rand.inc"
"""


# ----------------------------------------------------------------------------------
# 1. kestrel-uav: small fixed-wing drone over the steppe at dusk, Tian Shan on horizon
# ----------------------------------------------------------------------------------
def scene_kestrel():
    W, H = 2400, 1600
    rng = np.random.default_rng(11)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    hy = int(H * 0.655)                       # horizon row
    sx, sy = W * 0.76, hy + 40               # sun, just below the horizon
    f, camh = 2100.0, 1.6                    # focal length (px), camera height (m)

    # --- sky --------------------------------------------------------------------
    dx, dy = (xx - sx) / W, (yy - sy) / W
    d = np.sqrt(dx * dx + dy * dy * 1.6)
    e = np.clip((hy - yy) / hy, 0, 1)        # 0 at horizon, 1 at top
    hor_far = col(178, 132, 112)              # horizon away from the sun: dusty peach
    hor_sun = col(255, 160, 75)
    horizon = lerp(hor_far, hor_sun, np.exp(-np.abs(dx) / 0.33))
    mid = lerp(col(112, 122, 150), col(200, 160, 130), np.exp(-d / 0.35))
    zen = col(24, 46, 96)
    t1 = smoothstep(0.0, 0.35, e ** 0.8)
    t2 = smoothstep(0.25, 1.0, e)
    sky = lerp(lerp(horizon, mid, t1), zen, t2)
    sky = sky * 0.55
    glow = np.exp(-d / 0.05)[..., None] * col(255, 190, 110) * 1.6 \
        + np.exp(-d / 0.20)[..., None] * col(255, 130, 60) * 0.45
    sky = sky + glow * (yy < hy + 60)[..., None]

    # thin stratus / altocumulus streaks, lit from below by the sun
    dens = fbm(H, W, 220, rng, octaves=6, gain=0.55, aspect=5.0)
    dens2 = fbm(H, W, 60, rng, octaves=4, gain=0.5, aspect=3.0)
    band = smoothstep(0.04, 0.25, e) * smoothstep(0.95, 0.55, e)
    cd = smoothstep(0.52, 0.74, dens * 0.8 + dens2 * 0.3) * band
    cd = np.clip(cd * 0.95, 0, 1)
    under = smoothstep(0.0, 1.0, 1 - e) ** 1.5
    lit = np.exp(-d / 0.28)[..., None] * col(255, 140, 70) * 1.5 \
        + np.exp(-d / 0.08)[..., None] * col(255, 210, 150) * 1.0
    cloud_col = col(70, 58, 78) * 0.40 + lit * (0.35 + 0.65 * under)[..., None] * 0.55
    sky = over(sky, cloud_col, cd * 0.9)

    img = sky.copy()

    # --- mountain ranges (far: Tian Shan, near: foothills) -----------------------
    x1 = np.arange(W)
    env = smoothstep(W * 0.92, W * 0.40, x1) * 0.85 + 0.15 * smoothstep(W * 0.99, W * 0.6, x1)
    far = noise1d(W, 260, rng, octaves=8, gain=0.55, ridged=True)
    far = (far - far.min()) / (far.max() - far.min())
    base = noise1d(W, 900, rng, octaves=2, gain=0.4)
    base = (base - base.min()) / (base.max() - base.min())
    far_top = hy - 10 - env * (50 + 150 * base + 110 * far ** 1.4)
    near = noise1d(W, 300, rng, octaves=7, gain=0.5)
    near_env = smoothstep(W * 0.9, W * 0.35, x1) * 0.8 + 0.2
    near_top = hy - 4 - near_env * (20 + 95 * near ** 1.3)
    hz = horizon * 0.55 + glow * 0.15       # haze colour at each pixel
    far_mask = np.clip(yy - far_top[None, :] + 0.5, 0, 1)
    # snow fields near the peaks catch the last skylight
    snow_n = fbm(H, W, 18, rng, octaves=4)
    snow = smoothstep(hy - 210, hy - 300, yy) * smoothstep(0.45, 0.62, snow_n) * far_mask
    rel = np.clip((yy - far_top[None, :]) / 220.0, 0, 1)
    gully = fbm(H, W, 40, rng, octaves=4, aspect=0.6)
    # relief: ridged noise, stretched vertically, shaded by its horizontal slope (light from the right)
    rn = fbm(H, W, 70, rng, octaves=5, gain=0.5, aspect=0.45)
    rn = 1 - np.abs(rn * 2 - 1)
    relief = (np.roll(rn, -2, 1) - np.roll(rn, 2, 1)) * 6.0
    relief = np.clip(relief, -1, 1) * (1 - rel) ** 1.2
    far_col = lerp(col(70, 78, 118) * 0.22, hz * 0.9, 0.30 + 0.5 * rel ** 0.8) * (0.92 + 0.16 * gully)[..., None]
    far_col = far_col * (0.9 + 0.16 * relief)[..., None]
    far_col = far_col + snow[..., None] * col(220, 200, 215) * 0.05
    img = over(img, far_col, far_mask * (yy <= hy + 2))
    near_mask = np.clip(yy - near_top[None, :] + 0.5, 0, 1)
    relb = np.clip((yy - near_top[None, :]) / 80.0, 0, 1)
    slope_n = fbm(H, W, 30, rng, octaves=4)
    near_col = lerp(col(50, 48, 66) * 0.22, hz, 0.22 + 0.22 * relb) * (0.85 + 0.3 * slope_n)[..., None]
    img = over(img, near_col, near_mask * (yy <= hy + 2))

    # --- steppe ground with perspective texture ---------------------------------
    g = np.clip(yy - hy, 0.6, None)
    Z = f * camh / g                          # depth (m)
    X = (xx - W * 0.5) * Z / f                # lateral (m)
    tex = tile_fbm(1024, 10, rng, octaves=6)
    tex2 = tile_fbm(512, 40, rng, octaves=3)
    far_fade = smoothstep(260.0, 60.0, Z)                   # avoid aliasing stripes far away
    patch = 0.5 + (sample(tex, X * 6.0, Z * 6.0) - 0.5) * (0.4 + 0.6 * smoothstep(900.0, 200.0, Z))
    fine = 0.5 + (sample(tex2, X * 40.0, Z * 40.0) - 0.5) * far_fade
    ground = lerp(col(62, 58, 40), col(128, 110, 70), smoothstep(0.3, 0.75, patch)) \
        * (0.7 + 0.6 * fine)[..., None]
    # sparse shrubs (wormwood / chiy tussocks): dark specks that shrink with distance
    spots = (rng.random((512, 512)) > 0.985).astype(np.float32)
    spots = blur(spots, 1.2)
    spots = np.clip(spots / spots.max() * 3, 0, 1)
    shrub = sample(spots, X * 9.0, Z * 9.0)
    ground = ground * (1 - 0.6 * shrub)[..., None]
    # dusk illumination: sky dome from above, warm grazing glow toward the sun
    sunward = np.exp(-np.abs(dx) / 0.3)[..., None]
    ground = ground * (0.13 + 0.16 * sunward * col(255, 170, 110))
    # dirt track: two ruts curving to the horizon
    xc = -1.2 + 0.0009 * Z ** 1.5 - 4.0 * np.sin(Z / 90.0)
    rel_x = X - xc
    rut = np.exp(-((np.abs(rel_x) - 0.75) / 0.16) ** 2) * (Z > 2)
    track_col = col(150, 130, 110) * (0.12 + 0.18 * sunward)
    ground = over(ground, track_col, np.clip(rut, 0, 1) * (0.3 + 0.4 * fine) * smoothstep(3, 12, Z))
    # aerial perspective
    haze = 1 - np.exp(-Z / 520.0)
    ground = lerp(ground, hz * 0.9, np.clip(haze, 0, 1) * 0.92)
    gmask = np.clip(yy - hy + 0.5, 0, 1)
    img = over(img, ground, gmask)

    # --- telegraph poles along the track ----------------------------------------
    def poles(dr, s):
        for k in range(1, 40):
            z = 9.0 + k * 48.0
            x_m = -1.2 + 0.0009 * z ** 1.5 - 4.0 * np.sin(z / 90.0) + 4.5
            px = W * 0.5 + f * x_m / z
            yb = hy + f * camh / z
            yt = hy + f * (camh - 7.5) / z
            wd = max(1.0, f * 0.22 / z)
            a = int(255 * np.clip(np.exp(-z / 650.0) * 1.3, 0, 1))
            dr.rectangle([(px - wd / 2) * s, yt * s, (px + wd / 2) * s, yb * s], fill=a)
            cb = f * 1.1 / z
            dr.rectangle([(px - cb) * s, (yt + f * 0.35 / z) * s, (px + cb) * s,
                          (yt + f * 0.47 / z) * s], fill=a)
    pm = mask_draw(W, H, 3, poles)
    def wire(dr, s):
        pts = []
        for k in range(1, 40):
            z = 9.0 + k * 48.0
            x_m = -1.2 + 0.0009 * z ** 1.5 - 4.0 * np.sin(z / 90.0) + 4.5
            pts.append((W * 0.5 + f * x_m / z, hy + f * (camh - 7.5 + 0.4) / z, z))
        for side in (-0.9, 0.9):
            for (ax, ay, az), (bx, by, bz) in zip(pts[:-1], pts[1:]):
                ax2 = ax + f * side / az; bx2 = bx + f * side / bz
                seg = []
                for t in np.linspace(0, 1, 24):
                    sag = 4 * t * (1 - t) * f * 0.55 / (az + (bz - az) * t)
                    seg.append(((ax2 + (bx2 - ax2) * t) * s, (ay + (by - ay) * t + sag) * s))
                a = int(200 * np.exp(-az / 500.0))
                dr.line(seg, fill=a, width=max(1, int(s * 1.2)))
    wires = mask_draw(W, H, 3, wire)
    pole_col = hz * 0.22 + col(20, 16, 18) * 0.3
    img = over(img, pole_col, np.clip(pm + wires, 0, 1))

    # --- foreground feather grass (out of focus, backlit) ------------------------
    blades_rng = np.random.default_rng(5)
    def grass(dr, s, plumes):
        for _ in range(2200):
            bx = blades_rng.uniform(-50, W + 50)
            by = H + blades_rng.uniform(-10, 40)
            ht = blades_rng.uniform(0.25, 1.0) ** 1.6 * 430 * (0.55 + 0.45 * abs(np.sin(bx / 310.0)))
            lean = blades_rng.uniform(-0.2, 0.3)
            curl = blades_rng.uniform(0.2, 1.0)
            n = 10
            pts = []
            for i in range(n + 1):
                t = i / n
                pts.append(((bx + lean * ht * t + curl * lean * ht * t * t * 0.6) * s,
                            (by - ht * t + curl * ht * t * t * 0.25) * s))
            if not plumes:
                dr.line(pts, fill=255, width=max(1, int(s * blades_rng.uniform(1.2, 3.0))))
            elif blades_rng.random() < 0.16:
                # silky feather-grass awn continuing the stem, arching over in the breeze
                x0, y0 = pts[-1]
                x1, y1 = pts[-2]
                dxs, dys = (x0 - x1), (y0 - y1)
                nrm = np.hypot(dxs, dys) + 1e-6
                dxs, dys = dxs / nrm, dys / nrm
                plen = blades_rng.uniform(90, 220) * s
                seg = []
                for u in np.linspace(0, 1, 16):
                    seg.append((x0 + dxs * plen * u + plen * 0.55 * u * u,
                                y0 + dys * plen * u + plen * 0.75 * u * u))
                dr.line(seg, fill=170, width=max(1, int(s * 1.0)))
    blades = mask_draw(W, H, 2, lambda dr, s: grass(dr, s, False))
    blades_rng = np.random.default_rng(5)
    plumes = mask_draw(W, H, 2, lambda dr, s: grass(dr, s, True))
    blades = blur(blades, 2.6)
    plumes = blur(plumes, 2.8)
    rim = np.exp(-np.abs(xx - sx) / (W * 0.35))[..., None]
    img = over(img, col(22, 20, 14) * 0.25, np.clip(blades * 1.3, 0, 1))
    img = img + plumes[..., None] * (col(255, 190, 120) * 0.35 * rim + col(140, 120, 120) * 0.03)

    # --- the drone ---------------------------------------------------------------
    img = draw_drone(img, W * 0.34, H * 0.285, 120, bank=-9.0, rng=rng)

    out = develop(img, seed=11, exposure=1.25, bloom=0.05, vignette=0.42, grain=0.011,
                  chroma_grain=0.06, saturation=0.98)
    save_jpeg(out, "kestrel-dusk.jpg")


def draw_drone(img, cx, cy, span, bank, rng):
    """Small pusher fixed-wing UAV seen from below against the sky, composited in place."""
    S = 8                                    # supersampling
    box = int(span * 1.4)
    w = h = box
    def P(pts):
        # model coords: x along span (-1..1), y along fuselage (nose -) in span units;
        # view from below at ~25deg -> foreshorten y, then bank-rotate
        a = np.deg2rad(bank)
        out = []
        for x, y in pts:
            X, Y = x * span / 2, y * span / 2 * 0.42
            xr = X * np.cos(a) - Y * np.sin(a)
            yr = X * np.sin(a) + Y * np.cos(a)
            out.append(((xr + w / 2) * S, (yr + h / 2) * S))
        return out
    wing = [(-1, -0.03), (-0.97, -0.07), (-0.2, -0.12), (0.2, -0.12), (0.97, -0.07), (1, -0.03),
            (0.97, 0.02), (0.2, 0.03), (-0.2, 0.03), (-0.97, 0.02)]
    fus = [(-0.05, -0.55), (-0.035, -0.62), (0.035, -0.62), (0.05, -0.55), (0.055, 0.05),
           (0.03, 0.18), (-0.03, 0.18), (-0.055, 0.05)]
    booms = [[(-0.32, -0.1), (-0.30, 0.62), (-0.34, 0.62), (-0.345, -0.1)],
             [(0.32, -0.1), (0.30, 0.62), (0.34, 0.62), (0.345, -0.1)]]
    tail = [(-0.38, 0.55), (0.38, 0.55), (0.38, 0.64), (-0.38, 0.64)]
    def body(dr, s):
        for poly in [wing, fus, tail] + booms:
            dr.polygon(P(poly), fill=255)
    def lead(dr, s):
        dr.line(P([(-0.98, -0.065), (-0.2, -0.115), (0.2, -0.115), (0.98, -0.065)]), fill=255,
                width=int(S * 1.2))
    def prop(dr, s):
        (px, py), = P([(0, 0.2)])
        r = span * 0.11 * S
        dr.ellipse([px - r, py - r * 0.35, px + r, py + r * 0.35], fill=90)
    m = mask_draw(w, h, S, body)
    le = mask_draw(w, h, S, lead)
    pr = mask_draw(w, h, S, prop)
    # tiny motion blur along the flight direction
    m = (m + np.roll(m, 1, 1) + np.roll(m, -1, 1)) / 3
    x0, y0 = int(cx - w / 2), int(cy - h / 2)
    reg = img[y0:y0 + h, x0:x0 + w]
    under = col(60, 62, 75) * 0.06            # underside lit only by the dusk sky
    reg = over(reg, under, np.clip(m, 0, 1))
    reg = over(reg, col(255, 170, 110) * 0.22, le * 0.8)
    reg = over(reg, col(40, 40, 46) * 0.05, pr * 0.6)
    # navigation lights: red port, green starboard, white strobe on the tail
    for (lx, ly), c, k in [((-0.99, -0.02), col(255, 60, 40), 1.2), ((0.99, -0.02), col(60, 255, 120), 0.8),
                           ((0.0, 0.6), col(255, 255, 255), 2.5)]:
        (px, py), = P([(lx, ly)])
        px, py = px / S, py / S
        yyl, xxl = np.mgrid[0:h, 0:w]
        rr = (xxl - px) ** 2 + (yyl - py) ** 2
        reg = reg + (np.exp(-rr / 1.4) * k)[..., None] * c + (np.exp(-rr / 30.0) * k * 0.04)[..., None] * c
    img[y0:y0 + h, x0:x0 + w] = reg
    return img


# ----------------------------------------------------------------------------------
# 2. granite-rover: six-wheeled ground robot on gravel (+ transparent cut-out)
# ----------------------------------------------------------------------------------
ROVER_POV = r"""
#include "shapes.inc"
#declare Paint = texture {
  pigment { granite colour_map { [0 rgb <0.205,0.190,0.120>] [1 rgb <0.235,0.215,0.140>] } scale 0.05 }
  normal { granite 0.04 scale 0.02 }
  finish { diffuse 0.85 specular 0.18 roughness 0.03 }
}
#declare Dust = texture {
  pigment { gradient y colour_map { [0 rgbt <0.30,0.27,0.21,0.3>] [0.2 rgbt <0.30,0.27,0.21,0.45>] [0.34 rgbt <0.30,0.27,0.21,1>] [1 rgbt <0.30,0.27,0.21,1>] }
            turbulence 0.06 scale 1 }
  finish { diffuse 0.9 }
}
#declare PaintD = texture { Paint } texture { Dust }
#declare DarkPlastic = texture { pigment { rgb 0.018 } finish { diffuse 0.7 specular 0.35 roughness 0.015 } }
#declare Rubber = texture { pigment { rgb <0.014,0.013,0.012> } normal { granite 0.1 scale 0.01 }
                            finish { diffuse 0.8 specular 0.02 roughness 0.05 } }
#declare DustyRubber = texture { Rubber }
#declare Alu = texture { pigment { rgb <0.32,0.33,0.34> } normal { bumps 0.02 scale 0.002 }
                         finish { diffuse 0.45 specular 0.6 roughness 0.01 metallic reflection 0.15 } }
#declare Glass = texture { pigment { rgb 0.01 } finish { specular 0.9 roughness 0.002 reflection { 0.05, 0.5 fresnel on } } }
#declare Wheel = union {
  torus { 0.112, 0.062 rotate x*90 texture { DustyRubber } }
  #local i = 0;
  #while (i < 22)
    box { <-0.024,0.162,-0.064>, <0.024,0.186,0.064> rotate z*(i*360/22) texture { DustyRubber } }
    #local i = i + 1;
  #end
  cylinder { <0,0,-0.05>, <0,0,0.05>, 0.085 texture { Alu } }
  cylinder { <0,0,-0.062>, <0,0,0.062>, 0.032 texture { DarkPlastic } }
  #local i = 0;
  #while (i < 6)
    cylinder { <0,0,-0.056>, <0,0,0.056>, 0.008 translate x*0.058 rotate z*(i*60) texture { Alu } }
    #local i = i + 1;
  #end
}
#declare Rover = union {
  // hull: rounded box with a sloped nose
  intersection {
    object { Round_Box(<-0.56,0.20,-0.30>, <0.56,0.48,0.30>, 0.03, 1) }
    plane { <1,1.1,0>, 0 translate <0.43,0.48,0> }
    texture { PaintD }
  }
  // panel seams and a vent grille on each flank
  #local s = -1;
  #while (s <= 1)
    box { <-0.05,0.23,s*0.300>, <-0.045,0.46,s*0.3035> texture { DarkPlastic } }
    box { <-0.53,0.44,s*0.300>, <0.40,0.445,s*0.3035> texture { DarkPlastic } }
    #local vv = 0;
    #while (vv < 7)
      box { <0.05+vv*0.035,0.25,s*0.300>, <0.065+vv*0.035,0.31,s*0.304> texture { DarkPlastic } }
      #local vv = vv + 1;
    #end
    #local s = s + 2;
  #end
  // deck plate, rails, hatch seams
  box { <-0.50,0.48,-0.26>, <0.34,0.495,0.26> texture { DarkPlastic } }
  #local i = -1;
  #while (i <= 1)
    cylinder { <-0.48,0.53,i*0.24>, <0.30,0.53,i*0.24>, 0.012 texture { Alu } }
    cylinder { <-0.40,0.48,i*0.24>, <-0.40,0.53,i*0.24>, 0.01 texture { Alu } }
    cylinder { < 0.22,0.48,i*0.24>, < 0.22,0.53,i*0.24>, 0.01 texture { Alu } }
    #local i = i + 2;
  #end
  box { <-0.2,0.495,-0.18>, <0.12,0.52,0.18> texture { Paint } }
  // side skirts / suspension arms
  #local s = -1;
  #while (s <= 1)
    box { <-0.60,0.22,s*0.30>, <0.60,0.26,s*0.345> texture { DarkPlastic } }
    #local k = -1;
    #while (k <= 1)
      cylinder { <k*0.44,0.17,s*0.30>, <k*0.44,0.17,s*0.37>, 0.035 texture { Alu } }
      box { <k*0.44-0.03,0.16,s*0.30>, <k*0.44+0.03,0.25,s*0.33> texture { DarkPlastic } }
      object { Wheel translate <k*0.44,0.175,s*0.40> }
      #local k = k + 1;
    #end
    // stencil name on the flanks
    text { ttf "cyrvetic.ttf" "GRANITE-2" 0.004, 0 scale 0.075
           #if (s < 0) translate <-0.50,0.33,-0.303> #else rotate y*180 translate <0.50,0.33,0.303> #end
           texture { pigment { rgb 0.06 } finish { diffuse 0.8 } } }
    // headlights
    cylinder { <0,0,0>, <0.01,0,0>, 0.028 scale <1,0.8,0.8> translate <0.555,0.33,s*0.2>
      texture { pigment { rgb <0.6,0.6,0.58> } finish { emission 0.1 diffuse 0.2 specular 0.9 roughness 0.001 reflection 0.2 } } }
    #local s = s + 2;
  #end
  // front lidar puck
  cylinder { <0,0,0>, <0,0.07,0>, 0.055 translate <0.36,0.495,0> texture { DarkPlastic } }
  cylinder { <0,0.012,0>, <0,0.05,0>, 0.0565 translate <0.36,0.495,0> texture { Glass } }
  // mast + pan-tilt camera head
  cylinder { <-0.36,0.49,0>, <-0.36,0.92,0>, 0.025 texture { DarkPlastic } }
  // front bumper and tow hooks
  cylinder { <0.60,0.24,-0.27>, <0.60,0.24,0.27>, 0.018 texture { DarkPlastic } }
  #local s = -1;
  #while (s <= 1)
    cylinder { <0.55,0.24,s*0.24>, <0.60,0.24,s*0.24>, 0.016 texture { DarkPlastic } }
    torus { 0.025, 0.007 rotate z*90 translate <0.58,0.21,s*0.12> texture { Alu } }
    // side stowage boxes
    object { Round_Box(<-0.46,0.50,s*0.04>, <-0.14,0.58,s*0.22>, 0.01, 1) texture { Paint } }
    #local s = s + 2;
  #end
  object { Round_Box(<-0.44,0.92,-0.11>, <-0.28,1.03,0.11>, 0.018, 1) texture { Paint } }
  #local s = -1;
  #while (s <= 1)
    cylinder { <-0.28,0.975,s*0.055>, <-0.265,0.975,s*0.055>, 0.03 texture { DarkPlastic } }
    cylinder { <-0.27,0.975,s*0.055>, <-0.264,0.975,s*0.055>, 0.022 texture { Glass } }
    #local s = s + 2;
  #end
  // antenna whips + GNSS puck
  cylinder { <-0.48,0.495,0.20>, <-0.48,0.56,0.20>, 0.018 texture { DarkPlastic } }
  cylinder { <-0.48,0.56,0.20>, <-0.49,1.18,0.21>, 0.006 texture { DarkPlastic } }
  cylinder { <-0.48,0.495,-0.20>, <-0.48,0.56,-0.20>, 0.018 texture { DarkPlastic } }
  cylinder { <-0.48,0.56,-0.20>, <-0.50,0.98,-0.20>, 0.006 texture { DarkPlastic } }
  object { Round_Box(<-0.12,0.52,-0.07>, <0.02,0.545,0.07>, 0.01, 1) texture { pigment { rgb 0.55 } finish { diffuse 0.8 specular 0.2 } } }
}
"""


def scene_rover_field():
    W, H = 2000, 1334
    scene = POV_HEAD + ROVER_POV + r"""
#declare R = seed(7);
global_settings { radiosity { pretrace_start 0.08 pretrace_end 0.02 count 60 nearest_count 5
                              error_bound 1.2 recursion_limit 1 low_error_factor 0.6 brightness 1 } }
camera { perspective location <2.45,0.46,-2.05> look_at <-0.05,0.36,0.1> angle 40 right x*2000/1334
         aperture 0.05 blur_samples 24 focal_point <0.5,0.3,-0.35> confidence 0.9 variance 1/256 }
light_source { <-25,30,-70> color rgb <3.0,2.6,2.1>
               area_light <4,0,0>, <0,0,4>, 5, 5 adaptive 1 jitter circular orient }
sky_sphere { pigment { gradient y colour_map { [0 rgb <0.46,0.52,0.60>] [0.10 rgb <0.18,0.28,0.48>] [0.5 rgb <0.06,0.13,0.32>] } } }
fog { distance 380 colour rgb <0.56,0.60,0.66> fog_type 2 fog_alt 12 fog_offset 0 }
// gravel bed: packed stones = Voronoi domes (crackle) as a height field,
// each stone coloured by the same cells ("crackle solid"); far ground is a plane
#declare Fc = function { pattern { crackle form <-1,1,0> metric 2 } }
#declare Fn = function { pattern { granite } }
#declare GS = 1/0.04;  // stones ~4 cm
#declare StoneTex = texture {
  pigment { crackle solid colour_map { [0 rgb <0.15,0.145,0.14>] [0.2 rgb <0.30,0.28,0.25>] [0.35 rgb <0.22,0.20,0.18>]
        [0.5 rgb <0.40,0.37,0.33>] [0.65 rgb <0.19,0.16,0.13>] [0.8 rgb <0.34,0.33,0.31>] [0.9 rgb <0.47,0.44,0.40>] [1 rgb <0.26,0.22,0.19>] }
        scale 1/GS }
  normal { granite 0.25 scale 0.006 }
  finish { diffuse 0.85 specular 0.07 roughness 0.04 }
}
height_field {
  function 2600, 2600 { min(1, pow(max(Fc(x*10*GS, 0, y*10*GS)*1.4, 0), 0.55) * 0.85 + 0.15*Fn(x*10*GS*2, 1, y*10*GS*2)) }
  smooth
  texture { StoneTex }
  scale <10, 0.024, 10> translate <-6.5, -0.006, -3.2>
}
plane { y, 0.004
  texture {
    pigment { crackle solid colour_map { [0 rgb <0.16,0.15,0.14>] [0.3 rgb <0.30,0.28,0.25>] [0.55 rgb <0.20,0.18,0.16>]
                                 [0.8 rgb <0.38,0.35,0.31>] [1 rgb <0.24,0.22,0.20>] } scale 0.03 }
    normal { crackle 1.2 scale 0.03 }
    finish { diffuse 0.85 specular 0.05 roughness 0.1 }
  }
}
// loose crushed stones: spheres cut by random planes -> angular facets
#declare Pal = array[7] { <0.30,0.29,0.27>, <0.36,0.32,0.27>, <0.18,0.17,0.16>, <0.42,0.40,0.37>, <0.26,0.22,0.18>, <0.23,0.23,0.24>, <0.33,0.27,0.22> };
#local i = 0;
#while (i < 1400)
  #local px = -3.0 + 6.2*rand(R);
  #local pz = -2.8 + 6.5*rand(R);
  #local sz = 0.012 + 0.03*pow(rand(R),2.5);
  #if (abs(px) > 0.66 | abs(pz) > 0.56)
  intersection {
    sphere { 0, 1 }
    #local k = 0;
    #while (k < 6)
      plane { <rand(R)-0.5, rand(R)-0.5, rand(R)-0.5>, 0.45+0.3*rand(R) }
      #local k = k + 1;
    #end
    scale <sz*(0.8+0.5*rand(R)), sz*(0.5+0.3*rand(R)), sz*(0.7+0.5*rand(R))>
    rotate y*360*rand(R) translate <px, sz*0.2, pz>
    texture { pigment { rgb Pal[floor(rand(R)*6.99)]*(0.7+0.45*rand(R)) }
              normal { granite 0.3 scale 0.01 } finish { diffuse 0.85 specular 0.1 roughness 0.03 } }
  }
  #end
  #local i = i + 1;
#end
// distant low hills
#local j = 0;
#while (j < 9)
  sphere { 0, 1 scale <120+80*rand(R), 10+14*rand(R), 80> translate <-400+70*j + 40*rand(R), -2, 420+60*rand(R)>
    texture { pigment { rgb <0.20,0.21,0.17> } finish { diffuse 0.8 } } }
  #local j = j + 1;
#end
object { Rover rotate y*-8 }
"""
    lin = povray(scene, W, H, "rover_field", aa="+A0.1 +AM2 +R2")
    out = develop(lin, seed=3, exposure=0.8, bloom=0.03, vignette=0.30, grain=0.012,
                  chroma_grain=0.15, saturation=0.95)
    save_jpeg(out, "granite-rover-gravel.jpg")


def scene_rover_cutout():
    W, H = 1200, 900
    studio = POV_HEAD + ROVER_POV + r"""
global_settings { radiosity { pretrace_start 0.08 pretrace_end 0.02 count 80 nearest_count 6
                              error_bound 1.0 recursion_limit 1 brightness 1 } }
camera { perspective location <2.5,1.05,-2.1> look_at <0.0,0.45,0.0> angle 36 right x*1200/900 }
// studio: big soft key, fill, rim; an invisible white cyclorama for reflections/bounce
light_source { <1.5,5,-2.5> color rgb 1.7 area_light <1.5,0,0>, <0,1.5,0>, 6, 6 adaptive 1 jitter orient circular }
light_source { <-2,2.5,-4> color rgb 0.35 area_light <1.5,0,0>, <0,1.5,0>, 4, 4 adaptive 1 jitter orient circular }
light_source { <-4,3,3> color rgb 0.9 area_light <1,0,0>, <0,1,0>, 4, 4 adaptive 1 jitter orient circular }
sphere { 0, 30 hollow no_image no_shadow
  texture { pigment { gradient y colour_map { [0 rgb 0.35] [0.5 rgb 0.6] [1 rgb 0.8] } scale 60 translate -30*y }
            finish { emission 0.55 diffuse 0 } } }
"""
    rover = studio + """
plane { y, 0 no_image texture { pigment { rgb 0.6 } finish { diffuse 0.8 } } }
object { Rover rotate y*-8 }
"""
    rgb, a = povray(rover, W, H, "rover_cutout", alpha=True, aa="+A0.05 +AM2 +R3")
    # shadow catcher: a white floor rendered with an invisible (no_image) rover and without
    # it; the ratio is the shadow the rover casts, kept as semi-transparent black
    floor = 'plane { y, 0 texture { pigment { rgb 0.8 } finish { diffuse 0.9 } } }\n'
    with_r = povray(studio + floor + "object { Rover rotate y*-8 no_image }\n", W, H,
                    "rover_shadow_a", aa="+A0.1 +AM2 +R2")
    without = povray(studio + floor, W, H, "rover_shadow_b", aa="+A0.1 +AM2 +R2")
    ratio = with_r.mean(-1) / np.maximum(without.mean(-1), 1e-4)
    floor_seen = smoothstep(0.02, 0.06, without.mean(-1))   # beyond the horizon: no floor
    sh = np.clip(1 - ratio, 0, 1) * floor_seen
    sh = blur(sh, 1.5) * 0.85
    a_out = a + sh * (1 - a)
    rgb_out = rgb * (a / np.maximum(a_out, 1e-4))[..., None]   # shadow colour = black
    im = develop(rgb_out, seed=4, exposure=0.9, bloom=0, vignette=0, aberration=0, grain=0.0,
                 saturation=0.95)
    arr = np.dstack([np.asarray(im), np.clip(a_out * 255 + 0.5, 0, 255).astype(np.uint8)])
    save_png_rgba(Image.fromarray(arr, "RGBA"), "granite-rover-cutout.png")

# ----------------------------------------------------------------------------------
# 3. orbit-link: satellite ground-station dish at night under the Milky Way (portrait)
# ----------------------------------------------------------------------------------
def star_sky(W, H, rng, band_angle=-62, band_pos=(0.58, 0.30), horizon_row=None):
    """Long-exposure night sky (linear light): gradient, light-pollution glow, airglow,
    Milky Way band with dust lanes, and ~20k stars with a soft PSF."""
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    hr = horizon_row if horizon_row is not None else H
    e = np.clip((hr - yy) / hr, 0, 1)        # 0 at the horizon, 1 at the top
    sky = lerp(col(40, 52, 78) * 0.055, col(6, 10, 24) * 0.035, smoothstep(0.0, 0.9, e) ** 0.7)
    # city glow (sodium / LED) low on the horizon toward the left, faint green airglow band
    cg = np.exp(-((hr - yy) / (H * 0.10)).clip(0)) * np.exp(-((xx - W * 0.15) / (W * 0.9)) ** 2)
    sky += cg[..., None] * col(255, 150, 80) * 0.05
    ag = np.exp(-(((hr - yy) / H - 0.16) / 0.07) ** 2)
    sky += ag[..., None] * col(90, 190, 120) * 0.006
    # Milky Way: distance from a tilted line
    a = np.deg2rad(band_angle)
    nx, ny = -np.sin(a), np.cos(a)
    cx, cy = W * band_pos[0], H * band_pos[1]
    dist = ((xx - cx) * nx + (yy - cy) * ny) / W
    along = ((xx - cx) * np.cos(a) + (yy - cy) * np.sin(a)) / W
    n1 = fbm(H, W, 160, rng, octaves=6, gain=0.55)
    n2 = fbm(H, W, 40, rng, octaves=4, gain=0.6)
    width = 0.11 + 0.03 * np.sin(along * 3)
    core = np.exp(-(dist / width) ** 2)
    bulge = np.exp(-((along + 0.15) / 0.35) ** 2)          # brighter toward the galactic centre
    n3 = fbm(H, W, 12, rng, octaves=3, gain=0.6)
    mw = core * (0.25 + 0.75 * smoothstep(0.3, 0.8, n1 * 0.7 + n3 * 0.3)) * (0.5 + 0.8 * bulge)
    lanes = smoothstep(0.42, 0.62, n2 * 0.6 + n1 * 0.5) * np.exp(-(dist / (width * 0.5)) ** 2)
    mw = mw * (1 - 0.85 * lanes) * (0.75 + 0.5 * n3)
    sky += mw[..., None] * (col(195, 185, 175) * 0.042 + col(255, 200, 160) * 0.025 * bulge[..., None])
    # unresolved faint star haze inside the band
    fs = (rng.random((H, W)) ** 40).astype(np.float32) * core
    sky += blur(fs, 0.6)[..., None] * 0.25 * col(230, 225, 220) * (1 - 0.8 * lanes)[..., None]
    # stars: power-law brightness, colour from blue-white to orange; denser in the band
    n = 26000
    sxs = rng.uniform(0, W, n * 2)
    sys_ = rng.uniform(0, H, n * 2)
    dens = np.exp(-((((sxs - cx) * nx + (sys_ - cy) * ny) / W) / 0.16) ** 2)
    keep = rng.random(n * 2) < (0.30 + 0.70 * dens)
    sxs, sys_ = sxs[keep][:n], sys_[keep][:n]
    m = len(sxs)
    mag = rng.pareto(2.2, m) + 1
    flux = np.clip(mag ** 2.0 * 0.008, 0, 12)
    temp = rng.random(m)
    tint = np.where(temp[:, None] < 0.2, col(255, 190, 140), np.where(temp[:, None] > 0.85,
                    col(190, 210, 255), col(250, 245, 240)))
    stars = np.zeros((H, W, 3), np.float32)
    ix, iy = sxs.astype(int), sys_.astype(int)
    fx, fy = sxs - ix, sys_ - iy
    for (ox, oy, wgt) in [(0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)]:
        jx, jy = np.clip(ix + ox, 0, W - 1), np.clip(iy + oy, 0, H - 1)
        np.add.at(stars, (jy, jx), (flux * wgt)[:, None] * tint)
    psf = blur(stars, 0.7) * 2.4 + blur(stars, 1.8) * 0.12
    # atmospheric extinction near the horizon
    ext = smoothstep(0.0, 0.25, e)[..., None] * 0.85 + 0.15
    sky += psf * ext
    return sky


DISH_POV = r"""
#include "shapes.inc"
#declare Rnd = seed(21);
#declare WhitePaint = texture { pigment { rgb <0.80,0.80,0.78> }
  normal { bumps 0.03 scale 0.05 } finish { diffuse 0.85 specular 0.25 roughness 0.03 } }
#declare GreyMetal = texture { pigment { rgb <0.35,0.36,0.37> } finish { diffuse 0.7 specular 0.4 roughness 0.02 metallic } }
#declare Concrete = texture { pigment { granite colour_map { [0 rgb 0.30] [1 rgb 0.38] } scale 0.2 }
  normal { granite 0.2 scale 0.05 } finish { diffuse 0.85 } }
#declare Fd = 0.92;
#declare Rd = 1.35;
#declare Dish = union {
  sor { 10, <0.0,-0.02>, <0.001,0.0>, <0.25,0.25*0.25/(4*Fd)>, <0.5,0.25/(4*Fd)>, <0.75,0.5625/(4*Fd)>,
        <1.0,1/(4*Fd)>, <1.2,1.44/(4*Fd)>, <Rd,Rd*Rd/(4*Fd)>, <Rd+0.001,Rd*Rd/(4*Fd)+0.001>, <Rd+0.1, Rd*Rd/(4*Fd)+0.05> open
        texture { WhitePaint } }
  torus { Rd, 0.025 translate y*Rd*Rd/(4*Fd) texture { WhitePaint } }
  // feed support struts + feed horn / LNB at the focus
  #local i = 0;
  #while (i < 3)
    cylinder { <Rd*0.96,Rd*Rd/(4*Fd),0>, <0.06,Fd-0.08,0>, 0.018 rotate y*(i*120+30) texture { GreyMetal } }
    #local i = i + 1;
  #end
  cone { <0,Fd-0.02,0>, 0.09, <0,Fd-0.16,0>, 0.06 open texture { WhitePaint } }
  object { Round_Box(<-0.09,Fd-0.02,-0.09>, <0.09,Fd+0.16,0.09>, 0.02, 1) texture { WhitePaint } }
  cylinder { <0,Fd-0.16,0>, <0,Fd-0.165,0>, 0.062 texture { pigment { rgb 0.05 } } }
  // back structure: hub and ribs
  cylinder { <0,-0.45,0>, <0,0.02,0>, 0.22 texture { GreyMetal } }
  #local i = 0;
  #while (i < 8)
    cylinder { <0.2,-0.3,0>, <Rd*0.95,Rd*Rd/(4*Fd)-0.06,0>, 0.03 rotate y*(i*45) texture { GreyMetal } }
    #local i = i + 1;
  #end
  box { <-0.35,-0.62,-0.35>, <0.35,-0.45,0.35> texture { GreyMetal } }
}
#declare El = 38;
#declare Az = 8;
#declare Antenna = union {
  // pedestal, azimuth housing, elevation yoke
  cylinder { <0,0.3,0>, <0,2.55,0>, 0.28 texture { WhitePaint } }
  object { Round_Box(<-0.45,2.5,-0.45>, <0.45,2.85,0.45>, 0.04, 1) texture { WhitePaint } }
  union {
    box { <-0.62,2.8,-0.2>, <-0.5,3.35,0.2> }
    box { < 0.5,2.8,-0.2>, < 0.62,3.35,0.2> }
    cylinder { <-0.7,3.2,0>, <0.7,3.2,0>, 0.09 }
    texture { GreyMetal }
    rotate y*Az
  }
  object { Dish translate y*0.55 rotate x*-(90-El) translate y*3.2 rotate y*Az }
  // warning beacon on the housing
  sphere { <0.3,2.92,-0.3>, 0.045 texture { pigment { rgb <1,0.1,0.05> } finish { emission 1.5 } } }
  box { <-1.2,0,-1.2>, <1.2,0.3,1.2> texture { Concrete } }
}
"""


def scene_dish():
    W, H = 1200, 1600
    rng = np.random.default_rng(23)
    scene = POV_HEAD + DISH_POV + r"""
global_settings { radiosity { pretrace_start 0.08 pretrace_end 0.02 count 60 nearest_count 5
                              error_bound 1.2 recursion_limit 1 brightness 1 } }
camera { perspective location <-4.6,1.05,-6.6> look_at <0.2,3.55,0> angle 58 right x*1200/1600 up y }
// dim night sky dome (only lights the scene; the visible sky is painted afterwards)
sphere { 0, 40000 hollow no_image no_shadow
  texture { pigment { gradient y colour_map { [0 rgb <0.06,0.05,0.045>] [0.02 rgb <0.012,0.016,0.03>] [1 rgb <0.006,0.008,0.02>] } scale 80000 translate -40000*y }
            finish { emission 1 diffuse 0 } } }
// sodium floodlight on a pole, aimed at the antenna
#declare LampPos = <-3.4,4.3,-1.2>;
light_source { LampPos color rgb <1.0,0.62,0.28>*2.6
  spotlight point_at <0.2,2.2,0.3> radius 45 falloff 88 tightness 6
  area_light <0.25,0,0>, <0,0.25,0>, 4, 4 adaptive 1 jitter circular orient
  fade_distance 4 fade_power 2 }
cylinder { <-3.6,0,-1.35>, <-3.6,4.5,-1.35>, 0.07 texture { GreyMetal } }
union {
  box { <-0.16,-0.09,-0.05>, <0.16,0.09,0.16> texture { GreyMetal } }
  box { <-0.13,-0.07,-0.06>, <0.13,0.07,-0.05> texture { pigment { rgb <1,0.75,0.45> } finish { emission 4 diffuse 0 } } }
  rotate x*-35 rotate y*-60 translate <-3.45,4.35,-1.25> no_shadow
}
// equipment shelter with a small lit window and door
union {
  box { <0,0,0>, <2.6,2.3,2.2> texture { pigment { rgb <0.55,0.56,0.53> } normal { bumps 0.1 scale 0.1 } finish { diffuse 0.8 } } }
  box { <-0.05,2.3,-0.05>, <2.65,2.4,2.25> texture { GreyMetal } }
  box { <0.9,0,-0.02>, <1.75,2.0,0.0> texture { pigment { rgb <0.2,0.22,0.24> } finish { diffuse 0.6 specular 0.3 } } }
  box { <0.25,1.3,-0.02>, <0.7,1.6,0.0> texture { pigment { rgb <0.9,0.95,1.0> } finish { emission 0.35 diffuse 0 } } }
  box { <2.0,1.75,-0.02>, <2.1,1.82,0.0> texture { pigment { rgb <0.2,1,0.3> } finish { emission 2 } } }
  rotate y*-18 translate <3.6,0,1.8>
}
// fence posts + wire
#local i = 0;
#while (i < 9)
  cylinder { <-6+i*1.9, 0, 4.5>, <-6+i*1.9, 1.9, 4.5>, 0.035 texture { GreyMetal } }
  #local i = i + 1;
#end
#local j = 0;
#while (j < 4)
  cylinder { <-6,0.45+j*0.45,4.5>, <9.2,0.45+j*0.45,4.5>, 0.004 texture { GreyMetal } }
  #local j = j + 1;
#end
// hilltop: dry grass ground with gentle undulation; distant mountain ridges
height_field {
  function 800, 800 { 0.5 + 0.5*f_noise3d(x*7, 0, y*7) }
  smooth
  texture { pigment { bozo colour_map { [0 rgb <0.15,0.13,0.085>] [0.5 rgb <0.19,0.165,0.10>] [1 rgb <0.11,0.10,0.07>] } scale 0.4 }
            normal { bumps 0.9 scale 0.012 } finish { diffuse 0.8 } }

  scale <80, 0.35, 80> translate <-40, -0.2, -40>
}
// dry grass tufts (thin leaning cones)
#declare Rg = seed(5);
#local i = 0;
#while (i < 2600)
  #local gx = -7 + 14*rand(Rg);
  #local gz = -5.5 + 10*rand(Rg);
  #if (abs(gx) > 1.35 | abs(gz) > 1.35)
  union {
    #local k = 0;
    #while (k < 7)
      cone { 0, 0.006, <0.25*(rand(Rg)-0.5), 0.12+0.22*rand(Rg), 0.25*(rand(Rg)-0.5)>, 0.0005 }
      #local k = k + 1;
    #end
    translate <gx, -0.02, gz>
    texture { pigment { rgb <0.30,0.25,0.14>*(0.6+0.6*rand(Rg)) } finish { diffuse 0.8 specular 0.1 } }
  }
  #end
  #local i = i + 1;
#end
object { Antenna }
"""
    rgb, a = povray(scene, W, H, "dish", alpha=True, aa="+A0.08 +AM2 +R2")
    # locate the horizon (first mostly-opaque row from the top, per column) for the sky glow
    opaque_rows = np.argmax(a > 0.5, axis=0)
    hr = int(np.median(opaque_rows[opaque_rows > 0])) if np.any(opaque_rows > 0) else int(H * 0.7)
    sky = star_sky(W, H, rng, band_angle=-68, band_pos=(0.56, 0.30), horizon_row=hr)
    # distant Trans-Ili Alatau ridge, barely lit: painted behind the POV-Ray foreground
    x1 = np.arange(W)
    ridge = noise1d(W, 260, rng, octaves=7, gain=0.5, ridged=True)
    ridge = hr - 10 - 150 * (0.35 + 0.65 * ridge) * smoothstep(W * 1.1, W * 0.1, x1)
    yy = np.arange(H, dtype=np.float32)[:, None]
    mmask = np.clip(yy - ridge[None, :] + 0.5, 0, 1)
    mrel = np.clip((yy - ridge[None, :]) / 120.0, 0, 1)[..., None]
    snow = smoothstep(0.6, 0.75, fbm(H, W, 10, rng, octaves=3, aspect=0.5)) * (1 - mrel[..., 0]) ** 3 * 0.5
    mcol = lerp(col(14, 16, 24) * 0.03, col(60, 50, 50) * 0.025, mrel) + snow[..., None] * col(150, 160, 190) * 0.01
    sky = over(sky, mcol, mmask)
    img = rgb * a[..., None] + sky * (1 - a[..., None])
    out = develop(img, seed=23, exposure=7.5, bloom=0.03, vignette=0.45, grain=0.020,
                  chroma_grain=0.3, saturation=1.0)
    save_jpeg(out, "orbit-link-night.jpg")


# ----------------------------------------------------------------------------------
# 4. nightwatch-thermal: LWIR false-colour (ironbow) frame of a night perimeter scene
# ----------------------------------------------------------------------------------
THERMAL_POV = r"""
#include "shapes.inc"
// every surface "emits" its apparent temperature (0 = coldest sky, 1 = hottest);
// a weak overhead light adds the small shape-dependent variation seen in real LWIR
#macro Hot(T) texture { pigment { rgb T } finish { emission 1 diffuse 0.12 } } #end
#macro Person(Tskin, Tcloth, Tleg, ph)
blob { threshold 0.5
  sphere { <0,1.63,0>, 0.21, 1 Hot(Tskin) }
  cylinder { <0,1.45,0>, <0,1.55,0>, 0.14, 1 Hot(Tskin*0.95) }
  cylinder { <0,1.0,0>, <0,1.38,0>, 0.36, 1 Hot(Tcloth) }
  sphere { <0,1.05,0>, 0.34, 0.6 Hot(Tcloth) }
  // legs (walking)
  cylinder { <-0.09,0.95,0>, <-0.09,0.50,0.12*ph>, 0.17, 1 Hot(Tleg) }
  cylinder { <-0.09,0.50,0.12*ph>, <-0.09,0.06,0.30*ph>, 0.15, 1 Hot(Tleg*0.95) }
  cylinder { < 0.09,0.95,0>, < 0.09,0.50,-0.08*ph>, 0.17, 1 Hot(Tleg) }
  cylinder { < 0.09,0.50,-0.08*ph>, < 0.09,0.06,-0.25*ph>, 0.15, 1 Hot(Tleg*0.95) }
  // arms swinging
  cylinder { <-0.23,1.40,0>, <-0.26,1.08,-0.14*ph>, 0.13, 1 Hot(Tcloth*0.97) }
  cylinder { <-0.26,1.08,-0.14*ph>, <-0.25,0.85,-0.22*ph>, 0.12, 1 Hot(Tcloth*0.97) }
  sphere { <-0.25,0.80,-0.24*ph>, 0.11, 1 Hot(Tskin*0.97) }
  cylinder { < 0.23,1.40,0>, < 0.26,1.08,0.14*ph>, 0.13, 1 Hot(Tcloth*0.97) }
  cylinder { < 0.26,1.08,0.14*ph>, < 0.25,0.85,0.2*ph>, 0.12, 1 Hot(Tcloth*0.97) }
  sphere { < 0.25,0.80,0.22*ph>, 0.11, 1 Hot(Tskin*0.97) }
}
#end
"""


def ironbow(t):
    stops = np.array([0.0, 0.12, 0.28, 0.45, 0.60, 0.74, 0.87, 1.0], np.float32)
    cols = np.array([(0, 0, 8), (28, 0, 84), (100, 0, 150), (186, 24, 128), (228, 76, 40),
                     (248, 146, 4), (255, 214, 52), (255, 252, 230)], np.float32) / 255.0
    t = np.clip(t, 0, 1)
    return np.dstack([np.interp(t, stops, cols[:, c]) for c in range(3)])


def scene_thermal():
    W, H = 1920, 1440                         # 640x480 sensor shown 3x
    SW, SH = 640, 480
    rng = np.random.default_rng(31)
    scene = POV_HEAD + THERMAL_POV + r"""
camera { perspective location <-10.5,4.6,-17.5> look_at <0.6,2.9,2.5> angle 32 right x*4/3 }
light_source { <20,60,-30> color rgb 1 parallel point_at 0 }
background { rgb 0.02 }
// cold sky: slightly warmer toward the horizon
sphere { 0, 5000 hollow texture { pigment { gradient y colour_map { [0 rgb 0.26] [0.03 rgb 0.12] [0.2 rgb 0.03] [1 rgb 0.0] }
  scale 5000 } finish { emission 1 diffuse 0 } } }
// ground: cooling grass with a warm dirt track and a warm rectangle where the truck had been parked
plane { y, 0 texture { pigment { bozo colour_map { [0 rgb 0.29] [1 rgb 0.34] } scale 2 } finish { emission 1 diffuse 0.05 } } }
box { <-30,0,-0.6>, <30,0.005,2.6> texture { pigment { bozo colour_map { [0 rgb 0.37] [1 rgb 0.41] } scale 0.5 } finish { emission 1 diffuse 0.05 } } }
box { <-6.4,0,0.1>, <-2.4,0.01,2.1> texture { pigment { bozo colour_map { [0 rgb 0.43] [1 rgb 0.47] } scale 0.4 } finish { emission 1 diffuse 0 } } }
// pickup truck, engine just switched off
union {
  object { Round_Box(<-2.6,0.45,-0.95>, <2.6,1.05,0.95>, 0.12, 1) Hot(0.50) }
  object { Round_Box(<-2.55,0.45,-0.95>, <-1.15,1.1,0.95>, 0.1, 1) Hot(0.82) }        // hood / engine bay
  object { Round_Box(<-1.0,1.0,-0.9>, <0.6,1.75,0.9>, 0.14, 1) Hot(0.52) }           // cab
  box { <-1.05,1.12,-0.86>, <-0.7,1.68,0.86> Hot(0.18) }                              // windscreen (reflects sky)
  box { <-0.6,1.15,-0.92>, <0.4,1.62,-0.89> Hot(0.2) }                                // side window
  box { <-2.66,0.55,-0.7>, <-2.58,0.9,0.7> Hot(0.95) }                                // grille
  box { <0.75,1.0,-0.9>, <2.55,1.2,0.9> Hot(0.42) }                                   // bed sides
  #local i = 0;
  #while (i < 4)
    #local wx = (i < 2 ? -1.7 : 1.6);
    #local wz = (mod(i,2) = 0 ? -0.92 : 0.92);
    torus { 0.28, 0.12 rotate x*90 translate <wx,0.40,wz> Hot(0.66) }
    cylinder { <wx,0.40,wz-0.05>, <wx,0.40,wz+0.05>, 0.2 Hot(0.86) }
    #local i = i + 1;
  #end
  cylinder { <2.5,0.35,0.6>, <2.75,0.35,0.6>, 0.04 Hot(1.0) }
  rotate y*8 translate <2.0,0,1.1>
}
// two people walking along the track
object { Person(0.97, 0.74, 0.70, 1) rotate y*-80 translate <-1.4,0,0.7> }
object { Person(0.95, 0.70, 0.66, -0.7) rotate y*-95 translate <-2.5,0,1.6> }
// guard building: warm walls, cold glass, leaky frames, hot flue
union {
  box { <0,0,0>, <9,3.2,5> Hot(0.43) }
  box { <-0.1,3.2,-0.1>, <9.1,3.45,5.1> Hot(0.25) }
  box { <0,0,-0.01>, <9,0.5,0> Hot(0.5) }
  #local i = 0;
  #while (i < 4)
    box { <0.8+i*2.1,1.1,-0.06>, <2.2+i*2.1,2.4,-0.01> Hot(0.62) }
    box { <0.9+i*2.1,1.2,-0.08>, <2.1+i*2.1,2.3,-0.02> Hot(0.26) }
    #local i = i + 1;
  #end
  box { <7.6,0,-0.05>, <8.6,2.3,0> Hot(0.58) }
  cylinder { <8.2,3.2,4>, <8.2,4.4,4>, 0.12 Hot(0.97) }
  rotate y*-6 translate <-4,0,14>
}
// poplars and shrubs: slightly warmer than the sky, cooler than the ground
#declare Rt = seed(3);
#local i = 0;
#while (i < 16)
  #local tx = 6 + i*2.3 + 0.8*rand(Rt);
  #local tz = 9 + 2.5*rand(Rt);
  union {
    cylinder { 0, <0,2.5,0>, 0.16 Hot(0.40) }
    blob { threshold 0.5
      #local k = 0;
      #while (k < 9)
        sphere { <0.9*(rand(Rt)-0.5), 2.6+k*0.75+0.3*rand(Rt), 0.9*(rand(Rt)-0.5)>, 1.1+0.3*rand(Rt), 1 }
        #local k = k + 1;
      #end
      Hot(0.26+0.06*rand(Rt))
    }
    translate <tx,0,tz>
  }
  #local i = i + 1;
#end
// perimeter fence posts (wire is invisible at this range)
#local i = 0;
#while (i < 22)
  cylinder { <-22+i*3,0,7>, <-22+i*3,2.2,7>, 0.05 Hot(0.31) }
  #local i = i + 1;
#end
"""
    rgb = povray(scene, SW * 2, SH * 2, "thermal", aa="+A0.05 +AM2 +R2")
    heat = rgb.mean(-1)
    # sensor: optics blur, 640x480 microbolometer, temporal + column fixed-pattern noise,
    # mild vignetting ("narcissus"), then automatic gain control (percentile stretch)
    heat = blur(heat, 1.1)
    heat = resize(heat, (SW, SH), Image.BOX)
    yy, xx = np.mgrid[0:SH, 0:SW].astype(np.float32)
    r2 = ((xx - SW / 2) / SW) ** 2 + ((yy - SH / 2) / SH) ** 2
    heat = heat + 0.02 * (0.3 - r2)
    heat = heat + 0.7 * (heat - blur(heat, 4))            # DDE-style local contrast boost
    heat = heat + rng.normal(0, 0.006, (SH, SW)) + rng.normal(0, 0.004, (1, SW))
    heat = heat + 0.004 * blur(rng.normal(0, 1, (SH, SW)).astype(np.float32), 6)
    lo, hi = np.percentile(heat, 0.5), np.percentile(heat, 99.95)
    t = np.clip((heat - lo) / (hi - lo), 0, 1)
    t = t ** 0.9
    pal = ironbow(t)                                   # display-referred sRGB in 0..1
    img = resize(pal, (W, H), Image.BILINEAR)
    im = Image.fromarray(np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8), "RGB")
    # on-screen display of the camera
    d = ImageDraw.Draw(im)
    fm = font("DejaVuSansMono.ttf", 34)
    fs = font("DejaVuSansMono.ttf", 28)
    white = (240, 240, 235)
    def txt(xy, s, f=fm, anchor="la"):
        x, y = xy
        d.text((x + 2, y + 2), s, font=f, fill=(0, 0, 0), anchor=anchor)
        d.text((x, y), s, font=f, fill=white, anchor=anchor)
    txt((40, 34), "NIGHTWATCH T640   WFOV 24°   IRONBOW")
    txt((W - 40, 34), "02:47:13   -4°C AMB", anchor="ra")
    txt((40, H - 70), "AGC AUTO   NUC OK   REC ●", f=fs)
    cx, cy = W // 2, H // 2
    for (a, b) in [((cx - 60, cy), (cx - 18, cy)), ((cx + 18, cy), (cx + 60, cy)),
                   ((cx, cy - 60), (cx, cy - 18)), ((cx, cy + 18), (cx, cy + 60))]:
        d.line([(a[0] + 2, a[1] + 2), (b[0] + 2, b[1] + 2)], fill=(0, 0, 0), width=4)
        d.line([a, b], fill=white, width=4)
    # temperature scale bar on the right
    bx0, by0, bx1, by1 = W - 90, 260, W - 60, H - 260
    ramp = ironbow(np.linspace(1, 0, by1 - by0)[:, None] * np.ones((1, bx1 - bx0)))
    im.paste(Image.fromarray((ramp * 255).astype(np.uint8), "RGB"), (bx0, by0))
    d.rectangle([bx0 - 1, by0 - 1, bx1, by1], outline=white, width=2)
    txt((bx0 - 14, by0 - 6), "+37.5", f=fs, anchor="rt")
    txt((bx0 - 14, by1 - 26), "-6.0", f=fs, anchor="rt")
    # centre spot meter and hot-spot marker, read from the same AGC mapping as the bar
    def deg(v):
        return -6.0 + float(np.clip(v, 0, 1)) * 43.5
    txt((W // 2 + 80, H // 2 + 24), f"SP1 {deg(t[SH // 2, SW // 2]):+.1f}°C", f=fs)
    hy_, hx_ = np.unravel_index(np.argmax(blur(t, 1.0)), t.shape)
    mx, my = int(hx_ * W / SW), int(hy_ * H / SH)
    d.polygon([(mx, my - 8), (mx - 16, my - 36), (mx + 16, my - 36)], outline=(0, 0, 0), fill=white)
    txt((mx + 22, my - 62), f"MAX {deg(1.0):+.1f}°C", f=fs)
    save_jpeg(im, "nightwatch-thermal.jpg", quality=84)


# ----------------------------------------------------------------------------------
# 5. mesh-radio: radio node PCB with a rubber-duck antenna on an ESD-mat workbench
# ----------------------------------------------------------------------------------
def pcb_textures(path_col, path_bump, rng):
    """Paint the board artwork (soldermask, copper pours, traces, pads, vias, silkscreen).
    Board is 10 x 7 cm; returns px(x, z) mapping board cm -> image pixels."""
    TW, TH = 2000, 1400
    def px(x, z):
        return ((x + 5) / 10 * TW, (3.5 - z) / 7 * TH)
    img = Image.new("RGB", (TW, TH), (18, 82, 44))
    bump = Image.new("L", (TW, TH), 90)
    d, b = ImageDraw.Draw(img), ImageDraw.Draw(bump)
    # copper pours under the mask (slightly lighter green, raised)
    for (x0, z0, x1, z1) in [(-4.7, -3.2, -0.5, -1.2), (0.2, 1.2, 4.7, 3.2), (-4.7, 1.0, -2.8, 3.2)]:
        a, c = px(x0, z1), px(x1, z0)
        d.rectangle([a, c], fill=(30, 108, 56))
        b.rectangle([a, c], fill=120)
    # traces: orthogonal / 45-degree runs between random points
    for _ in range(140):
        x, z = rng.uniform(-4.6, 4.6), rng.uniform(-3.1, 3.1)
        pts = [px(x, z)]
        for _ in range(rng.integers(2, 5)):
            if rng.random() < 0.5:
                x = np.clip(x + rng.uniform(-2.5, 2.5), -4.7, 4.7)
            else:
                z = np.clip(z + rng.uniform(-2.0, 2.0), -3.2, 3.2)
            pts.append(px(x, z))
        wdt = int(rng.choice([5, 6, 8, 12]))
        d.line(pts, fill=(34, 118, 60), width=wdt, joint="curve")
        b.line(pts, fill=140, width=wdt, joint="curve")
    # vias
    for _ in range(260):
        cx, cy = px(rng.uniform(-4.7, 4.7), rng.uniform(-3.2, 3.2))
        d.ellipse([cx - 9, cy - 9, cx + 9, cy + 9], fill=(170, 150, 90))
        d.ellipse([cx - 4, cy - 4, cx + 4, cy + 4], fill=(20, 25, 20))
        b.ellipse([cx - 9, cy - 9, cx + 9, cy + 9], fill=150)
        b.ellipse([cx - 4, cy - 4, cx + 4, cy + 4], fill=30)
    # silkscreen
    silk = (232, 236, 228)
    f1, f2, f3 = font("DejaVuSans-Bold.ttf", 64), font("DejaVuSans.ttf", 38), font("DejaVuSans.ttf", 30)
    d.text(px(-4.6, -2.0), "MESH-NODE  v2.1", font=f1, fill=silk)
    d.text(px(-4.6, -2.65), "DTIP ALMATY  868/915 MHz", font=f2, fill=silk)
    d.text(px(2.2, -2.5), "2024-11", font=f3, fill=silk)
    for (lbl, x, z) in [("U1", -2.6, 1.0), ("U2", 0.3, 0.9), ("J1", 3.0, 3.0), ("Y1", -1.0, -0.5),
                        ("C12", -1.6, 1.4), ("R4", 1.8, -1.2), ("J2", -4.5, 0.9), ("D1", 4.0, -1.8),
                        ("BT1", -4.0, 2.7), ("L3", 2.6, 0.6)]:
        d.text(px(x, z), lbl, font=f3, fill=silk)
    # board outline on silkscreen + fiducials
    d.rectangle([px(-4.85, 3.35), px(4.85, -3.35)], outline=silk, width=4)
    for (x, z) in [(-4.5, 3.1), (4.5, -3.1)]:
        cx, cy = px(x, z)
        d.ellipse([cx - 14, cy - 14, cx + 14, cy + 14], fill=(205, 170, 90))
    # fine mask texture
    arr = np.asarray(img, np.float32)
    arr *= (1 + 0.04 * rng.standard_normal(arr.shape[:2]))[..., None]
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return img, bump, d, b, px


def scene_bench():
    W, H = 2000, 1334
    rng = np.random.default_rng(41)
    col_png, bump_png = os.path.join(TMP, "pcb.png"), os.path.join(TMP, "pcb_bump.png")
    img, bump, d, b, px = pcb_textures(col_png, bump_png, rng)
    parts = []                       # POV objects, board-top coordinates (cm), y = 0 at mask
    def pad(x0, z0, x1, z1):
        a, c = px(x0, z1), px(x1, z0)
        d.rectangle([a, c], fill=(196, 164, 92))
        b.rectangle([a, c], fill=170)
    def chip(x, z, sx, sz, h, name="IC", pins=True):
        if pins:
            pad(x - sx / 2 - 0.06, z - sz / 2 - 0.06, x + sx / 2 + 0.06, z + sz / 2 + 0.06)
        parts.append(f"object {{ Round_Box(<{x - sx / 2},0,{z - sz / 2}>, <{x + sx / 2},{h},{z + sz / 2}>, 0.015, 1) texture {{ ChipTex }} }}")
        if pins:
            n = max(4, int(sx / 0.065))
            for i in range(n):
                xx = x - sx / 2 + (i + 0.5) * sx / n
                for zz in (z - sz / 2 - 0.03, z + sz / 2 + 0.03):
                    parts.append(f"box {{ <{xx - 0.012},0,{zz - 0.03}>, <{xx + 0.012},0.03,{zz + 0.03}> texture {{ Tin }} }}")
    def passive(x, z, rot, kind):
        L, Wd, Hh = (0.16, 0.08, 0.06) if kind != "big" else (0.32, 0.16, 0.1)
        pad(x - L / 2 - 0.03, z - Wd / 2 - 0.02, x + L / 2 + 0.03, z + Wd / 2 + 0.02) if rot == 0 else \
            pad(x - Wd / 2 - 0.02, z - L / 2 - 0.03, x + Wd / 2 + 0.02, z + L / 2 + 0.03)
        body = "CapTex" if kind in ("cap", "big") else "ResTex"
        parts.append(f"union {{ box {{ <{-L / 2 + 0.03},0,{-Wd / 2}>, <{L / 2 - 0.03},{Hh},{Wd / 2}> texture {{ {body} }} }}"
                     f" box {{ <{-L / 2},0,{-Wd / 2}>, <{-L / 2 + 0.03},{Hh},{Wd / 2}> texture {{ Tin }} }}"
                     f" box {{ <{L / 2 - 0.03},0,{-Wd / 2}>, <{L / 2},{Hh},{Wd / 2}> texture {{ Tin }} }}"
                     f" rotate y*{rot} translate <{x},0,{z}> }}")
    # main parts
    chip(-2.4, 1.5, 0.9, 0.9, 0.09)                           # MCU (QFN)
    chip(-3.8, -0.3, 0.5, 0.4, 0.12)                          # regulator
    chip(2.4, -0.6, 0.6, 0.6, 0.08)                           # flash
    # RF shield can over the transceiver
    pad(-0.9, -0.5, 1.5, 1.6)
    parts.append("""union { difference { box { <-0.8,0,-0.4>, <1.4,0.32,1.5> } box { <-0.78,-0.1,-0.38>, <1.38,0.3,1.48> }
                     #local i=0; #while (i<7) cylinder { <-0.55+i*0.3,0.2,0.3>, <-0.55+i*0.3,0.4,0.3>, 0.045 }
                     cylinder { <-0.55+i*0.3,0.2,0.9>, <-0.55+i*0.3,0.4,0.9>, 0.045 } #local i=i+1; #end }
                     texture { ShieldTex } }""")
    # crystal
    pad(-1.3, -0.7, -0.7, -0.3)
    parts.append("object { Round_Box(<-1.25,0,-0.66>, <-0.75,0.12,-0.34>, 0.03, 1) texture { ShieldTex } }")
    # vertical SMA jack + rubber-duck antenna
    pad(2.6, 2.2, 3.6, 3.2)
    parts.append("""union {
       box { <-0.32,0,-0.32>, <0.32,0.2,0.32> texture { Gold } }
       cylinder { <0,0.2,0>, <0,0.85,0>, 0.31 texture { Gold } normal { gradient y 0.6 scale 0.07 } }
       cylinder { <0,0.85,0>, <0,1.05,0>, 0.42 texture { Gold } }
       cylinder { <0,1.05,0>, <0,1.55,0>, 0.45 texture { Rubber } }
       sphere { <0,1.6,0>, 0.47 texture { Rubber } }
       union {
         cylinder { <0,1.6,0>, <0,2.3,0>, 0.45 }
         cone { <0,2.3,0>, 0.47, <0,18.5,0>, 0.36 }
         sphere { <0,18.5,0>, 0.36 }
         texture { Rubber }
         rotate z*-6 rotate y*20 translate <0,0,0>
       }
       translate <3.1,0,2.7> }""")
    # USB-C receptacle, pin header, JST battery connector, antenna LED
    pad(-5.0, 0.1, -4.3, 1.1)
    parts.append("object { Round_Box(<-5.08,0,0.2>, <-4.35,0.32,1.0>, 0.1, 1) texture { Steel } }")
    parts.append("box { <-3.4,0,-3.25>, <0.8,0.25,-2.95> texture { ChipTex } }")
    for i in range(17):
        xx = -3.27 + i * 0.254
        pad(xx - 0.08, -3.18, xx + 0.08, -3.02)
        parts.append(f"box {{ <{xx - 0.032},0,{-3.13}>, <{xx + 0.032},0.85,{-3.07}> texture {{ Gold }} }}")
    pad(-4.6, 2.2, -3.4, 3.2)
    parts.append("box { <-4.5,0,2.35>, <-3.5,0.45,3.0> texture { pigment { rgb <0.8,0.78,0.72> } finish { diffuse 0.8 specular 0.2 } } }")
    parts.append("box { <4.0,0,-1.55>, <4.16,0.06,-1.47> texture { pigment { rgb <0.2,1,0.3> } finish { emission 3 } } }")
    parts.append("box { <4.3,0,-1.55>, <4.46,0.06,-1.47> texture { pigment { rgb <1,0.4,0.1> } finish { emission 1.2 } } }")
    # sprinkle of passives, avoiding the big parts
    keep_out = [(-3.0, 0.9, -1.8, 2.1), (-1.0, -0.6, 1.6, 1.7), (2.5, 2.1, 3.7, 3.3), (-5, 0, -4.2, 1.2),
                (-3.5, -3.3, 0.9, -2.9), (-4.7, 2.1, -3.3, 3.2), (-4.9, -2.8, 1.6, -1.6), (2.0, -1.1, 2.9, -0.1)]
    n = 0
    while n < 120:
        x, z = rng.uniform(-4.6, 4.6), rng.uniform(-3.0, 3.1)
        if any(x0 - 0.2 < x < x1 + 0.2 and z0 - 0.2 < z < z1 + 0.2 for (x0, z0, x1, z1) in keep_out):
            continue
        passive(x, z, 0 if rng.random() < 0.6 else 90, rng.choice(["cap", "res", "cap", "big"]))
        n += 1
    img.save(col_png)
    bump.save(bump_png)

    scene = POV_HEAD + r"""
#include "shapes.inc"
global_settings { radiosity { pretrace_start 0.08 pretrace_end 0.02 count 50 nearest_count 5
                              error_bound 1.2 recursion_limit 1 brightness 1 } }
#declare ChipTex = texture { pigment { rgb 0.018 } normal { bumps 0.1 scale 0.01 } finish { diffuse 0.6 specular 0.25 roughness 0.05 } }
#declare Tin = texture { pigment { rgb 0.75 } finish { diffuse 0.3 specular 0.8 roughness 0.01 metallic reflection 0.3 } }
#declare Gold = texture { pigment { rgb <0.85,0.62,0.28> } finish { diffuse 0.35 specular 0.8 roughness 0.008 metallic reflection 0.35 } }
#declare Steel = texture { pigment { rgb 0.6 } normal { bumps 0.02 scale 0.02 } finish { diffuse 0.35 specular 0.6 roughness 0.02 metallic reflection 0.25 } }
#declare ShieldTex = texture { pigment { rgb <0.72,0.72,0.70> } normal { granite 0.05 scale 0.2 } finish { diffuse 0.4 specular 0.5 roughness 0.03 metallic reflection 0.2 } }
#declare CapTex = texture { pigment { rgb <0.42,0.33,0.22> } finish { diffuse 0.7 specular 0.2 } }
#declare ResTex = texture { pigment { rgb 0.03 } finish { diffuse 0.7 specular 0.2 } }
#declare Rubber = texture { pigment { rgb 0.016 } normal { granite 0.1 scale 0.2 } finish { diffuse 0.7 specular 0.12 roughness 0.05 } }
camera { perspective location <-11,10.5,-23> look_at <0.6,2.4,2.2> angle 40 right x*2000/1334
         aperture 1.2 blur_samples 28 focal_point <0.8,0.9,0.0> confidence 0.85 variance 1/200 }
// warm desk lamp (key), cool window (back-right), faint fill
light_source { <-26,34,-6> color rgb <1.0,0.80,0.58>*1.6 area_light <8,0,0>, <0,0,8>, 4, 4 adaptive 1 jitter circular orient }
light_source { <70,55,90> color rgb <0.55,0.66,0.85>*0.45 area_light <40,0,0>, <0,30,0>, 3, 3 adaptive 1 jitter circular orient }
sphere { 0, 2000 hollow no_image texture { pigment { rgb <0.03,0.033,0.04> } finish { emission 1 diffuse 0 } } }
// ESD mat on the bench
box { <-80,-0.3,-40>, <80,0,60>
  texture { pigment { granite colour_map { [0 rgb <0.030,0.040,0.052>] [1 rgb <0.042,0.052,0.064>] } scale 0.8 }
            normal { bumps 0.25 scale 0.04 } finish { diffuse 0.8 specular 0.12 roughness 0.06 } } }
box { <-80,-4,-40.2>, <80,-0.3,-39> texture { pigment { rgb <0.35,0.22,0.12> } finish { diffuse 0.7 } } }
// the board: FR4 with image-mapped artwork, on brass standoffs
#declare Board = union {
  box { <-5,-0.16,-3.5>, <5,0,3.5> texture { pigment { rgb <0.55,0.50,0.30> } finish { diffuse 0.8 } } }
  box { <-5,-0.001,-3.5>, <5,0.0,3.5>
    texture { pigment { image_map { png "PCBCOL" interpolate 2 } rotate x*90 scale <10,1,7> translate <-5,0,-3.5> }
              normal { bump_map { png "PCBBUMP" interpolate 2 bump_size 0.6 } rotate x*90 scale <10,1,7> translate <-5,0,-3.5> }
              finish { diffuse 0.75 specular 0.45 roughness 0.012 reflection { 0.0, 0.06 } } } }
  PARTS
}
#local s = 0;
#while (s < 4)
  cylinder { <0,0,0>, <0,0.5,0>, 0.2 translate <(s<2?-4.6:4.6),0,(mod(s,2)=0?-3.1:3.1)> texture { Gold } }
  #local s = s + 1;
#end
object { Board translate y*0.66 }
// LiPo pouch cell with leads to the JST connector
union {
  box { <-3,0,-1.7>, <3,0.75,1.7> texture { pigment { rgb <0.30,0.31,0.33> } normal { wrinkles 0.15 scale 0.5 }
        finish { diffuse 0.5 specular 0.5 roughness 0.02 metallic reflection 0.1 } } }
  box { <-2.0,0.751,-1.2>, <1.0,0.752,1.2> texture { pigment { rgb <0.05,0.2,0.5> } finish { diffuse 0.7 } } }
  rotate y*-12 translate <-12.5,0,3.5>
}
sphere_sweep { b_spline 6, <-8,0.3,4.2>, 0.09, <-9.2,0.2,4.5>, 0.09, <-8,0.25,4.8>, 0.09, <-6,1.2,3.5>, 0.09,
               <-4.2,1.0,3.0>, 0.09, <-3.9,1.0,2.9>, 0.09 texture { pigment { rgb <0.6,0.02,0.02> } finish { specular 0.4 roughness 0.02 } } }
sphere_sweep { b_spline 6, <-8,0.3,3.8>, 0.09, <-9.3,0.2,4.0>, 0.09, <-8.2,0.25,4.35>, 0.09, <-6,1.1,3.1>, 0.09,
               <-4.2,0.95,2.7>, 0.09, <-3.9,0.95,2.6>, 0.09 texture { pigment { rgb 0.02 } finish { specular 0.4 roughness 0.02 } } }
// grey 3D-printed enclosure (open) behind the board
union {
  difference {
    object { Round_Box(<-6.5,0,-4>, <6.5,3.2,4>, 0.6, 1) }
    object { Round_Box(<-6.0,0.4,-3.5>, <6.0,4.0,3.5>, 0.4, 1) }
  }
  texture { pigment { rgb <0.09,0.095,0.10> } normal { gradient y 0.35 scale 0.02 } finish { diffuse 0.8 specular 0.15 roughness 0.05 } }
  rotate y*14 translate <4,0,17>
}
// tweezers and a solder spool
union {
  box { <0,0,-0.12>, <11,0.08,0.12> rotate y*3 }
  box { <0,0,-0.12>, <11,0.08,0.12> rotate y*-3 translate y*0.1 }
  texture { Steel } rotate y*-30 translate <6,0,-9>
}
union {
  difference { cylinder { <0,0,0>, <0,2.4,0>, 2.7 } cylinder { <0,-1,0>, <0,3,0>, 0.8 } }
  cylinder { <0,0.15,0>, <0,2.25,0>, 2.2 texture { pigment { rgb 0.7 } normal { gradient y 0.8 scale 0.06 } finish { diffuse 0.3 specular 0.7 roughness 0.01 metallic reflection 0.3 } } }
  texture { pigment { rgb <0.7,0.1,0.08> } finish { diffuse 0.7 specular 0.3 } }
  translate <-14,0,16>
}
// soldering station and lab instruments far behind, with indicator LEDs and a scope screen
box { <-60,0,70>, <60,60,71> texture { pigment { rgb 0.02 } finish { diffuse 0.8 } } }
box { <-30,0,45>, <-2,12,55> texture { pigment { rgb 0.008 } finish { diffuse 0.6 specular 0.3 roughness 0.02 } } }
box { <2,0,47>, <22,8,57> texture { pigment { rgb <0.03,0.03,0.032> } finish { diffuse 0.6 specular 0.3 roughness 0.02 } } }
box { <24,0,44>, <40,14,54> texture { pigment { rgb 0.01 } finish { diffuse 0.6 specular 0.3 roughness 0.02 } } }
#local i = 0;
#while (i < 10)
  sphere { <26+mod(i,5)*2.6, 10-floor(i/5)*2.5, 43.8>, 0.3 texture { pigment { rgb (mod(i,3)=0 ? <1,0.3,0.1> : <0.2,1,0.3>) } finish { emission 5 } } }
  #local i = i + 1;
#end
box { <-24,2.5,44.9>, <-6,10,44.95> texture { pigment { gradient y colour_map { [0 rgb <0.05,0.12,0.14>] [1 rgb <0.05,0.16,0.18>] } scale 12 translate y*4 }
      finish { emission 1 diffuse 0 } } }
#local i = 0;
#while (i < 40)
  sphere { <-22 + i*0.4, 6.2 + 1.6*sin(i*0.9) + 0.6*sin(i*2.7), 44.8>, 0.2 texture { pigment { rgb <0.9,0.9,0.2> } finish { emission 3 } } }
  #local i = i + 1;
#end
sphere { <6,6,46.8>, 0.35 texture { pigment { rgb <0.1,1,0.2> } finish { emission 6 } } }
sphere { <9,6,46.8>, 0.35 texture { pigment { rgb <1,0.2,0.1> } finish { emission 6 } } }
sphere { <14,6,46.8>, 0.5 texture { pigment { rgb <0.3,0.6,1> } finish { emission 5 } } }
sphere { <18,6.5,46.8>, 0.3 texture { pigment { rgb <1,0.6,0.1> } finish { emission 6 } } }
cylinder { <-26,0,30>, <-26,9,34>, 0.9 texture { pigment { rgb <0.15,0.4,0.8> } finish { specular 0.3 } } }
""".replace("PARTS", "\n  ".join(parts)).replace("PCBCOL", col_png).replace("PCBBUMP", bump_png)
    lin = povray(scene, W, H, "bench", aa="+A0.08 +AM2 +R2")
    out = develop(lin, seed=41, exposure=1.5, bloom=0.05, vignette=0.4, grain=0.014,
                  chroma_grain=0.2, saturation=1.0)
    save_jpeg(out, "mesh-radio-bench.jpg")


# ----------------------------------------------------------------------------------
# 6. demo day: presenter on stage in front of a projection screen, audience in front
# ----------------------------------------------------------------------------------
def perspective_coeffs(dst, src):
    """Coefficients for Image.transform(PERSPECTIVE) mapping output quad dst -> input src."""
    A, B = [], []
    for (x, y), (u, v) in zip(dst, src):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); B.append(u)
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y]); B.append(v)
    return np.linalg.solve(np.array(A, float), np.array(B, float)).tolist()


def make_slide(w, h):
    slide = Image.new("RGB", (w, h), (12, 22, 44))
    arr = np.asarray(slide, np.float32)
    g = np.linspace(0, 1, w)[None, :, None]
    arr = arr * (1 - g * 0.4) + np.array([20, 40, 70]) * g * 0.6
    slide = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    d = ImageDraw.Draw(slide)
    d.rectangle([0, 0, w, 10], fill=(230, 120, 30))
    d.text((70, 60), "KESTREL UAV", font=font("DejaVuSans-Bold.ttf", 96), fill=(245, 245, 245))
    d.text((74, 175), "Field trials, Q3 — 14 sorties, 0 losses", font=font("DejaVuSans.ttf", 44), fill=(170, 195, 230))
    # photo thumbnail (re-uses the dusk photo when it exists)
    ph = os.path.join(OUT, "kestrel-dusk.jpg")
    if os.path.exists(ph):
        th = Image.open(ph).convert("RGB").resize((700, 466), Image.LANCZOS)
    else:
        th = Image.new("RGB", (700, 466), (180, 120, 90))
    slide.paste(th, (70, 300))
    # bar chart: endurance per airframe revision
    bx, by = 880, 760
    d.text((bx, 300), "Endurance, min", font=font("DejaVuSans.ttf", 40), fill=(200, 210, 230))
    for i, v in enumerate([48, 63, 71, 95]):
        x0 = bx + 40 + i * 150
        hgt = v * 3.6
        d.rectangle([x0, by - hgt, x0 + 100, by], fill=(230, 120, 30) if i == 3 else (90, 130, 190))
        d.text((x0 + 50, by - hgt - 50), str(v), font=font("DejaVuSans-Bold.ttf", 38), fill=(240, 240, 240), anchor="ma")
        d.text((x0 + 50, by + 16), f"v{i + 1}", font=font("DejaVuSans.ttf", 32), fill=(170, 185, 210), anchor="ma")
    d.line([(bx + 20, by), (bx + 640, by)], fill=(170, 185, 210), width=3)
    d.text((70, h - 80), "Defense Tech IT Park · Almaty · Demo Day", font=font("DejaVuSans.ttf", 34), fill=(150, 165, 190))
    return slide


PRESENTER_POV = r"""
#macro Skin() texture { pigment { rgb <0.40,0.24,0.16> } finish { diffuse 0.8 specular 0.12 roughness 0.05 } } #end
#macro Suit() texture { pigment { rgb <0.012,0.014,0.02> } normal { bumps 0.15 scale 0.02 } finish { diffuse 0.8 specular 0.05 roughness 0.1 } } #end
#macro Shirt() texture { pigment { rgb <0.75,0.78,0.82> } finish { diffuse 0.85 } } #end
#declare Presenter = union {
  // legs and shoes
  sphere_sweep { linear_spline 3, <-0.10,0.93,0>, 0.085, <-0.10,0.50,0.01>, 0.062, <-0.10,0.10,0.02>, 0.05 Suit() }
  sphere_sweep { linear_spline 3, < 0.10,0.93,0>, 0.085, < 0.12,0.50,-0.03>, 0.062, < 0.14,0.10,-0.05>, 0.05 Suit() }
  sphere { 0, 1 scale <0.05,0.045,0.13> translate <-0.10,0.045,-0.03> texture { pigment { rgb 0.015 } finish { specular 0.6 roughness 0.01 } } }
  sphere { 0, 1 scale <0.05,0.045,0.13> translate < 0.145,0.045,-0.10> texture { pigment { rgb 0.015 } finish { specular 0.6 roughness 0.01 } } }
  // jacket torso, shoulders, collar
  cone { <0,0.88,0>, 0.175, <0,1.40,0>, 0.205 scale <1,1,0.62> Suit() }
  sphere_sweep { linear_spline 2, <-0.19,1.40,0>, 0.065, <0.19,1.40,0>, 0.065 scale <1,1,0.9> Suit() }
  sphere { 0, 1 scale <0.205,0.06,0.13> translate y*1.42 Suit() }
  cone { <0,1.24,-0.115>, 0.0, <0,1.45,-0.10>, 0.06 scale <1,1,1> Shirt() }
  // arms: left down with clicker, right raised toward the screen
  sphere_sweep { linear_spline 3, <-0.22,1.39,0>, 0.058, <-0.26,1.12,-0.04>, 0.048, <-0.21,0.93,-0.17>, 0.038 Suit() }
  sphere { 0, 1 scale <0.04,0.085,0.05> translate <-0.205,0.88,-0.19> Skin() }
  sphere_sweep { linear_spline 3, <0.22,1.39,0>, 0.058, <0.42,1.23,-0.08>, 0.048, <0.62,1.33,-0.13>, 0.038 Suit() }
  sphere { 0, 1 scale <0.085,0.045,0.05> rotate z*20 translate <0.69,1.36,-0.14> Skin() }
  // neck, head, hair
  cylinder { <0,1.43,0>, <0,1.57,0>, 0.056 Skin() }
  sphere { 0, 1 scale <0.08,0.112,0.095> translate <0,1.665,-0.005> Skin() }
  sphere { 0, 1 scale <0.086,0.075,0.1> translate <0,1.715,0.012> texture { pigment { rgb 0.018 } normal { bumps 0.4 scale 0.01 } finish { diffuse 0.7 specular 0.25 roughness 0.05 } } }
  rotate y*25
}
"""


def scene_stage():
    W, H = 2400, 1350
    rng = np.random.default_rng(61)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    floor_y, edge_y = int(H * 0.605), int(H * 0.715)
    # --- room: dark back wall with a faint wash, stage floor, riser ------------------
    img = np.zeros((H, W, 3), np.float32)
    wall = col(30, 32, 48) * 0.05 * (0.6 + 0.8 * fbm(H, W, 300, rng, octaves=3))[..., None]
    img[:] = wall
    # coloured wall washes from floor uplights
    for (cx, c) in [(0.08, col(120, 60, 255)), (0.93, col(120, 60, 255)), (0.28, col(40, 90, 255))]:
        g = np.exp(-((xx - cx * W) / (W * 0.07)) ** 2) * smoothstep(0, floor_y, yy) ** 2.5
        img += g[..., None] * c * 0.12
    # --- projection screen ----------------------------------------------------------
    quad = [(0.36 * W, 0.10 * H), (0.90 * W, 0.135 * H), (0.90 * W, 0.545 * H), (0.36 * W, 0.575 * H)]
    sw, sh = 1600, 900
    slide = make_slide(sw, sh)
    coeffs = perspective_coeffs(quad, [(0, 0), (sw, 0), (sw, sh), (0, sh)])
    warped = slide.transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    smask = Image.new("L", (W * 2, H * 2), 0)
    ImageDraw.Draw(smask).polygon([(x * 2, y * 2) for x, y in quad], fill=255)
    smask = np.asarray(smask.resize((W, H), Image.LANCZOS), np.float32) / 255
    scr = blur(srgb_to_linear(np.asarray(warped, np.float32) / 255), 1.0)
    scr = scr * 0.85 + 0.035                                 # projector black level
    hot = np.exp(-(((xx - 0.6 * W) / (W * 0.3)) ** 2 + ((yy - 0.32 * H) / (H * 0.3)) ** 2))
    scr = scr * (0.8 + 0.45 * hot)[..., None] * 1.5          # hotspot of the projector
    img = over(img, scr, smask)
    # frame of the screen
    frame = mask_draw(W, H, 2, lambda dr, s: dr.line([(x * s, y * s) for x, y in quad + [quad[0]]], fill=255, width=int(10 * s)))
    img = over(img, col(10, 10, 12) * 0.1, frame * (1 - smask))
    # light spilled from the screen onto the wall
    spill = blur_big(smask, 120)
    img += spill[..., None] * col(120, 150, 220) * 0.06
    # --- stage floor: glossy, reflecting the screen ----------------------------------
    fl = (yy >= floor_y) & (yy < edge_y)
    floor = col(40, 36, 40) * 0.04 * np.ones_like(img)
    depth = np.clip((yy - floor_y) / (edge_y - floor_y), 0, 1)
    mirror_rows = np.clip(2 * floor_y - yy.astype(int), 0, H - 1)
    refl = img[mirror_rows, xx.astype(int)]
    refl = blur(refl, 10) * (0.22 * (1 - depth) ** 1.5)[..., None]
    floor = floor + refl
    img = np.where(fl[..., None], floor, img)
    # riser with an LED strip along the stage edge
    riser = (yy >= edge_y) & (yy < edge_y + H * 0.07)
    img = np.where(riser[..., None], col(10, 10, 14) * 0.03, img)
    strip = np.exp(-((yy - edge_y - 3) / 2.0) ** 2)
    img += strip[..., None] * col(40, 110, 255) * 1.4
    # --- presenter (POV-Ray, lit by a warm follow spot and the screen) --------------
    scene = POV_HEAD + PRESENTER_POV + r"""
camera { orthographic location <0,0.95,-10> look_at <0,0.95,0> right x*1.6 up y*2.4 }
light_source { <-4,8,-10> color rgb <1.0,0.82,0.6>*1.1 area_light <1,0,0>, <0,1,0>, 4, 4 adaptive 1 jitter circular orient }
light_source { <6,2,3> color rgb <0.45,0.6,1.0>*1.6 area_light <2,0,0>, <0,2,0>, 3, 3 adaptive 1 jitter circular orient }
object { Presenter }
"""
    prgb, pa = povray(scene, 640, 960, "presenter", alpha=True, aa="+A0.05 +AM2 +R3")
    ph_ = int(H * 0.33)
    pw_ = int(ph_ * 640 / 960)
    prgb = resize(prgb, (pw_, ph_), Image.LANCZOS)
    pa = np.clip(resize(pa, (pw_, ph_), Image.LANCZOS), 0, 1)
    prgb, pa = blur(prgb * pa[..., None], 0.9), blur(pa, 0.9)      # slight softness / motion
    prgb = prgb / np.maximum(pa, 1e-3)[..., None]
    px0, py0 = int(0.225 * W), int(floor_y + H * 0.045 - ph_)
    reg = img[py0:py0 + ph_, px0:px0 + pw_]
    # contact shadow + spot pool on the floor
    pool = np.exp(-(((xx - (px0 + pw_ * 0.45)) / (W * 0.09)) ** 2 + ((yy - (py0 + ph_)) / (H * 0.025)) ** 2))
    img += (pool * fl)[..., None] * col(255, 210, 160) * 0.5
    reg = img[py0:py0 + ph_, px0:px0 + pw_]
    img[py0:py0 + ph_, px0:px0 + pw_] = over(reg, prgb * 1.0, pa)
    # lectern with a laptop glow
    lect = mask_draw(W, H, 3, lambda dr, s: dr.polygon([(0.13 * W * s, 0.44 * H * s), (0.205 * W * s, 0.44 * H * s),
                                                       (0.198 * W * s, 0.66 * H * s), (0.137 * W * s, 0.66 * H * s)], fill=255))
    lg = smoothstep(0.44 * H, 0.66 * H, yy)
    img = over(img, lerp(col(60, 60, 70) * 0.09, col(20, 20, 25) * 0.02, lg), lect)
    lap = mask_draw(W, H, 3, lambda dr, s: dr.polygon([(0.145 * W * s, 0.405 * H * s), (0.19 * W * s, 0.40 * H * s),
                                                      (0.192 * W * s, 0.44 * H * s), (0.143 * W * s, 0.44 * H * s)], fill=255))
    img = over(img, col(200, 215, 255) * 0.5, lap)
    logo = mask_draw(W, H, 3, lambda dr, s: dr.text((0.146 * W * s, 0.50 * H * s), "DTIP", font=font("DejaVuSans-Bold.ttf", int(44 * s)), fill=255))
    img += logo[..., None] * col(240, 240, 255) * 0.5
    # --- haze + spotlight beams from the truss -------------------------------------
    beams = np.zeros((H, W), np.float32)
    def beam(x0, y0, x1, y1, w0, w1, k):
        m = mask_draw(W, H, 1, lambda dr, s: dr.polygon([(x0 - w0, y0), (x0 + w0, y0), (x1 + w1, y1), (x1 - w1, y1)], fill=255))
        t = np.clip((yy - y0) / max(1, (y1 - y0)), 0, 1)
        return blur(m, 18) * (1 - 0.6 * t) * k
    beams += beam(0.30 * W, 0, 0.27 * W, 0.66 * H, 10, 110, 1.0)
    beams += beam(0.12 * W, 0, 0.22 * W, 0.62 * H, 8, 90, 0.5)
    beams += beam(0.70 * W, 0, 0.52 * W, 0.62 * H, 8, 120, 0.35)
    haze = 0.6 + 0.6 * fbm(H, W, 140, rng, octaves=4)
    img += (beams * haze)[..., None] * col(255, 220, 180) * 0.035
    img += (blur_big(smask, 200) * haze)[..., None] * col(140, 170, 255) * 0.02
    # truss fixtures along the top: bright lamps with bloom
    for i in range(9):
        lx = (0.06 + i * 0.11) * W
        ly = 0.035 * H + 6 * np.sin(i)
        r2 = (xx - lx) ** 2 + (yy - ly) ** 2
        c = col(255, 200, 150) if i % 3 else col(160, 120, 255)
        img += np.exp(-r2 / 60.0)[..., None] * c * 6 + np.exp(-r2 / 1500.0)[..., None] * c * 0.15
    truss = mask_draw(W, H, 2, lambda dr, s: [dr.rectangle([0, 0.01 * H * s, W * s, 0.02 * H * s], fill=200),
                                              dr.rectangle([0, 0.05 * H * s, W * s, 0.057 * H * s], fill=200)])
    img = over(img, col(20, 20, 24) * 0.03, truss)
    # --- audience: rows of heads, nearer rows larger and more out of focus ---------
    rows = [(0.775, 50, 1.2, 30), (0.83, 66, 2.0, 24), (0.90, 88, 3.5, 19), (1.0, 120, 6.0, 14),
            (1.15, 175, 10.0, 10)]
    for row, (ybase, size, bl, dens) in enumerate(rows):
        heads = []
        xs = np.sort(rng.uniform(-0.04, 1.04, dens)) * W
        def draw(dr, s, xs=xs, ybase=ybase, size=size):
            for x in xs:
                sz = size * rng.uniform(0.85, 1.15)
                y = ybase * H + rng.uniform(-0.2, 0.2) * sz
                hw = rng.uniform(0.30, 0.40)                      # head width (turned / hair)
                tilt = rng.uniform(-0.08, 0.08) * sz
                dr.ellipse([(x - sz * hw + tilt) * s, (y - sz * 1.0) * s, (x + sz * hw + tilt) * s, (y - sz * 0.05) * s], fill=255)
                dr.ellipse([(x - sz * 0.17) * s, (y - sz * 0.25) * s, (x + sz * 0.17) * s, (y + sz * 0.3) * s], fill=255)
                sw_ = rng.uniform(0.9, 1.2)
                dr.ellipse([(x - sz * sw_) * s, (y - sz * 0.05) * s, (x + sz * sw_) * s, (y + sz * 2.0) * s], fill=255)
                if rng.random() < 0.15:                            # hair bun / hood
                    dr.ellipse([(x - sz * 0.14 + tilt) * s, (y - sz * 1.12) * s, (x + sz * 0.14 + tilt) * s, (y - sz * 0.84) * s], fill=255)
                heads.append((x, y, sz))
        m = mask_draw(W, H, 2, draw)
        m = blur(m, bl)
        # rim light on the tops of heads from the screen/stage, stronger toward the screen side
        shifted = np.roll(m, int(size * 0.05) + 1, axis=0)
        rim = np.clip(m - shifted, 0, 1) * (0.4 + 0.8 * smoothstep(0, W, xx))
        base = col(14, 12, 16) * 0.010 * (1 + row * 0.15)
        img = over(img, base, m)
        img += blur(rim, bl * 0.6 + 1)[..., None] * col(150, 170, 255) * (0.06 - 0.008 * row)
        # a couple of phones filming the stage in the nearer rows
        if row in (2, 3):
            for (x, y, sz) in heads[1 + row::6]:
                pw2, ph2 = sz * 0.30, sz * 0.52
                fx, fy = x + sz * 0.45, y - sz * 1.3
                pm = mask_draw(W, H, 2, lambda dr, s: dr.rounded_rectangle([(fx - pw2 / 2) * s, (fy - ph2 / 2) * s,
                                                                           (fx + pw2 / 2) * s, (fy + ph2 / 2) * s],
                                                                          radius=int(sz * 0.05 * s), fill=255))
                pm = blur(pm, bl * 0.8)
                img = over(img, col(170, 190, 230) * 0.55, pm * 0.95)
                img += blur(pm, 20)[..., None] * col(150, 170, 255) * 0.05
    out = develop(img, seed=61, exposure=1.6, bloom=0.10, vignette=0.45, grain=0.016,
                  grain_size=0.9, chroma_grain=0.25, saturation=1.05)
    save_jpeg(out, "demo-day-stage.jpg")


SCENES = {
    "kestrel": scene_kestrel,
    "rover": scene_rover_field,
    "cutout": scene_rover_cutout,
    "dish": scene_dish,
    "thermal": scene_thermal,
    "bench": scene_bench,
    "stage": scene_stage,
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(SCENES)
    for n in names:
        print("rendering", n)
        SCENES[n]()
