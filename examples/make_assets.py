#!/usr/bin/env python3
"""Procedural image assets for the bundled adloom examples.

Every picture under examples/*/img/ is drawn by this script: no photo, clip-art
or icon comes from anywhere else. Shapes are drawn at SS x the final size and
downsampled with LANCZOS for anti-aliasing; randomness comes from fixed seeds,
so running the script again writes byte-identical files (given the same
Pillow / numpy / libjpeg versions).

    pip install pillow numpy
    python examples/make_assets.py            # writes everything
    python examples/make_assets.py umbrella   # only assets whose name matches

The only font used is DejaVu Sans (installed on Debian as fonts-dejavu-core),
for the brand wordmarks and the few words on the phone mockup; the committed
PNGs carry the rendered result, not the font.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
JPEG_QUALITY = 85

# --------------------------------------------------------------------------
# small colour / geometry helpers
# --------------------------------------------------------------------------


def hexc(s: str, a: int | None = None) -> tuple:
    s = s.lstrip("#")
    rgb = tuple(int(s[i : i + 2], 16) for i in (0, 2, 4))
    return rgb if a is None else rgb + (a,)


def mix(c1, c2, t):
    return tuple(int(round(a + (b - a) * t)) for a, b in zip(c1, c2))


def clamp01(x):
    return np.clip(x, 0.0, 1.0)


def bezier(p0, p1, p2, p3=None, n=40):
    """Points on a quadratic (3 pts) or cubic (4 pts) Bezier curve."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    p0, p1, p2 = (np.asarray(p, float) for p in (p0, p1, p2))
    if p3 is None:
        pts = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t**2 * p2
    else:
        p3 = np.asarray(p3, float)
        pts = (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3
    return [tuple(p) for p in pts]


def ellipse_pts(cx, cy, rx, ry, a0=0.0, a1=360.0, n=120, rot=0.0):
    out = []
    cr, sr = math.cos(math.radians(rot)), math.sin(math.radians(rot))
    for i in range(n + 1):
        a = math.radians(a0 + (a1 - a0) * i / n)
        x, y = rx * math.cos(a), ry * math.sin(a)
        out.append((cx + x * cr - y * sr, cy + x * sr + y * cr))
    return out


def rounded_rect_pts(x0, y0, x1, y1, r, n=12):
    pts = []
    for cx, cy, a0 in ((x1 - r, y0 + r, -90), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90), (x0 + r, y0 + r, 180)):
        pts += ellipse_pts(cx, cy, r, r, a0, a0 + 90, n)
    return pts


def superellipse_pts(cx, cy, rx, ry, p=4.0, n=240):
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        c, s = math.cos(a), math.sin(a)
        x = rx * math.copysign(abs(c) ** (2 / p), c)
        y = ry * math.copysign(abs(s) ** (2 / p), s)
        pts.append((cx + x, cy + y))
    return pts


# --------------------------------------------------------------------------
# Layer: an RGBA canvas in *design* coordinates, stored at SS x resolution
# --------------------------------------------------------------------------


class Layer:
    def __init__(self, w, h, ss=3, fill=(0, 0, 0, 0)):
        self.w, self.h, self.ss = w, h, ss
        self.W, self.H = int(w * ss), int(h * ss)
        self.img = Image.new("RGBA", (self.W, self.H), fill)

    # -- coordinate helpers
    def s(self, v):
        return v * self.ss

    def P(self, pts):
        return [(x * self.ss, y * self.ss) for x, y in pts]

    def box(self, b):
        return [v * self.ss for v in b]

    # -- masks
    def mask(self):
        m = Image.new("L", (self.W, self.H), 0)
        return m, ImageDraw.Draw(m)

    def poly_mask(self, pts, blur=0.0):
        m, d = self.mask()
        d.polygon(self.P(pts), fill=255)
        if blur:
            m = m.filter(ImageFilter.GaussianBlur(blur * self.ss))
        return m

    def ellipse_mask(self, b, blur=0.0):
        m, d = self.mask()
        d.ellipse(self.box(b), fill=255)
        if blur:
            m = m.filter(ImageFilter.GaussianBlur(blur * self.ss))
        return m

    def line_mask(self, pts, width, blur=0.0, m=None):
        """Round-capped stroke, stamped as discs (clean at any width)."""
        if m is None:
            m, d = self.mask()
        else:
            d = ImageDraw.Draw(m)
        r = width * self.ss / 2
        step = max(0.35, width * 0.08) / self.ss
        for x, y in resample(pts, step * self.ss / 3 if width > 3 else 0.5):
            d.ellipse([x * self.ss - r, y * self.ss - r, x * self.ss + r, y * self.ss + r], fill=255)
        if blur:
            m = m.filter(ImageFilter.GaussianBlur(blur * self.ss))
        return m

    # -- painting
    def paint(self, mask, fill, opacity=1.0):
        """Composite `fill` (RGB/RGBA tuple or RGBA Image) through `mask`."""
        if isinstance(fill, Image.Image):
            src = fill.convert("RGBA")
        else:
            if len(fill) == 3:
                fill = tuple(fill) + (255,)
            src = Image.new("RGBA", (self.W, self.H), fill)
        a = src.getchannel("A")
        a = ImageChops.multiply(a, mask)
        if opacity < 1.0:
            a = a.point(lambda v: int(v * opacity))
        src.putalpha(a)
        self.img = Image.alpha_composite(self.img, src)

    def poly(self, pts, fill, opacity=1.0, blur=0.0):
        self.paint(self.poly_mask(pts, blur), fill, opacity)

    def ellipse(self, b, fill, opacity=1.0, blur=0.0):
        self.paint(self.ellipse_mask(b, blur), fill, opacity)

    def line(self, pts, width, fill, opacity=1.0, blur=0.0):
        self.paint(self.line_mask(pts, width, blur), fill, opacity)

    def shadow(self, mask, offset=(0, 0), blur=10, color=(0, 0, 0), opacity=0.3):
        m = ImageChops.offset(mask, int(offset[0] * self.ss), int(offset[1] * self.ss))
        m = m.filter(ImageFilter.GaussianBlur(blur * self.ss))
        self.paint(m, color, opacity)

    def tube(self, pts, width, dark, light, steps=14, light_dir=(-0.35, -0.45)):
        """A shaded cylinder along a path: stacked strokes (stamped discs),
        narrowing and brightening towards the light."""
        path = resample(pts, 0.5 / self.ss)
        for k in range(steps):
            t = k / (steps - 1)
            r = width * (1.0 - 0.82 * t) / 2 * self.ss
            ox, oy = light_dir[0] * width * 0.5 * t, light_dir[1] * width * 0.5 * t
            c = mix(dark, light, t**1.4)
            m, d = self.mask()
            for x, y in path:
                X, Y = (x + ox) * self.ss, (y + oy) * self.ss
                d.ellipse([X - r, Y - r, X + r, Y + r], fill=255)
            self.paint(m, c)

    def grad(self, stops, angle=90.0, box=None):
        return lin_grad(self.W, self.H, stops, angle, None if box is None else self.box(box))

    def rgrad(self, center, radius, stops):
        return rad_grad(self.W, self.H, (center[0] * self.ss, center[1] * self.ss),
                        (radius[0] * self.ss, radius[1] * self.ss), stops)

    def text(self, xy, s, size, fill, font="DejaVuSans-Bold.ttf", anchor="la", spacing=0.0):
        f = ImageFont.truetype(str(FONT_DIR / font), int(round(size * self.ss)))
        m, d = self.mask()
        if spacing:
            x, y = xy[0] * self.ss, xy[1] * self.ss
            for ch in s:
                d.text((x, y), ch, font=f, fill=255, anchor=anchor)
                x += f.getlength(ch) + spacing * self.ss
        else:
            d.text((xy[0] * self.ss, xy[1] * self.ss), s, font=f, fill=255, anchor=anchor)
        self.paint(m, fill)
        return m

    def final(self, mode="RGB"):
        out = self.img.resize((self.w, self.h), Image.LANCZOS)
        return out.convert(mode) if mode != "RGBA" else out


def resample(pts, step):
    """Points along a polyline every `step` units (design coordinates)."""
    out = [pts[0]]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        d = math.hypot(x1 - x0, y1 - y0)
        n = max(1, int(d / step))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1)]
    return out


def _stops_arrays(stops):
    ts = np.array([s[0] for s in stops], np.float32)
    cols = np.array([(tuple(s[1]) + (255,))[:4] for s in stops], np.float32)
    return ts, cols


def _apply_stops(t, stops):
    ts, cols = _stops_arrays(stops)
    out = np.empty(t.shape + (4,), np.float32)
    for c in range(4):
        out[..., c] = np.interp(t, ts, cols[:, c])
    return Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8), "RGBA")


def lin_grad(W, H, stops, angle=90.0, box=None):
    """CSS-like: angle 90 = top -> bottom, 0 = left -> right."""
    x0, y0, x1, y1 = box if box else (0, 0, W, H)
    a = math.radians(angle)
    dx, dy = math.cos(a), math.sin(a)
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
    proj = (xs - x0) * dx + (ys - y0) * dy
    corners = [(0, 0), (x1 - x0, 0), (0, y1 - y0), (x1 - x0, y1 - y0)]
    ps = [cx * dx + cy * dy for cx, cy in corners]
    t = (proj - min(ps)) / max(1e-6, max(ps) - min(ps))
    return _apply_stops(clamp01(t), stops)


def rad_grad(W, H, center, radius, stops):
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
    t = np.sqrt(((xs - center[0]) / radius[0]) ** 2 + ((ys - center[1]) / radius[1]) ** 2)
    return _apply_stops(clamp01(t), stops)


def add_grain(img: Image.Image, sigma: float, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    a = np.asarray(img.convert("RGB"), np.float32)
    n = rng.normal(0.0, sigma, a.shape[:2])[..., None]
    return Image.fromarray(np.clip(a + n + 0.5, 0, 255).astype(np.uint8), "RGB")


# --------------------------------------------------------------------------
# tiny 3-D helper: shaded parametric surfaces, painter's algorithm
# --------------------------------------------------------------------------


def rot_x(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]], float)


def rot_y(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], float)


def rot_z(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], float)


LIGHT = np.array([-0.45, 0.75, 0.55])
LIGHT = LIGHT / np.linalg.norm(LIGHT)


def shade(base, n, ambient=0.42, diffuse=0.62, spec=0.35, shininess=28, light=LIGHT):
    """Lambert + Blinn-Phong in camera space (viewer along +z)."""
    n = n / (np.linalg.norm(n) + 1e-9)
    lam = max(0.0, float(np.dot(n, light)))
    h = light + np.array([0, 0, 1.0])
    h = h / np.linalg.norm(h)
    sp = max(0.0, float(np.dot(n, h))) ** shininess
    c = np.array(base, float) * (ambient + diffuse * lam) + 255 * spec * sp
    return tuple(int(v) for v in np.clip(c, 0, 255))


def surface_quads(P, nu, nv, M, origin, scale):
    """Evaluate P(u, v) on a grid, transform by M, project orthographically.

    Returns a list of (depth, screen_pts, normal_cam, u_mid, v_mid)."""
    us = np.linspace(0, 1, nu + 1)
    vs = np.linspace(0, 1, nv + 1)
    G = np.array([[P(u, v) for v in vs] for u in us], float)  # (nu+1, nv+1, 3)
    G = G @ M.T
    out = []
    for i in range(nu):
        for j in range(nv):
            a, b, c, d = G[i, j], G[i + 1, j], G[i + 1, j + 1], G[i, j + 1]
            n = np.cross(c - a, d - b)
            pts = [(origin[0] + p[0] * scale, origin[1] - p[1] * scale) for p in (a, b, c, d)]
            out.append(((a[2] + b[2] + c[2] + d[2]) / 4, pts, n, (us[i] + us[i + 1]) / 2, (vs[j] + vs[j + 1]) / 2))
    return out


def draw_quads(layer: Layer, quads, color_fn, cull=True, mask_only=False):
    """Paint quads back to front straight onto the layer (and into a mask)."""
    quads = sorted(quads, key=lambda q: q[0])
    m, dm = layer.mask()
    d = ImageDraw.Draw(layer.img)
    for depth, pts, n, u, v in quads:
        if cull and n[2] <= 0:
            continue
        sp = layer.P(pts)
        dm.polygon(sp, fill=255)
        if not mask_only:
            c = color_fn(u, v, n)
            d.polygon(sp, fill=c + (255,) if len(c) == 3 else c, outline=c + (255,) if len(c) == 3 else c)
    return m


# --------------------------------------------------------------------------
# studio background for product shots
# --------------------------------------------------------------------------


def studio(w=800, h=800, ss=3, horizon=0.62):
    """Near-white (#f4f4f2) seamless sweep: slightly brighter centre, floor
    a touch warmer and darker towards the camera."""
    L = Layer(w, h, ss)
    ys = np.linspace(0, 1, L.H, dtype=np.float32)[:, None]
    xs = np.linspace(-1, 1, L.W, dtype=np.float32)[None, :]
    # wall -> floor sweep: brightness curve around the horizon
    def smooth(a, b, x):
        t = np.clip((x - a) / (b - a), 0, 1)
        return t * t * (3 - 2 * t)

    sweep = 248.5 - 6.5 * smooth(0.0, horizon + 0.12, ys) - 9.0 * smooth(horizon - 0.05, 1.05, ys) ** 1.4
    vign = 1.0 - 0.035 * (xs**2) - 0.02 * ((ys - 0.45) ** 2)
    base = sweep * vign
    rgb = np.stack([base * 1.0, base * 1.0, base * 0.985], -1)
    rgb = np.broadcast_to(rgb, (L.H, L.W, 3))
    L.img = Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8), "RGB").convert("RGBA")
    return L


def floor_shadow(L: Layer, cx, cy, rx, ry, opacity=0.35, blur=None, color=(60, 58, 55)):
    L.paint(L.ellipse_mask((cx - rx, cy - ry, cx + rx, cy + ry), blur if blur is not None else ry * 0.9), color, opacity)


def save_jpeg(img: Image.Image, path: Path, seed: int, grain=1.2):
    path.parent.mkdir(parents=True, exist_ok=True)
    img = add_grain(img, grain, seed) if grain else img.convert("RGB")
    img.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, subsampling="4:2:0")
    print(f"  {path.relative_to(HERE)}  {img.size[0]}x{img.size[1]}  {path.stat().st_size // 1024} KB")


def save_png(img: Image.Image, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG", optimize=True)
    print(f"  {path.relative_to(HERE)}  {img.size[0]}x{img.size[1]}  {path.stat().st_size // 1024} KB")


# ==========================================================================
# RETAIL: product shots
# ==========================================================================


def umbrella(color="#123a78", name="umbrella.jpg", seed=11, tilt=-14):
    L = studio()
    n_ribs = 8
    R = 1.0
    phimax = math.radians(62)
    M = rot_z(math.radians(tilt)) @ rot_x(math.radians(24))
    origin, scale = (405, 385), 300

    def cap(u, v):  # u around (theta), v from apex (0) to rim (1)
        th = 2 * math.pi * u
        seg = 2 * math.pi / n_ribs
        frac = (th % seg) / seg
        sag = math.sin(math.pi * frac)
        phi = v * phimax * (1 - 0.07 * sag * v**3)
        r = R * math.sin(phi)
        delta = abs(frac - 0.5) * seg  # distance from panel centre
        r *= math.cos(seg / 2) / math.cos(delta) if True else 1
        return (r * math.cos(th), R * math.cos(phi) - R * math.cos(phimax) * 0.0, r * math.sin(th))

    quads = surface_quads(cap, 8 * 24, 110, M, origin, scale)

    base = hexc(color)

    def col(u, v, n):
        seg = 1.0 / n_ribs
        frac = (u % seg) / seg
        seam = math.exp(-((min(frac, 1 - frac)) / 0.018) ** 2)  # darker fabric at ribs
        c = shade(base, n, ambient=0.38, diffuse=0.75, spec=0.55, shininess=36)
        k = 1.0 - 0.35 * seam
        return tuple(int(x * k) for x in c)

    # shaft first (it sits behind/below the canopy)
    top3 = np.array([0, R, 0]) @ M.T
    bot3 = np.array([0, R - 1.55, 0]) @ M.T
    apex = (origin[0] + top3[0] * scale, origin[1] - top3[1] * scale)
    shaft_end = (origin[0] + bot3[0] * scale, origin[1] - bot3[1] * scale)
    # floor shadow below the whole umbrella
    floor_shadow(L, 415, 735, 250, 24, opacity=0.26, blur=30)
    floor_shadow(L, shaft_end[0] + 30, 730, 70, 9, opacity=0.32, blur=10)

    L.tube([apex, shaft_end], 9, (40, 40, 44), (190, 190, 196), steps=8)
    # J handle: curls from the shaft end
    sx, sy = shaft_end
    hx = (shaft_end[0] - apex[0]) / math.hypot(shaft_end[0] - apex[0], shaft_end[1] - apex[1])
    hy = (shaft_end[1] - apex[1]) / math.hypot(shaft_end[0] - apex[0], shaft_end[1] - apex[1])
    grip_len = 95
    g0 = (sx - hx * 10, sy - hy * 10)
    g1 = (sx + hx * grip_len, sy + hy * grip_len)
    px, py = -hy, hx  # perpendicular
    curve = bezier(g1, (g1[0] + hx * 70, g1[1] + hy * 70), (g1[0] + hx * 65 + px * 95, g1[1] + hy * 65 + py * 95), (g1[0] + px * 92 - hx * 5, g1[1] + py * 92 - hy * 5), n=60)
    handle = [g0, g1] + curve[1:]
    L.tube(handle, 30, (38, 22, 14), (178, 120, 78), steps=16)
    # metal collar where the grip meets the shaft
    L.tube([(sx - hx * 14, sy - hy * 14), (sx + hx * 2, sy + hy * 2)], 20, (60, 60, 66), (235, 235, 240), steps=10)

    # canopy shadow on the shaft / canopy
    cm = draw_quads(L, quads, col, mask_only=True)
    L.shadow(cm, offset=(6, 10), blur=8, opacity=0.18)
    draw_quads(L, quads, col)

    # rib tips (small black caps at each rib end)
    for k in range(n_ribs):
        th = 2 * math.pi * k / n_ribs
        p = np.array([R * math.sin(phimax) * math.cos(th), R * math.cos(phimax), R * math.sin(phimax) * math.sin(th)]) @ M.T
        if p[2] < -0.35:
            continue
        x, y = origin[0] + p[0] * scale, origin[1] - p[1] * scale
        L.tube([(x, y), (x + 1, y + 9)], 7, (20, 20, 24), (150, 150, 160), steps=6)
    # ferrule on top
    tip3 = np.array([0, R + 0.13, 0]) @ M.T
    tip = (origin[0] + tip3[0] * scale, origin[1] - tip3[1] * scale)
    L.tube([apex, tip], 9, (30, 30, 34), (210, 210, 215), steps=8)
    # soft studio highlight (softbox reflection)
    hl = L.rgrad((300, 200), (150, 90), [(0, (255, 255, 255, 90)), (1, (255, 255, 255, 0))])
    L.paint(cm, hl)
    save_jpeg(L.final(), HERE / "retail-weather/img" / name, seed=seed)


def umbrella_red():
    umbrella(color="#8e1b34", name="umbrella-red.jpg", seed=16, tilt=12)


def lens_shape(cx, cy, w, h, mirror=False):
    """Wayfarer-ish lens outline centred at (cx, cy)."""
    x0, x1 = -w / 2, w / 2
    y0, y1 = -h / 2, h / 2
    pts = []
    pts += bezier((x0 + 6, y0 + 8), (x0 + w * 0.35, y0 - 4), (x1 - w * 0.25, y0 - 6), (x1 - 4, y0 + 2), 40)
    pts += bezier((x1 - 4, y0 + 2), (x1 + 6, y0 + h * 0.3), (x1 + 2, y1 - h * 0.25), (x1 - w * 0.22, y1 - 4), 40)
    pts += bezier((x1 - w * 0.22, y1 - 4), (x1 - w * 0.45, y1 + 8), (x0 + w * 0.22, y1 + 4), (x0 + 14, y1 - h * 0.22), 40)
    pts += bezier((x0 + 14, y1 - h * 0.22), (x0 + 2, y1 - h * 0.45), (x0 - 6, y0 + h * 0.2), (x0 + 6, y0 + 8), 40)
    if mirror:
        pts = [(-x, y) for x, y in pts][::-1]
    return [(cx + x, cy + y) for x, y in pts]


def tortoise_texture(L: Layer, seed: int, base="#1c0d06"):
    rng = np.random.default_rng(seed)
    img = Image.new("RGBA", (L.W, L.H), hexc(base, 255))
    d = ImageDraw.Draw(img)
    for _ in range(900):
        x, y = rng.uniform(0, L.W), rng.uniform(0, L.H)
        r = rng.uniform(5, 30) * L.ss
        if rng.uniform() < 0.45:
            continue
        c = mix(hexc("#4a220c"), hexc("#b0702f"), rng.uniform(0, 1) ** 3)
        d.ellipse([x - r * rng.uniform(0.6, 1.8), y - r * 0.6, x + r * rng.uniform(0.6, 1.8), y + r * 0.6], fill=c + (255,))
    img = img.filter(ImageFilter.GaussianBlur(7 * L.ss))
    return img


def sunglasses():
    L = studio()
    cy = 430
    left = lens_shape(268, cy, 192, 150)
    right = lens_shape(532, cy, 192, 150, mirror=True)
    # floor shadows: frame + tinted light through the lenses
    floor_shadow(L, 400, 515, 280, 18, opacity=0.30, blur=22)
    floor_shadow(L, 400, 510, 230, 7, opacity=0.30, blur=8)
    for lp in (left, right):
        sh = [(x + 14, 545 + (y - cy) * 0.18) for x, y in lp]
        L.poly(sh, (40, 70, 66), opacity=0.22, blur=12)

    # temples (arms) recede behind the front
    tort = tortoise_texture(L, seed=5)
    for sgn in (-1, 1):
        hinge = (400 + sgn * 250, cy - 50)
        tip = (400 + sgn * 196, cy - 200)
        arm = bezier(hinge, (400 + sgn * 248, cy - 110), (400 + sgn * 216, cy - 165), tip, 40)
        arm += bezier(tip, (400 + sgn * 188, cy - 214), (400 + sgn * 176, cy - 218), (400 + sgn * 166, cy - 210), 12)
        m = L.line_mask(arm, 15)
        L.shadow(m, offset=(6, 90), blur=10, opacity=0.10)
        L.paint(m, tort)
        L.paint(m, (0, 0, 0), opacity=0.35)
        L.line(arm[:30], 3, (255, 230, 200), opacity=0.25, blur=1.5)

    # frame: lens outlines thickened, heavier brow
    fm, fd = L.mask()
    for lp in (left, right):
        fd.polygon(L.P(lp), fill=255)
        L.line_mask(lp + lp[:2], 30, m=fm)
        top = [p for p in lp if p[1] < cy - 45]
        L.line_mask(top, 42, m=fm)
    bridge = bezier((375, cy - 62), (390, cy - 80), (410, cy - 80), (425, cy - 62), 30)
    L.line_mask(bridge, 26, m=fm)
    L.line_mask([(165, cy - 58), (138, cy - 50)], 28, m=fm)
    L.line_mask([(635, cy - 58), (662, cy - 50)], 28, m=fm)
    L.shadow(fm, offset=(0, 6), blur=6, opacity=0.25)
    L.paint(fm, tort)
    # glossy acetate: top light, darker lower edge
    L.paint(fm, L.grad([(0, (255, 255, 255, 40)), (0.45, (0, 0, 0, 0)), (1, (0, 0, 0, 110))], 90, (0, cy - 110, 800, cy + 100)))
    brow = bezier((170, cy - 74), (260, cy - 96), (330, cy - 96), (372, cy - 84), 30)
    L.line(brow, 5, (255, 240, 220), opacity=0.45, blur=2.5)
    L.line([(800 - x, y) for x, y in brow], 5, (255, 240, 220), opacity=0.35, blur=2.5)
    L.line(bridge, 4, (255, 240, 220), opacity=0.45, blur=2)

    # lenses: dark G-15 green gradient, softbox reflections
    for i, lp in enumerate((left, right)):
        lm = L.poly_mask(lp)
        xs = [p[0] for p in lp]
        ys = [p[1] for p in lp]
        g = L.grad([(0, hexc("#0f1a1a")), (0.55, hexc("#1f3431")), (1, hexc("#3e5a52"))], 90, (min(xs), min(ys), max(xs), max(ys)))
        L.paint(lm, g)
        # inner bevel shadow near the frame
        edge = ImageChops.subtract(lm, lm.filter(ImageFilter.GaussianBlur(10 * L.ss)))
        L.paint(edge, (0, 0, 0), opacity=0.6)
        x0, y0 = min(xs), min(ys)
        refl = [(x0 + 15, y0 + 26), (x0 + 110, y0 + 10), (x0 + 185, y0 + 16), (x0 + 140, y0 + 60), (x0 + 25, y0 + 80)]
        rm = ImageChops.multiply(L.poly_mask(refl, blur=10), lm)
        L.paint(rm, (235, 245, 255), opacity=0.30 if i == 0 else 0.22)
        streak = [(x0 + 130, y0 + 135), (x0 + 178, y0 + 55), (x0 + 187, y0 + 66), (x0 + 145, y0 + 142)]
        L.paint(ImageChops.multiply(L.poly_mask(streak, blur=4), lm), (255, 255, 255), opacity=0.18)
    # hinge pins
    for sgn in (-1, 1):
        x = 400 + sgn * 246
        L.tube([(x, cy - 58), (x + sgn * 10, cy - 56)], 8, (90, 90, 96), (240, 240, 245), steps=6)
    save_jpeg(L.final(), HERE / "retail-weather/img/sunglasses.jpg", seed=12)


def volume(L: Layer, m, dark=(0, 0, 0), amount=0.35, radius=18, light=None, light_amount=0.25, light_offset=(-8, -8)):
    """Darken a shape towards its silhouette (fake ambient occlusion) and
    optionally lift the side facing the light."""
    inner = ImageChops.subtract(m, m.filter(ImageFilter.GaussianBlur(radius * L.ss)))
    L.paint(inner, dark, opacity=min(1.0, amount * 2))
    if light is not None:
        sh = ImageChops.offset(m, int(-light_offset[0] * L.ss * 2), int(-light_offset[1] * L.ss * 2))
        lit = ImageChops.subtract(m, sh).filter(ImageFilter.GaussianBlur(radius * 1.2 * L.ss))
        L.paint(ImageChops.multiply(lit, m), light, opacity=light_amount)


def fold(L: Layer, pts, width, clip, dark=True, opacity=0.22, blur=None):
    m = ImageChops.multiply(L.line_mask(pts, width, blur if blur is not None else width * 0.8), clip)
    L.paint(m, (90, 50, 0) if dark else (255, 250, 210), opacity)


def rain_jacket():
    L = studio()
    Y, YD, YL = hexc("#f6c700"), hexc("#c98f00"), hexc("#ffe680")
    floor_shadow(L, 400, 742, 230, 16, opacity=0.22, blur=24)

    hood = bezier((312, 232), (300, 120), (350, 78), (400, 78)) + bezier((400, 78), (450, 78), (500, 120), (488, 232))
    body = (bezier((252, 252), (300, 226), (340, 222), (372, 226)) + [(428, 226)]
            + bezier((428, 226), (460, 222), (500, 226), (548, 252))
            + bezier((548, 252), (556, 420), (560, 560), (556, 700))
            + bezier((556, 700), (480, 712), (320, 712), (244, 700))
            + bezier((244, 700), (240, 560), (244, 420), (252, 252)))
    sleeve_l = (bezier((258, 250), (218, 262), (196, 300), (188, 360))
                + bezier((188, 360), (178, 470), (168, 560), (164, 640))
                + [(226, 652)]
                + bezier((226, 652), (234, 560), (250, 460), (270, 350)))
    sleeve_r = [(800 - x, y) for x, y in sleeve_l]

    # drop shadow of the whole garment (it hangs a little off the wall)
    gm, gd = L.mask()
    for part in (hood, body, sleeve_l, sleeve_r):
        gd.polygon(L.P(part), fill=255)
    L.shadow(gm, offset=(10, 14), blur=16, opacity=0.18)

    # sleeves (behind body)
    for sl in (sleeve_l, sleeve_r):
        sm = L.poly_mask(sl)
        L.paint(sm, L.grad([(0, YL), (0.45, Y), (1, YD)], 20, (150, 240, 290, 660)))
        volume(L, sm, dark=(120, 70, 0), amount=0.32, radius=14)
    for sgn, sl in ((1, sleeve_l), (-1, sleeve_r)):
        sm = L.poly_mask(sl)
        X = (lambda x: x) if sgn == 1 else (lambda x: 800 - x)
        fold(L, [(X(200), 420), (X(222), 440), (X(248), 436)], 6, sm)
        fold(L, [(X(190), 470), (X(214), 486), (X(244), 480)], 5, sm, opacity=0.18)
        fold(L, [(X(196), 455), (X(220), 468)], 5, sm, dark=False, opacity=0.3)
        # cuff with velcro tab
        cuff = [(X(166), 612), (X(230), 622), (X(226), 652), (X(164), 640)]
        cm = L.poly_mask(cuff)
        L.paint(cm, YD, opacity=0.35)
        L.line([(X(166), 612), (X(230), 622)], 2, (150, 100, 0), opacity=0.6)
        tab = [(X(172), 620), (X(206), 626), (X(203), 642), (X(170), 636)]
        L.shadow(L.poly_mask(tab), offset=(1, 3), blur=2, opacity=0.3)
        L.poly(tab, mix(Y, YD, 0.3))

    # hood (outer) + opening
    hm = L.poly_mask(hood)
    L.paint(hm, L.grad([(0, YL), (0.5, Y), (1, YD)], 60, (300, 78, 500, 232)))
    volume(L, hm, dark=(120, 70, 0), amount=0.3, radius=16)
    opening = bezier((330, 236), (322, 150), (360, 112), (400, 112)) + bezier((400, 112), (440, 112), (478, 150), (470, 236))
    om = L.poly_mask(opening)
    L.paint(om, L.grad([(0, hexc("#2b2a27")), (0.7, hexc("#4a4843")), (1, hexc("#6d6a60"))], 90, (320, 112, 480, 236)))
    # hood rim (a rolled edge)
    L.line(opening, 7, mix(Y, YL, 0.4))
    L.line(opening, 2.5, (150, 100, 0), opacity=0.35)

    # body (casts a soft shadow onto the sleeves)
    bm = L.poly_mask(body)
    L.shadow(bm, offset=(0, 2), blur=5, color=(110, 60, 0), opacity=0.7)
    L.paint(bm, L.grad([(0, YL), (0.35, Y), (1, YD)], 60, (240, 220, 560, 712)))
    volume(L, bm, dark=(120, 70, 0), amount=0.3, radius=20)
    # yoke seam + side folds
    yoke = bezier((254, 300), (330, 318), (470, 318), (546, 300), 40)
    L.line(yoke, 2, (160, 110, 0), opacity=0.55)
    L.line([(x, y + 3) for x, y in yoke], 1.5, (255, 245, 190), opacity=0.5)
    fold(L, [(268, 380), (275, 470), (272, 560)], 14, bm, opacity=0.16)
    fold(L, [(532, 380), (525, 470), (528, 560)], 14, bm, opacity=0.2)
    fold(L, [(300, 600), (340, 640), (352, 700)], 10, bm, opacity=0.14)
    fold(L, [(500, 600), (462, 640), (450, 700)], 10, bm, opacity=0.14)
    fold(L, [(318, 360), (326, 430)], 10, bm, dark=False, opacity=0.25)

    # collar inside the hood: neck shadow
    L.ellipse((352, 214, 448, 246), (60, 50, 20), opacity=0.45, blur=6)
    # storm flap + zip
    flap = [(384, 228), (416, 228), (418, 708), (382, 708)]
    fm = ImageChops.multiply(L.poly_mask(flap), bm)
    L.shadow(fm, offset=(3, 0), blur=3, opacity=0.25)
    L.paint(fm, mix(Y, YD, 0.15))
    L.line([(416, 232), (418, 704)], 1.5, (150, 100, 0), opacity=0.5)
    L.line([(386, 232), (384, 704)], 1.5, (255, 240, 170), opacity=0.7)
    for k in range(8):
        y = 262 + k * 58
        L.ellipse((393, y - 6, 407, y + 6), (185, 135, 0))
        L.ellipse((395, y - 5, 405, y + 3), (255, 230, 120), opacity=0.7)
    # drawcords with toggles
    for sgn in (-1, 1):
        x0 = 400 + sgn * 62
        cord = bezier((x0, 232), (x0 + sgn * 4, 270), (x0 - sgn * 6, 300), (x0 - sgn * 2, 338), 30)
        L.shadow(L.line_mask(cord, 4), offset=(3, 4), blur=3, opacity=0.25)
        L.tube(cord, 5, (40, 40, 44), (120, 120, 126), steps=5)
        L.tube([(x0 - sgn * 2, 336), (x0 - sgn * 2, 354)], 12, (25, 25, 28), (110, 110, 116), steps=8)
    # pockets: welt + flap
    for sgn in (-1, 1):
        cx = 400 + sgn * 92
        pflap = [(cx - 52, 500), (cx + 52, 498), (cx + 54, 530), (cx - 50, 532)]
        pm = L.poly_mask(pflap)
        L.shadow(pm, offset=(2, 6), blur=5, opacity=0.28)
        L.paint(pm, L.grad([(0, YL), (1, Y)], 90, (cx - 52, 498, cx + 52, 532)))
        L.line([(cx - 52, 500), (cx + 52, 498)], 2, (150, 100, 0), opacity=0.5)
        L.line([(cx - 48, 527), (cx + 50, 525)], 1.2, (150, 100, 0), opacity=0.45)
    # reflective strip on the hem, logo tab on the chest
    hem = bezier((246, 676), (330, 688), (470, 688), (554, 676), 40)
    L.line(hem, 10, (205, 205, 200), opacity=0.9)
    L.line([(x, y - 2) for x, y in hem], 3, (255, 255, 255), opacity=0.8)
    # glossy PU sheen
    sheen = ImageChops.multiply(L.poly_mask([(300, 330), (330, 330), (338, 660), (306, 660)], blur=14), bm)
    L.paint(sheen, (255, 250, 215), opacity=0.35)
    save_jpeg(L.final(), HERE / "retail-weather/img/rain-jacket.jpg", seed=13)


def knit_field(fu, fv, rib=False):
    """Brightness 0..1 of a stockinette knit given fractional cell coords."""
    out = np.zeros_like(fu)
    for cx, ang in ((0.28, 0.62), (0.72, -0.62)):
        x = fu - cx
        y = fv - 0.5
        xr = x * math.cos(ang) - y * math.sin(ang)
        yr = x * math.sin(ang) + y * math.cos(ang)
        d = (xr / 0.2) ** 2 + (yr / 0.55) ** 2
        out = np.maximum(out, np.exp(-d * 1.6))
    if rib:
        out = out * (0.25 + 0.75 * np.cos(np.pi * (fu - 0.5)) ** 2)
    return out


def knit_image(L: Layer, base, cols_fn, rows_px, rib_fn=None, seed=0):
    """RGBA knit texture: cols_fn(xs, ys) -> column coordinate (float)."""
    ys, xs = np.mgrid[0 : L.H, 0 : L.W].astype(np.float32) / L.ss
    cu = cols_fn(xs, ys)
    cv = ys / rows_px
    fu, fv = cu - np.floor(cu), cv - np.floor(cv)
    k = knit_field(fu, fv)
    if rib_fn is not None:
        k = np.where(rib_fn(xs, ys), knit_field(fu, fv, rib=True), k)
    rng = np.random.default_rng(seed)
    yarn = 1.0 + 0.05 * rng.standard_normal((int(cv.max()) + 2, int(cu.max() - cu.min()) + 3))
    yi = np.floor(cv).astype(int)
    xi = (np.floor(cu) - np.floor(cu.min())).astype(int)
    k = k * yarn[np.clip(yi, 0, yarn.shape[0] - 1), np.clip(xi, 0, yarn.shape[1] - 1)]
    b = np.array(base, np.float32)
    rgb = b * (0.45 + 0.7 * k[..., None])
    rgb = np.clip(rgb, 0, 255)
    a = np.full(rgb.shape[:2] + (1,), 255, np.float32)
    return Image.fromarray(np.concatenate([rgb, a], -1).astype(np.uint8), "RGBA")


def pompom(L: Layer, cx, cy, r, base, seed):
    rng = np.random.default_rng(seed)
    m = L.ellipse_mask((cx - r * 0.9, cy - r * 0.9, cx + r * 0.9, cy + r * 0.9))
    L.shadow(m, offset=(4, 10), blur=10, opacity=0.3)
    L.ellipse((cx - r * 0.88, cy - r * 0.88, cx + r * 0.88, cy + r * 0.88), mix(base, (0, 0, 0), 0.35))
    d = ImageDraw.Draw(L.img)
    for i in range(5200):
        a = rng.uniform(0, 2 * math.pi)
        rr = r * math.sqrt(rng.uniform(0.0, 1.0))
        x0, y0 = cx + rr * math.cos(a) * 0.6, cy + rr * math.sin(a) * 0.6
        ln = rng.uniform(0.25, 0.5) * r
        x1 = x0 + math.cos(a + rng.normal(0, 0.5)) * ln
        y1 = y0 + math.sin(a + rng.normal(0, 0.5)) * ln
        if math.hypot(x1 - cx, y1 - cy) > r * 1.04:
            continue
        lit = 0.5 + 0.5 * ((-(x1 - cx) * 0.55 - (y1 - cy) * 0.8) / r)
        depth = i / 5200
        c = mix(mix(base, (0, 0, 0), 0.45), mix(base, (255, 255, 255), 0.25), min(1, max(0, lit * 0.7 + depth * 0.5)))
        d.line(L.P([(x0, y0), (x1, y1)]), fill=c + (255,), width=int(1.3 * L.ss))


def beanie():
    L = studio()
    RED, CREAM = hexc("#b8322a"), hexc("#efe6d2")
    # ---- folded scarf lying on the floor
    floor_shadow(L, 400, 700, 300, 22, opacity=0.3, blur=22)
    scarf = rounded_rect_pts(96, 556, 704, 704, 26)
    sm = L.poly_mask(scarf)
    tex = knit_image(L, CREAM, lambda xs, ys: xs / 13.0, 11, seed=3)
    L.paint(sm, tex)
    # two red stripes near each end + a navy one, across the folded scarf
    ys_, xs_ = np.mgrid[0 : L.H, 0 : L.W].astype(np.float32) / L.ss
    band = ((xs_ > 150) & (xs_ < 196)) | ((xs_ > 604) & (xs_ < 650)) | ((xs_ > 220) & (xs_ < 236)) | ((xs_ > 564) & (xs_ < 580))
    bm_ = Image.fromarray((band * 255).astype(np.uint8), "L")
    rtex = knit_image(L, RED, lambda xs, ys: xs / 13.0, 11, seed=4)
    L.paint(ImageChops.multiply(sm, bm_), rtex)
    # fold line: top layer / bottom layer
    L.line(bezier((100, 632), (300, 640), (500, 640), (700, 632)), 10, (0, 0, 0), opacity=0.25, blur=6)
    volume(L, sm, dark=(40, 30, 20), amount=0.4, radius=22)
    L.paint(sm, L.grad([(0, (255, 255, 255, 40)), (0.5, (0, 0, 0, 0)), (1, (0, 0, 0, 70))], 90, (96, 556, 704, 704)))
    # fringe of the scarf end, lying on the floor to the left
    rng = np.random.default_rng(9)
    for i in range(12):
        y = 572 + i * 10.5 + rng.uniform(-2, 2)
        ln = rng.uniform(40, 56)
        fr = bezier((100, y), (100 - ln * 0.4, y + rng.uniform(-3, 3)), (100 - ln * 0.75, y + rng.uniform(-5, 5)), (100 - ln, y + rng.uniform(-8, 8)), 14)
        L.shadow(L.line_mask(fr, 5), offset=(2, 4), blur=3, opacity=0.25)
        L.tube(fr, 6, mix(CREAM, (0, 0, 0), 0.3), mix(CREAM, (255, 255, 255), 0.15), steps=5)

    # ---- beanie: dome with ribbed cuff, sits on the scarf
    top_y, cuff_y, bot_y = 175, 460, 585
    cx = 400

    def halfw(y):
        t = np.clip((y - top_y) / (cuff_y - top_y), 0, 1)
        return 195 * np.sqrt(np.clip(1 - (1 - t) ** 2.2, 0, 1)) + 1e-3

    dome = [(cx - float(halfw(y)), y) for y in np.linspace(top_y, cuff_y, 60)]
    dome = dome + [(cx + float(halfw(y)), y) for y in np.linspace(cuff_y, top_y, 60)]
    cuff = bezier((198, cuff_y - 10), (300, cuff_y - 24), (500, cuff_y - 24), (602, cuff_y - 10)) + \
        bezier((602, cuff_y - 10), (612, 520), (608, 560), (596, bot_y)) + \
        bezier((596, bot_y), (500, bot_y + 14), (300, bot_y + 14), (204, bot_y)) + \
        bezier((204, bot_y), (192, 560), (188, 520), (198, cuff_y - 10))
    hm = L.poly_mask(dome + [(cx, cuff_y)])
    allm = ImageChops.lighter(hm, L.poly_mask(cuff))
    L.shadow(allm, offset=(8, 14), blur=14, opacity=0.35)
    cols = lambda xs, ys: 14 * (xs - cx) / halfw(ys) + 100.0
    L.paint(hm, knit_image(L, RED, cols, 12, seed=5))
    # spherical shading
    L.paint(hm, L.rgrad((330, 270), (300, 300), [(0, (255, 235, 220, 70)), (0.5, (0, 0, 0, 0)), (1, (40, 0, 0, 150))]))
    volume(L, hm, dark=(50, 0, 0), amount=0.35, radius=20)
    # ribbed cuff: vertical ribs, slight curve
    cm = L.poly_mask(cuff)
    L.shadow(cm, offset=(0, -4), blur=5, opacity=0.35)
    cuff_cols = lambda xs, ys: (xs - cx) / 15.0 + 100
    L.paint(cm, knit_image(L, mix(RED, (0, 0, 0), 0.05), cuff_cols, 9, rib_fn=lambda xs, ys: np.ones_like(xs, bool), seed=6))
    L.paint(cm, L.grad([(0, (30, 0, 0, 150)), (0.15, (0, 0, 0, 0)), (0.5, (255, 230, 210, 40)), (0.85, (0, 0, 0, 0)), (1, (30, 0, 0, 170))], 0, (190, 440, 612, 600)))
    volume(L, cm, dark=(50, 0, 0), amount=0.3, radius=12)
    # woven label on the cuff
    lab = [(520, 500), (560, 498), (561, 526), (521, 528)]
    L.shadow(L.poly_mask(lab), offset=(1, 2), blur=2, opacity=0.4)
    L.poly(lab, hexc("#f4efe4"))
    L.line([(528, 513), (553, 512)], 3, hexc("#0f4c81"))
    # pom-pom
    pompom(L, cx, top_y - 10, 72, CREAM, seed=7)
    save_jpeg(L.final(), HERE / "retail-weather/img/beanie-scarf.jpg", seed=14)


def sun_hat():
    """Wide-brim straw hat with a navy band: transparent cut-out PNG."""
    W, H = 800, 600
    L = Layer(W, H, ss=3)
    M = rot_z(math.radians(-6)) @ rot_x(math.radians(28))
    origin, scale = (400, 318), 365
    r0 = 0.40
    STRAW = np.array(hexc("#dcbc82"), float)

    def brim(u, v):
        th = 2 * math.pi * u
        r = r0 - 0.01 + (1 - r0 + 0.01) * v
        t = max(0.0, (r - r0) / (1 - r0))
        y = -0.17 * t**1.8 + 0.05 * math.sin(3 * th + 0.6) * t**2 + 0.02 * math.sin(5 * th + 1.3) * t**2
        return (r * math.cos(th), y, r * math.sin(th))

    def crown(u, v):
        th = 2 * math.pi * u
        if v < 0.62:
            t = v / 0.62
            r = r0 - 0.035 * t
            y = 0.33 * t
        else:
            t = (v - 0.62) / 0.38
            a = t * math.pi / 2
            r = (r0 - 0.035) * math.cos(a)
            y = 0.33 + 0.11 * math.sin(a)
        return (r * math.cos(th), y, r * math.sin(th))

    nb_u, nb_v = 720, 96
    q_brim = [q + ("brim",) for q in surface_quads(brim, nb_u, nb_v, M, origin, scale)]
    q_crown = [q + ("crown",) for q in surface_quads(crown, 480, 60, M, origin, scale)]

    def straw_color(kind, u, v, n):
        if kind == "brim":
            rings = 12
            rv = v * rings
            ring = int(rv)
            f = rv - ring
            along = u * (110 + ring * 12) + (0.5 if ring % 2 else 0.0)
            braid = 0.5 + 0.5 * math.cos(2 * math.pi * (along + (f if ring % 2 else -f) * 0.9))
            edge = math.exp(-((f - 0.0) / 0.1) ** 2) + math.exp(-((f - 1.0) / 0.1) ** 2)
            k = 0.88 + 0.24 * braid - 0.14 * edge
            tint = 1.0 + 0.03 * math.sin(ring * 2.3)
        else:
            if v < 0.17:  # ribbon band
                return None
            rings = 9
            rv = v * rings
            ring = int(rv)
            f = rv - ring
            along = u * (110 + ring * 6) + (0.5 if ring % 2 else 0.0)
            braid = 0.5 + 0.5 * math.cos(2 * math.pi * (along + f * 0.9))
            edge = math.exp(-(f / 0.12) ** 2) + math.exp(-((f - 1) / 0.12) ** 2)
            k = 0.9 + 0.16 * braid - 0.22 * edge
            tint = 1.0
        base = np.clip(STRAW * k * tint, 0, 255)
        nn = n if n[2] > 0 else -n
        under = n[2] < 0
        c = shade(base, nn, ambient=0.42, diffuse=0.72, spec=0.10, shininess=12)
        if under:
            c = tuple(int(x * 0.72) for x in c)
        return c

    NAVY = hexc("#1f2d4d")
    quads = sorted(q_brim + q_crown, key=lambda q: q[0])
    d = ImageDraw.Draw(L.img)
    for depth, pts, n, u, v, kind in quads:
        if kind == "crown":
            n = -n  # crown param runs clockwise: flip to outward normals
            if n[2] <= 0:
                continue
        c = straw_color(kind, u, v, n)
        if c is None:
            c = shade(NAVY, n, ambient=0.45, diffuse=0.6, spec=0.35, shininess=20)
        sp = L.P(pts)
        d.polygon(sp, fill=c + (255,), outline=c + (255,))
    # crown sits in the brim: a little occlusion where they meet
    ring_pts = []
    for i in range(181):
        th = math.pi * i / 180
        p = np.array([r0 * math.cos(th), 0.0, r0 * math.sin(th)]) @ M.T
        ring_pts.append((origin[0] + p[0] * scale, origin[1] - p[1] * scale))
    L.line(ring_pts, 10, (60, 40, 10), opacity=0.35, blur=6)
    # bow on the band, right-front
    th = math.radians(35)
    p = np.array([r0 * math.cos(th), 0.035, r0 * math.sin(th)]) @ M.T
    bx, by = origin[0] + p[0] * scale, origin[1] - p[1] * scale
    for dx, rot in ((-26, -12), (26, 12)):
        loop = ellipse_pts(bx + dx, by, 30, 15, rot=rot)
        lm = L.poly_mask(loop)
        L.shadow(lm, offset=(2, 5), blur=4, opacity=0.35)
        L.paint(lm, L.grad([(0, mix(NAVY, (255, 255, 255), 0.25)), (1, mix(NAVY, (0, 0, 0), 0.35))], 90, (bx - 60, by - 16, bx + 60, by + 16)))
        L.ellipse((bx + dx - 9, by - 4, bx + dx + 9, by + 3), (0, 0, 0), opacity=0.35, blur=3)
    for dx, ang in ((-8, 100), (10, 76)):
        tail = [(bx + dx - 6, by), (bx + dx + 6, by), (bx + dx + 6 + 46 * math.cos(math.radians(ang)), by + 46 * math.sin(math.radians(ang))),
                (bx + dx - 8 + 46 * math.cos(math.radians(ang)), by + 52 * math.sin(math.radians(ang)))]
        L.shadow(L.poly_mask(tail), offset=(2, 4), blur=3, opacity=0.3)
        L.poly(tail, mix(NAVY, (0, 0, 0), 0.1))
    L.ellipse((bx - 10, by - 10, bx + 10, by + 10), mix(NAVY, (255, 255, 255), 0.12))
    # 256-colour palette PNG with alpha: a fifth of the size, no visible loss
    out = L.final("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.FLOYDSTEINBERG)
    save_png(out, HERE / "retail-weather/img/sun-hat.png")


# ==========================================================================
# TRAVEL: destination illustrations, 1200 x 800
# ==========================================================================


def sky(L: Layer, stops, angle=90.0):
    L.img = Image.alpha_composite(L.img, L.grad(stops, angle))


def glow(L: Layer, pts, r, color, opacity=1.0, core=0.25):
    """Soft light glows at many points, one blur pass."""
    m, d = L.mask()
    for x, y in pts:
        d.ellipse(L.box((x - r * core, y - r * core, x + r * core, y + r * core)), fill=255)
    L.paint(m.filter(ImageFilter.GaussianBlur(r * L.ss * 0.5)), color, opacity)


def dots(L: Layer, pts, r, color, opacity=1.0):
    m, d = L.mask()
    for x, y in pts:
        d.ellipse(L.box((x - r, y - r, x + r, y + r)), fill=255)
    L.paint(m, color, opacity)


def rects_mask(L: Layer, rects):
    m, d = L.mask()
    for r in rects:
        d.rectangle(L.box(r), fill=255)
    return m


def water_reflection(L: Layer, y_h, seed, amp=4.0, tint=(10, 20, 40), tint_near=0.55, tint_far=0.25, blur=1.5):
    """Mirror everything above y_h into the water below it, with ripples
    that grow towards the viewer, and tint it with the water colour."""
    a = np.asarray(L.img, np.float32)
    H, W = a.shape[:2]
    h = int(y_h * L.ss)
    rows = np.arange(h, H)
    depth = (rows - h) / max(1, H - h)  # 0 at horizon, 1 at bottom
    src = np.clip(2 * h - rows, 0, h - 1)
    rng = np.random.default_rng(seed)
    ph = rng.uniform(0, 2 * np.pi, 3)
    shift = (amp * L.ss * (0.2 + 1.6 * depth)) * (
        np.sin(rows / (3.0 * L.ss) * (1 + 0.3 * depth) + ph[0]) * 0.6 + np.sin(rows / (1.3 * L.ss) + ph[1]) * 0.4)
    cols = (np.arange(W)[None, :] - shift[:, None].astype(int)) % W
    refl = a[src[:, None], cols]
    t = (tint_far + (tint_near - tint_far) * depth)[:, None, None]
    refl[..., :3] = refl[..., :3] * (1 - t) + np.array(tint, np.float32) * t
    out = a.copy()
    out[h:] = refl
    img = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGBA")
    if blur:
        low = img.crop((0, h, W, H)).filter(ImageFilter.GaussianBlur(blur * L.ss))
        img.paste(low, (0, h))
    L.img = img


def ripples(L: Layer, y0, y1, seed, color, opacity, count=260, x_range=(0, None), width=(8, 60)):
    rng = np.random.default_rng(seed)
    m, d = L.mask()
    x1 = x_range[1] if x_range[1] is not None else L.w
    for _ in range(count):
        t = rng.uniform(0, 1) ** 1.6
        y = y0 + (y1 - y0) * t
        x = rng.uniform(x_range[0], x1)
        w = rng.uniform(*width) * (0.4 + t)
        th = max(0.6, 2.2 * t)
        d.ellipse(L.box((x - w / 2, y - th / 2, x + w / 2, y + th / 2)), fill=255)
    L.paint(m.filter(ImageFilter.GaussianBlur(0.6 * L.ss)), color, opacity)


def building_row(L: Layer, x0, x1, base, hmin, hmax, wmin, wmax, seed, roof="flat", extend=2):
    """Random row of building silhouettes -> (mask, list of facade boxes)."""
    rng = np.random.default_rng(seed)
    m, d = L.mask()
    boxes = []
    x = x0
    while x < x1:
        w = rng.uniform(wmin, wmax)
        h = rng.uniform(hmin, hmax)
        top = base - h
        d.rectangle(L.box((x, top, x + w + 0.5, base + extend)), fill=255)
        if roof == "mansard":
            d.polygon(L.P([(x + 3, top), (x + 8, top - 12), (x + w - 8, top - 12), (x + w - 3, top)]), fill=255)
            for _ in range(int(rng.integers(1, 3))):
                cxm = rng.uniform(x + 10, x + w - 12)
                d.rectangle(L.box((cxm, top - 20, cxm + 5, top - 10)), fill=255)
        elif roof == "tile":
            d.polygon(L.P([(x - 2, top), (x + w / 2, top - w * 0.18), (x + w + 2, top)]), fill=255)
        boxes.append((x, top, x + w, base))
        x += w + rng.uniform(-2, 1)
    return m, boxes


def windows(L: Layer, boxes, seed, lit_p, lit_color, dark_color, size=(4, 6), gap=(9, 12), margin=6, lit_opacity=1.0, dark_opacity=0.5):
    rng = np.random.default_rng(seed)
    lit, dark = [], []
    for bx0, by0, bx1, by1 in boxes:
        y = by0 + margin
        while y + size[1] < by1 - margin:
            x = bx0 + margin
            while x + size[0] < bx1 - margin + 1:
                (lit if rng.uniform() < lit_p else dark).append((x, y, x + size[0], y + size[1]))
                x += gap[0]
            y += gap[1]
    if dark:
        L.paint(rects_mask(L, dark), dark_color, dark_opacity)
    if lit:
        L.paint(rects_mask(L, lit), lit_color, lit_opacity)
    return lit


def paris():
    L = Layer(1200, 800, ss=2)
    sky(L, [(0, hexc("#1c2153")), (0.2, hexc("#3a3578")), (0.4, hexc("#8a5590")), (0.52, hexc("#d46c80")), (0.62, hexc("#f3925e")), (0.7, hexc("#fbbd6e")), (1, hexc("#fbbd6e"))])
    # afterglow low on the left
    L.paint(L.ellipse_mask((-300, 380, 700, 720), blur=120), hexc("#ffc27a"), 0.55)
    # stars + crescent moon
    rng = np.random.default_rng(21)
    stars = [(rng.uniform(0, 1200), rng.uniform(0, 1) ** 2 * 200) for _ in range(70)]
    dots(L, stars, 0.9, (255, 255, 255), 0.5)
    dots(L, stars[:12], 1.4, (255, 255, 240), 0.75)
    glow(L, [(930, 120)], 120, hexc("#fff3d6"), 0.25)
    moon = L.ellipse_mask((910, 100, 950, 140))
    cut = L.ellipse_mask((922, 92, 962, 132))
    L.paint(ImageChops.subtract(moon, cut), hexc("#fff6dc"))

    base = 548
    # far layer: hazy rooftops, Sacre-Coeur-like domes on a hill, Invalides-like dome
    far, _ = building_row(L, 0, 1200, base - 18, 18, 46, 30, 70, seed=22, roof="mansard")
    hill = [(0, 470), (90, 452), (180, 444), (260, 452), (360, 478), (420, 530), (0, 530)]
    far = ImageChops.lighter(far, L.poly_mask(hill))
    fm_, fd_ = L.mask()
    for cx, r in ((175, 26), (142, 14), (208, 14)):
        fd_.ellipse(L.box((cx - r, 444 - r * 1.5, cx + r, 444 + r * 0.4)), fill=255)
        fd_.rectangle(L.box((cx - r, 438, cx + r, 460)), fill=255)
        fd_.rectangle(L.box((cx - 2, 444 - r * 1.5 - 12, cx + 2, 444 - r * 1.5)), fill=255)
    fd_.rectangle(L.box((1030, 430, 1090, 520)), fill=255)
    fd_.ellipse(L.box((1032, 392, 1088, 452)), fill=255)
    fd_.rectangle(L.box((1056, 368, 1064, 396)), fill=255)
    fd_.polygon(L.P([(1060, 350), (1056, 370), (1064, 370)]), fill=255)
    far = ImageChops.lighter(far, fm_)
    L.paint(far, hexc("#7a4f7e"), 0.85)
    glow(L, [(175, 430)], 60, hexc("#ffe2b0"), 0.3)

    # the tower (golden lights on a dark lattice)
    tx, tb, th = 640, base + 10, 452
    def half_w(t):
        return 6 + 118 * (1 - t) ** 2.6
    left = [(tx - half_w(t), tb - th * t) for t in np.linspace(0, 0.86, 60)]
    right = [(tx + half_w(t), tb - th * t) for t in np.linspace(0.86, 0, 60)]
    spire = [(tx - 3.5, tb - th * 0.86), (tx - 2, tb - th * 0.97), (tx, tb - th * 1.02), (tx + 2, tb - th * 0.97), (tx + 3.5, tb - th * 0.86)]
    tm = L.poly_mask(left + spire + right)
    arch = bezier((tx - half_w(0.02) + 26, tb), (tx - 40, tb - 92), (tx + 40, tb - 92), (tx + half_w(0.02) - 26, tb), 40)
    tm = ImageChops.subtract(tm, L.poly_mask(arch))
    # platforms
    pm, pd = L.mask()
    for t, extra in ((0.2, 16), (0.46, 9), (0.86, 5)):
        y = tb - th * t
        pd.rectangle(L.box((tx - half_w(t) - extra, y - 6, tx + half_w(t) + extra, y + 2)), fill=255)
    tm = ImageChops.lighter(tm, pm)
    L.paint(tm, hexc("#3a2233"))
    # lattice of lights, clipped to the silhouette
    lm, ld = L.mask()
    for k in range(-60, 61):
        x = tx + k * 6
        ld.line(L.P([(x, tb), (x + 320, tb - 320)]), fill=255, width=int(0.9 * L.ss))
        ld.line(L.P([(x, tb), (x - 320, tb - 320)]), fill=255, width=int(0.9 * L.ss))
    for t in np.linspace(0, 0.86, 40):
        y = tb - th * t
        ld.line(L.P([(tx - 140, y), (tx + 140, y)]), fill=255, width=int(0.8 * L.ss))
    lattice = ImageChops.multiply(lm, tm)
    L.paint(lattice, hexc("#ffb347"), 0.75)
    edge = ImageChops.subtract(tm, tm.filter(ImageFilter.GaussianBlur(2 * L.ss)))
    L.paint(edge, hexc("#ffc766"), 0.9)
    L.paint(tm.filter(ImageFilter.GaussianBlur(10 * L.ss)), hexc("#ffb24d"), 0.35)
    glow(L, [(tx, tb - th * 1.02)], 40, hexc("#fff0c0"), 0.8)

    # mid layer: Haussmann blocks with lit windows
    mid, boxes = building_row(L, -10, 1210, base, 46, 92, 46, 110, seed=23, roof="mansard")
    notower = [b for b in boxes if not (b[0] < tx + 60 and b[2] > tx - 60)]
    mm = L.poly_mask([(tx - 60, 0), (tx + 60, 0), (tx + 60, 800), (tx - 60, 800)])
    mid = ImageChops.subtract(mid, mm)
    # a low line of trees in front of the tower's feet
    trees_m, td = L.mask()
    for i in range(70):
        x = rng.uniform(0, 1200)
        r = rng.uniform(14, 28)
        td.ellipse(L.box((x - r, base - 30 - r * 0.6, x + r, base + 4)), fill=255)
    L.paint(mid, L.grad([(0, hexc("#3c2944")), (1, hexc("#1d1628"))], 90, (0, 440, 1200, 548)))
    lit = windows(L, notower, seed=24, lit_p=0.38, lit_color=hexc("#ffcf7a"), dark_color=hexc("#120d1c"), size=(4, 6), gap=(10, 13), margin=7)
    glow(L, [((a + c) / 2, (b + d_) / 2) for a, b, c, d_ in lit[::3]], 8, hexc("#ffb54d"), 0.35)
    L.paint(trees_m, hexc("#1a1a24"))
    # quay wall with lamps
    L.poly([(0, base), (1200, base), (1200, base + 14), (0, base + 14)], hexc("#2a2230"))
    L.line([(0, base + 1), (1200, base + 1)], 1.5, hexc("#8a6a6a"), 0.6)
    lamps = [(x, base - 22) for x in range(40, 1200, 95)]
    for x, y in lamps:
        L.line([(x, y), (x, base)], 2, hexc("#15101c"))
    glow(L, lamps, 26, hexc("#ffd08a"), 0.9)
    dots(L, lamps, 2.6, hexc("#fff4dc"))

    # the Seine: reflection, tint, glints
    wy = base + 14
    water_reflection(L, wy, seed=25, amp=3.5, tint=hexc("#141530"), tint_near=0.6, tint_far=0.25)
    L.paint(L.poly_mask([(0, wy), (1200, wy), (1200, 800), (0, 800)]), L.grad([(0, (0, 0, 0, 0)), (1, (6, 6, 22, 170))], 90, (0, wy, 1200, 800)))
    ripples(L, wy + 4, 800, seed=26, color=hexc("#ffc27a"), opacity=0.45, count=160, x_range=(tx - 130, tx + 130), width=(6, 30))
    ripples(L, wy + 4, 800, seed=27, color=hexc("#f5b0a0"), opacity=0.18, count=260, width=(10, 70))

    # a bateau-mouche crossing, with its own short reflection
    bx, by = 110, 650
    hull = [(bx, by), (bx + 300, by), (bx + 320, by - 10), (bx + 318, by + 14), (bx + 10, by + 20)]
    cabin = rounded_rect_pts(bx + 30, by - 26, bx + 270, by + 2, 10)
    L.poly([(x, 2 * by + 40 - y) for x, y in hull], hexc("#0b0a14"), 0.5, blur=3)
    L.poly(hull, hexc("#101019"))
    L.poly(cabin, hexc("#1b1a2a"))
    blit = [(bx + 40 + i * 19, by - 20, bx + 52 + i * 19, by - 8) for i in range(12)]
    L.paint(rects_mask(L, blit), hexc("#ffe0a0"))
    glow(L, [(bx + 150, by - 14)], 110, hexc("#ffcf80"), 0.35)
    ripples(L, by + 24, by + 60, seed=28, color=hexc("#ffd58f"), opacity=0.5, count=50, x_range=(bx + 20, bx + 300), width=(10, 40))
    save_jpeg(L.final(), HERE / "travel-geo/img/paris.jpg", seed=29, grain=1.5)


def dune(L: Layer, crest, base_y, lit, shade_c, seed, ridge_light=None):
    """A dune: polygon under a crest line, lit face vs shadow face split by a
    sharp curve running down from the crest."""
    poly = crest + [(crest[-1][0], base_y), (crest[0][0], base_y)]
    m = L.poly_mask(poly)
    ys = [p[1] for p in crest]
    L.paint(m, L.grad([(0, lit), (1, mix(lit, shade_c, 0.35))], 90, (0, min(ys), L.w, base_y)))
    return m


def dubai():
    L = Layer(1200, 800, ss=2)
    sky(L, [(0, hexc("#5d93c4")), (0.3, hexc("#a9c3cf")), (0.5, hexc("#efd3a6")), (0.62, hexc("#f6c07c")), (1, hexc("#f6c07c"))])
    sun = (860, 330)
    L.paint(L.ellipse_mask((sun[0] - 420, sun[1] - 300, sun[0] + 420, sun[1] + 300), blur=140), hexc("#fff1c4"), 0.75)
    glow(L, [sun], 160, hexc("#fff6d8"), 0.7)
    L.ellipse((sun[0] - 46, sun[1] - 46, sun[0] + 46, sun[1] + 46), hexc("#fffaf0"))
    # thin clouds of haze streaking across the sun
    for y, x0, x1, o in ((300, 560, 1150, 0.35), (352, 640, 1200, 0.25), (250, 200, 700, 0.2)):
        L.poly([(x0, y), (x1, y - 6), (x1 - 40, y + 8), (x0 + 30, y + 10)], hexc("#fff3dc"), o, blur=6)

    horizon = 500
    rng = np.random.default_rng(31)
    # skyline: three depth layers, hazier further away
    for layer_i, (haze, hmin, hmax, seed) in enumerate(((0.78, 20, 90, 32), (0.6, 30, 150, 33))):
        m, d = L.mask()
        x = 80
        while x < 1150:
            w = rng.uniform(14, 34)
            h = rng.uniform(hmin, hmax) * (1.0 if abs(x - 520) < 380 else 0.45)
            top = horizon - h
            d.rectangle(L.box((x, top, x + w, horizon + 2)), fill=255)
            style = rng.integers(0, 4)
            if style == 1:
                d.polygon(L.P([(x, top), (x + w / 2, top - w * 0.9), (x + w, top)]), fill=255)
            elif style == 2:
                d.ellipse(L.box((x, top - w * 0.5, x + w, top + w * 0.5)), fill=255)
            elif style == 3:
                d.rectangle(L.box((x + w / 2 - 1, top - 26, x + w / 2 + 1, top)), fill=255)
            x += w + rng.uniform(2, 26)
        L.paint(m, mix(hexc("#6b7390"), hexc("#f0d2a8"), haze))
    # the supertall, stepped and needle-topped, centre-left
    bx = 560
    m, d = L.mask()
    tiers = [(0, 44), (0.16, 36), (0.32, 29), (0.46, 23), (0.58, 17), (0.7, 12), (0.8, 8), (0.88, 5)]
    H = 410
    for (t0, hw), (t1, _) in zip(tiers, tiers[1:] + [(0.95, 0)]):
        d.rectangle(L.box((bx - hw, horizon - H * t1, bx + hw * 0.7, horizon - H * t0 + 1)), fill=255)
    d.polygon(L.P([(bx - 3, horizon - H * 0.95), (bx + 1, horizon - H * 1.02), (bx + 3, horizon - H * 0.95)]), fill=255)
    L.paint(m, L.grad([(0, hexc("#8a93ad")), (0.5, hexc("#b9b4b8")), (1, hexc("#a8a1a6"))], 0, (bx - 44, 0, bx + 32, 800)))
    lit_edge = ImageChops.subtract(m, ImageChops.offset(m, -int(3 * L.ss), 0))
    L.paint(lit_edge, hexc("#fff2d2"), 0.8)
    # near towers, darker, with glass banding
    m, d = L.mask()
    nears = [(330, 26, 170), (372, 20, 120), (420, 30, 205), (640, 30, 180), (690, 22, 130), (745, 28, 150), (250, 22, 90), (800, 20, 95)]
    for x, w, h in nears:
        d.rectangle(L.box((x, horizon - h, x + w, horizon + 2)), fill=255)
        d.polygon(L.P([(x, horizon - h), (x + w, horizon - h - w * 0.6), (x + w, horizon - h)]), fill=255)
    L.paint(m, L.grad([(0, hexc("#5e6f8a")), (1, hexc("#a19aa5"))], 90, (0, 280, 1200, 500)))
    bands, bd = L.mask()
    for y in range(260, 500, 7):
        bd.rectangle(L.box((0, y, 1200, y + 2)), fill=255)
    L.paint(ImageChops.multiply(bands, m), hexc("#d9e2ee"), 0.25)
    L.paint(ImageChops.subtract(m, ImageChops.offset(m, -int(3 * L.ss), 0)), hexc("#ffe9c0"), 0.7)
    # heat haze over the horizon
    L.paint(L.poly_mask([(0, horizon - 60), (1200, horizon - 60), (1200, horizon + 10), (0, horizon + 10)], blur=20), hexc("#f7d4a2"), 0.45)

    # dunes, back to front
    SAND_LIT, SAND_SH = hexc("#f2b878"), hexc("#b96a3a")
    d1 = bezier((0, 520), (300, 470), (650, 540), (1200, 500), 80)
    dune(L, d1, 800, mix(SAND_LIT, hexc("#f5d2a6"), 0.4), SAND_SH, 34)
    d2 = bezier((0, 610), (250, 520), (520, 560), (760, 600), 80) + bezier((760, 600), (900, 620), (1050, 560), (1200, 585), 60)
    m2 = dune(L, d2, 800, SAND_LIT, SAND_SH, 35)
    # shadow face of the near dune: region left of a curve from the crest down
    sh = bezier((262, 548), (250, 620), (190, 680), (40, 760), 50) + [(0, 760), (0, 600)]
    L.paint(ImageChops.multiply(L.poly_mask(sh, blur=1.5), m2), SAND_SH, 0.55)
    d3 = bezier((0, 720), (300, 660), (700, 700), (1200, 640), 80)
    m3 = dune(L, d3, 800, mix(SAND_LIT, (255, 220, 170), 0.2), SAND_SH, 36)
    sh3 = bezier((880, 668), (820, 720), (760, 770), (700, 800), 40) + [(1200, 800), (1200, 640)]
    L.paint(ImageChops.multiply(L.poly_mask(sh3, blur=1.5), m3), SAND_SH, 0.45)
    # wind ripples on the sand
    rm, rd = L.mask()
    for i in range(90):
        y = rng.uniform(600, 800)
        x = rng.uniform(0, 1200)
        w = rng.uniform(40, 140)
        rd.arc(L.box((x - w, y - 6, x + w, y + 6)), 200, 340, fill=255, width=int(1.2 * L.ss))
    L.paint(ImageChops.multiply(rm, ImageChops.lighter(m2, m3)), hexc("#9a5a30"), 0.25)
    # a camel caravan on the far dune crest
    def camel(x, y, s):
        cm, cd = L.mask()
        cd.ellipse(L.box((x - 14 * s, y - 16 * s, x + 14 * s, y - 2 * s)), fill=255)
        cd.ellipse(L.box((x - 6 * s, y - 24 * s, x + 6 * s, y - 10 * s)), fill=255)
        for lx in (-10, -5, 6, 11):
            cd.line(L.P([(x + lx * s, y - 6 * s), (x + lx * s, y + 10 * s)]), fill=255, width=max(1, int(2.2 * s * L.ss)))
        cd.line(L.P([(x + 12 * s, y - 10 * s), (x + 20 * s, y - 22 * s)]), fill=255, width=int(4 * s * L.ss))
        cd.ellipse(L.box((x + 17 * s, y - 26 * s, x + 26 * s, y - 20 * s)), fill=255)
        return cm
    cm = ImageChops.lighter(ImageChops.lighter(camel(160, 512, 0.8), camel(200, 508, 0.8)), camel(238, 505, 0.8))
    L.paint(cm, hexc("#6b3f2a"), 0.9)
    save_jpeg(L.final(), HERE / "travel-geo/img/dubai.jpg", seed=37, grain=1.5)


def cloud(L: Layer, cx, cy, w, seed, shade_c=(176, 196, 222), opacity=0.95):
    """Cumulus: overlapping puffs, flat-ish base, shaded underside."""
    rng = np.random.default_rng(seed)
    m, d = L.mask()
    for i in range(16):
        t = i / 15
        x = cx - w / 2 + w * t + rng.uniform(-8, 8)
        r = w * (0.1 + 0.17 * math.sin(math.pi * t) ** 0.8) * rng.uniform(0.8, 1.15)
        y = cy - r * 0.55 + rng.uniform(-5, 5)
        d.ellipse(L.box((x - r, y - r, x + r, y + r)), fill=255)
    base = L.poly_mask([(cx - w, cy - w), (cx + w, cy - w), (cx + w, cy + 2), (cx - w, cy + 2)], blur=5)
    m = ImageChops.multiply(m, base).filter(ImageFilter.GaussianBlur(1.8 * L.ss))
    L.paint(m, (255, 255, 255), opacity)
    under = L.grad([(0, (0, 0, 0, 0)), (0.45, (0, 0, 0, 0)), (1, (255, 255, 255, 255))], 90, (0, cy - w * 0.3, L.w, cy + 2)).getchannel("A")
    L.paint(ImageChops.multiply(m, under), shade_c, 0.75 * opacity)


def palm(L: Layer, base, top, seed, trunk=(34, 18), frond_len=210, color=hexc("#2f6b3c")):
    rng = np.random.default_rng(seed)
    bx, by = base
    tx, ty = top
    path = bezier((bx, by), (bx - 10, by - 200), (tx + 40, ty + 160), (tx, ty), 80)
    # shadow on the sand, cast to the right
    L.line([(bx, by), (bx + 320, by + 40)], 16, (90, 60, 20), 0.18, blur=8)
    for i, (x, y) in enumerate(path[:-1]):
        t = i / len(path)
        w = trunk[0] + (trunk[1] - trunk[0]) * t
        nx, ny = path[i + 1]
        L.line([(x, y), (nx, ny)], w, mix(hexc("#6e5136"), hexc("#a88461"), 0.5 + 0.3 * math.sin(i * 0.9)))
    # trunk rings + side shading
    rm, rd = L.mask()
    for i in range(4, len(path) - 2, 3):
        x, y = path[i]
        t = i / len(path)
        w = trunk[0] + (trunk[1] - trunk[0]) * t
        rd.arc(L.box((x - w / 2, y - 5, x + w / 2, y + 5)), 10, 170, fill=255, width=int(1.6 * L.ss))
    L.paint(rm, hexc("#4a3522"), 0.8)
    sh, sd = L.mask()
    for i, (x, y) in enumerate(path[:-1]):
        t = i / len(path)
        w = trunk[0] + (trunk[1] - trunk[0]) * t
        sd.ellipse(L.box((x + w * 0.1, y - 3, x + w / 2, y + 3)), fill=255)
    L.paint(sh.filter(ImageFilter.GaussianBlur(2 * L.ss)), (40, 25, 10), 0.45)
    # fronds
    angles = [-175, -150, -125, -100, -75, -50, -25, 0, 20, 160, 195]
    for k, a in enumerate(angles):
        a = math.radians(a + rng.uniform(-8, 8))
        ln = frond_len * rng.uniform(0.8, 1.1)
        droop = ln * (0.2 + 0.35 * abs(math.cos(a)))
        p0 = (tx, ty)
        p3 = (tx + math.cos(a) * ln, ty + math.sin(a) * ln * 0.55 + droop)
        p1 = (tx + math.cos(a) * ln * 0.35, ty + math.sin(a) * ln * 0.45 - 20)
        p2 = (tx + math.cos(a) * ln * 0.75, ty + math.sin(a) * ln * 0.55 + droop * 0.2)
        rach = bezier(p0, p1, p2, p3, 40)
        lm, ld = L.mask()
        for i in range(2, len(rach) - 1, 2):
            x, y = rach[i]
            px, py = rach[i - 1]
            dx, dy = x - px, y - py
            dl = math.hypot(dx, dy) + 1e-6
            nx, ny = -dy / dl, dx / dl
            leaf = 60 * math.sin(math.pi * min(1, i / len(rach) * 1.05)) ** 0.7 + 6
            for sgn in (-1, 1):
                ex = x + (nx * sgn * 0.8 + dx / dl * 0.5) * leaf
                ey = y + (ny * sgn * 0.8 + dy / dl * 0.5) * leaf + leaf * 0.55
                ld.polygon(L.P([(x - nx * 2.2, y - ny * 2.2), (x + nx * 2.2, y + ny * 2.2), ((x + ex) / 2 + 1.5, (y + ey) / 2 - 2), (ex, ey), ((x + ex) / 2 - 1.5, (y + ey) / 2 - 4)]), fill=255)
        L.shadow(lm, offset=(4, 8), blur=5, color=(10, 40, 20), opacity=0.15)
        L.paint(lm, mix(color, (0, 0, 0), 0.15 if k % 2 else 0.0))
        L.paint(ImageChops.multiply(lm, L.grad([(0, (255, 255, 255, 80)), (1, (0, 0, 0, 0))], 90, (0, ty - 80, L.w, ty + 160)).getchannel("A")), hexc("#9ccf6a"), 0.6)
        L.line(rach, 4, mix(color, (0, 0, 0), 0.25))
    # coconuts
    for dx, dy in ((-10, 12), (8, 14), (0, 22)):
        L.ellipse((tx + dx - 9, ty + dy - 9, tx + dx + 9, ty + dy + 9), hexc("#5a4a22"))


def beach_umbrella(L: Layer, x, y, r, c1, c2, tilt=0.0):
    """Striped parasol on a pole, seen from the side, with its shadow."""
    yt = y - r * 1.15
    L.ellipse((x - r * 0.95 + 14, y - 5, x + r * 0.95 + 14, y + 9), (120, 90, 40), 0.28, blur=3)
    L.line([(x + tilt * 12, y), (x, yt - r * 0.2)], 3, hexc("#ebe6dc"))
    dome = L.poly_mask(ellipse_pts(x, yt + r * 0.25, r, r * 0.5, 180, 360, 60) + [(x + r, yt + r * 0.25)])
    segs = 6
    for i in range(segs):
        b0 = x - r * 1.1 + 2.2 * r * i / segs
        b1 = x - r * 1.1 + 2.2 * r * (i + 1) / segs
        sect = L.poly_mask([(x, yt - r * 0.4), (b0, yt + r * 0.3), (b1, yt + r * 0.3)])
        L.paint(ImageChops.multiply(sect, dome), c1 if i % 2 else c2)
    L.paint(dome, L.grad([(0, (255, 255, 255, 60)), (0.5, (0, 0, 0, 0)), (1, (0, 0, 0, 70))], 0, (x - r, 0, x + r, 0)))
    # scalloped valance
    for i in range(segs):
        b0 = x - r + 2 * r * i / segs
        L.ellipse((b0, yt + r * 0.18, b0 + 2 * r / segs, yt + r * 0.34), c1 if i % 2 else c2)


def tel_aviv():
    L = Layer(1200, 800, ss=2)
    sky(L, [(0, hexc("#2f7fd6")), (0.35, hexc("#6fb3ea")), (0.5, hexc("#b8dcf3")), (1, hexc("#b8dcf3"))])
    glow(L, [(980, 60)], 260, hexc("#ffffff"), 0.45)
    cloud(L, 250, 150, 300, seed=41)
    cloud(L, 620, 95, 200, seed=42, opacity=0.8)
    cloud(L, 1050, 250, 260, seed=43, opacity=0.85)
    cloud(L, 120, 300, 140, seed=44, opacity=0.6)
    horizon = 392
    vp = (660, horizon + 2)  # where the shoreline meets the horizon
    # sea: left wedge up to the vanishing point
    shore = bezier(vp, (520, horizon + 40), (240, horizon + 120), (-10, horizon + 190), 80)[::-1]
    seam = L.poly_mask([(-10, horizon), (vp[0] + 2, horizon)] + shore[::-1])
    L.paint(seam, L.grad([(0, hexc("#1c5f9c")), (0.35, hexc("#2389b5")), (0.75, hexc("#35b5c4")), (1, hexc("#63d1c9"))], 90, (0, horizon, 1200, horizon + 190)))
    ripples(L, horizon + 2, horizon + 190, seed=46, color=(255, 255, 255), opacity=0.45, count=300, x_range=(0, 640), width=(6, 36))
    ripples(L, horizon + 2, horizon + 60, seed=47, color=hexc("#fffbe0"), opacity=0.7, count=90, x_range=(380, 640), width=(4, 22))
    # sand: everything under the shoreline and right of the vanishing point
    sand = [vp, (1210, horizon + 2), (1210, 810), (-10, 810)] + shore
    sm_ = L.poly_mask(sand)
    L.paint(sm_, L.grad([(0, hexc("#e6cf9f")), (0.25, hexc("#f1ddb0")), (1, hexc("#f6e4bc"))], 90, (0, horizon, 1200, 800)))
    # city front on the right, receding to the vanishing point
    rng = np.random.default_rng(45)
    m, d = L.mask()
    facades = []
    x = vp[0] + 4
    while x < 1210:
        t = (x - vp[0]) / (1210 - vp[0])
        base = horizon + 2 + 80 * t
        w = rng.uniform(10, 22) * (0.5 + 1.8 * t)
        h = rng.uniform(12, 30) * (0.5 + 2.2 * t) * (2.6 if rng.uniform() < 0.16 else 1.0)
        d.rectangle(L.box((x, base - h, x + w, base + 2)), fill=255)
        facades.append((x, base - h, x + w, base))
        x += w + rng.uniform(0, 3) * (0.5 + t)
    L.paint(m, L.grad([(0, hexc("#e3e9ee")), (1, hexc("#f8f3ea"))], 0, (vp[0], 0, 1200, 0)))
    sm, sd = L.mask()
    bm, bd = L.mask()
    wm, wd = L.mask()
    for x0, y0, x1, y1 in facades:
        sd.rectangle(L.box((x1 - (x1 - x0) * 0.3, y0, x1, y1)), fill=255)
        step = max(3.0, (y1 - y0) / 12)
        yy = y0 + step * 0.6
        while yy < y1 - 2:
            bd.rectangle(L.box((x0 + 1.5, yy, x1 - 1.5, yy + max(1.0, step * 0.22))), fill=255)
            wd.rectangle(L.box((x0 + 2, yy - step * 0.45, x1 - (x1 - x0) * 0.35, yy - step * 0.15)), fill=255)
            yy += step
    L.paint(wm, hexc("#6d8db0"), 0.45)
    L.paint(sm, hexc("#9fb4c8"), 0.55)
    L.paint(bm, hexc("#ffffff"), 0.7)
    L.paint(ImageChops.multiply(m, L.poly_mask([(vp[0] - 40, horizon - 140), (1200, horizon - 140), (1200, horizon + 90), (vp[0] - 40, horizon + 20)], blur=50)), hexc("#d6ebf7"), 0.3)
    # promenade palms and lawn in front of the buildings
    prom = [(vp[0] + 2, horizon + 3), (1210, horizon + 82), (1210, horizon + 96), (vp[0] + 2, horizon + 5)]
    L.poly(prom, hexc("#7f9e5b"))
    L.poly([(vp[0] + 2, horizon + 5), (1210, horizon + 96), (1210, horizon + 104), (vp[0] + 2, horizon + 6)], hexc("#d8d2c4"))
    for k in range(9):
        t = (k + 0.5) / 9
        px = vp[0] + (1210 - vp[0]) * t
        py = horizon + 4 + 82 * t
        hgt = 12 + 50 * t
        L.line([(px, py), (px + 2, py - hgt)], 1 + 2 * t, hexc("#6e5136"))
        for a in range(-160, 20, 30):
            ar = math.radians(a)
            L.line([(px + 2, py - hgt), (px + 2 + math.cos(ar) * hgt * 0.35, py - hgt + math.sin(ar) * hgt * 0.18 + hgt * 0.08)], 1 + 2.2 * t, hexc("#3f7a3f"))
    # wet band, foam
    wet = shore + [(x + 14, y + 22) for x, y in shore[::-1]]
    L.poly(wet, hexc("#cbb07c"), 0.55, blur=4)
    for k, (dy, o, wd) in enumerate(((-4, 0.95, 5), (-16, 0.7, 3.5), (-34, 0.45, 2.5))):
        foam = []
        for x, y in shore:
            dpt = max(0.0, (y - horizon) / 190.0)
            foam.append((x, y + (dy + 3 * math.sin(x / 23.0 + k)) * dpt))
        wd = wd
        L.line(foam, wd, (255, 255, 255), o, blur=0.8)
    # grain in the sand
    g = np.random.default_rng(48)
    gm, gd = L.mask()
    for _ in range(2500):
        x, y = g.uniform(0, 1200), g.uniform(480, 800)
        gd.point((x * L.ss, y * L.ss), fill=255)
    L.paint(ImageChops.multiply(gm, sm_), hexc("#b79a66"), 0.6)
    # umbrellas and a lifeguard hut
    hut = (470, 520)
    L.poly([(hut[0] - 26, hut[1] - 40), (hut[0] + 26, hut[1] - 40), (hut[0] + 22, hut[1] - 10), (hut[0] - 22, hut[1] - 10)], hexc("#f4f1ea"))
    L.poly([(hut[0] - 32, hut[1] - 40), (hut[0], hut[1] - 56), (hut[0] + 32, hut[1] - 40)], hexc("#d9463b"))
    L.poly([(hut[0] - 10, hut[1] - 34), (hut[0] + 10, hut[1] - 34), (hut[0] + 10, hut[1] - 22), (hut[0] - 10, hut[1] - 22)], hexc("#3d6e93"))
    for lx in (-18, 18):
        L.line([(hut[0] + lx, hut[1] - 10), (hut[0] + lx * 1.3, hut[1] + 8)], 3, hexc("#d8d2c4"))
    beach_umbrella(L, 660, 520, 26, hexc("#f2f2f2"), hexc("#2a8bd0"))
    beach_umbrella(L, 300, 650, 46, hexc("#f2f2f2"), hexc("#e8563f"))
    beach_umbrella(L, 560, 720, 60, hexc("#ffd23f"), hexc("#f2f2f2"))
    palm(L, (990, 830), (950, 230), seed=49, frond_len=190)
    save_jpeg(L.final(), HERE / "travel-geo/img/tel-aviv.jpg", seed=50, grain=1.5)


def spire(cx, base, top, w):
    """Parabolic bell tower outline (Gaudi-like)."""
    left, right = [], []
    for t in np.linspace(0, 1, 50):
        y = base - (base - top) * t
        hw = w / 2 * (1 - t**2.4) ** 0.9 + 1.0
        left.append((cx - hw, y))
        right.append((cx + hw, y))
    return left + right[::-1]


def barcelona():
    L = Layer(1200, 800, ss=2)
    sky(L, [(0, hexc("#4a78bd")), (0.25, hexc("#8fb0d6")), (0.45, hexc("#eecb9d")), (0.55, hexc("#f6b27c")), (1, hexc("#f6b27c"))])
    sun = (1030, 330)
    L.paint(L.ellipse_mask((sun[0] - 380, sun[1] - 260, sun[0] + 380, sun[1] + 260), blur=120), hexc("#ffe1a8"), 0.7)
    glow(L, [sun], 120, hexc("#fff3d2"), 0.8)
    L.ellipse((sun[0] - 34, sun[1] - 34, sun[0] + 34, sun[1] + 34), hexc("#fff8e6"))
    horizon = 432
    # sea on the right with a glitter path under the sun
    L.poly([(640, horizon), (1210, horizon), (1210, 600), (640, 600)], L.grad([(0, hexc("#5b86b8")), (1, hexc("#3f6fa6"))], 90, (0, horizon, 1200, 560)))
    ripples(L, horizon + 1, 560, seed=51, color=hexc("#ffe7b8"), opacity=0.8, count=160, x_range=(960, 1100), width=(4, 26))
    ripples(L, horizon + 1, 560, seed=52, color=(255, 255, 255), opacity=0.3, count=200, x_range=(640, 1200), width=(6, 30))
    # sailing boat
    L.poly([(880, 470), (884, 420), (906, 468)], hexc("#fbf6ee"))
    L.poly([(870, 472), (910, 472), (904, 478), (876, 478)], hexc("#34475e"))
    # Collserola hills behind, Tibidabo-like temple on the summit
    hills = [(-10, 380)] + bezier((-10, 380), (150, 300), (260, 318), (360, 340), 40) + bezier((360, 340), (480, 360), (620, 410), (760, horizon + 4), 40) + [(760, 470), (-10, 470)]
    L.poly(hills, L.grad([(0, hexc("#7d7fa8")), (1, hexc("#b59ab0"))], 90, (0, 300, 800, 470)))
    L.poly(spire(205, 318, 282, 10), hexc("#6e6f97"))
    L.poly([(190, 320), (220, 320), (220, 306), (190, 306)], hexc("#6e6f97"))
    # city: hazy back rows to crisp front rows, sloping to the sea
    bands = [(452, 8, 18, 14, 28, 0.7, 61), (480, 10, 24, 16, 34, 0.5, 62), (520, 14, 32, 20, 44, 0.32, 63), (580, 18, 44, 26, 60, 0.15, 64), (660, 24, 58, 34, 80, 0.05, 65), (760, 30, 74, 44, 100, 0.0, 66)]
    haze_c = hexc("#f0c9a2")
    for i, (base, hmin, hmax, wmin, wmax, haze, seed) in enumerate(bands):
        x1 = 760 + (i * 90) if base < 560 else 1210
        m, boxes = building_row(L, -10, x1, base, hmin, hmax, wmin, wmax, seed, roof="tile" if i % 2 else "flat", extend=320)
        rng = np.random.default_rng(seed + 100)
        wall = mix(mix(hexc("#e8cfa8"), hexc("#d9a47a"), rng.uniform(0.2, 0.7)), haze_c, haze)
        L.paint(m, L.grad([(0, wall), (1, mix(wall, (120, 70, 50), 0.25))], 0, (0, 0, 1200, 0)))
        # shaded side walls and terracotta roofs
        sm, sd = L.mask()
        rm, rd = L.mask()
        for j, (a, b, c, d) in enumerate(boxes):
            sd.rectangle(L.box((c - (c - a) * 0.28, b, c, d)), fill=255)
            if i % 2:
                rd.polygon(L.P([(a - 2, b), ((a + c) / 2, b - (c - a) * 0.18), (c + 2, b)]), fill=255)
        L.paint(sm, mix(hexc("#7a4d3e"), haze_c, haze), 0.45)
        L.paint(rm, mix(hexc("#b85a3c"), haze_c, haze))
        if haze < 0.4:
            windows(L, boxes, seed=seed + 7, lit_p=0.06, lit_color=hexc("#ffe1a6"), dark_color=mix(hexc("#5a3b32"), haze_c, haze), size=(3 + i * 0.6, 4 + i * 0.9), gap=(7 + i * 1.6, 9 + i * 2), margin=4 + i, dark_opacity=0.75)
        if i == 2:
            # the basilica rises from the middle distance
            cx, base_s = 560, 560
            stone = hexc("#d7ab7b")
            parts = [spire(cx, base_s, 128, 44)]
            for dx, top, w in ((-70, 190, 30), (-40, 168, 32), (40, 168, 32), (70, 190, 30), (-112, 250, 26), (112, 250, 26), (-140, 290, 22), (140, 290, 22)):
                parts.append(spire(cx + dx, base_s, top, w))
            pm, pd = L.mask()
            for p in parts:
                pd.polygon(L.P(p), fill=255)
            pd.rectangle(L.box((cx - 170, 430, cx + 170, base_s)), fill=255)
            pd.polygon(L.P([(cx - 60, 430), (cx, 360), (cx + 60, 430)]), fill=255)
            L.shadow(pm, offset=(0, 0), blur=14, color=hexc("#fff1d8"), opacity=0.35)
            L.paint(pm, L.grad([(0, mix(stone, (255, 240, 210), 0.35)), (0.55, stone), (1, mix(stone, (90, 50, 40), 0.4))], 0, (cx - 170, 0, cx + 170, 0)))
            # openings and ribs on the towers
            om, od = L.mask()
            for p in parts:
                xs_ = [q[0] for q in p]
                ys_ = [q[1] for q in p]
                cxp, w = (min(xs_) + max(xs_)) / 2, max(xs_) - min(xs_)
                top = min(ys_)
                for k in range(6, 40):
                    yy = base_s - 8 - k * 8
                    if yy < top + (base_s - top) * 0.28:
                        break
                    od.ellipse(L.box((cxp - w * 0.09, yy - 2.2, cxp + w * 0.09, yy + 2.2)), fill=255)
            L.paint(ImageChops.multiply(om, pm), hexc("#6a4434"), 0.45)
            # coloured pinnacles
            for p in parts:
                top = min(q[1] for q in p)
                cxp = (min(q[0] for q in p) + max(q[0] for q in p)) / 2
                L.ellipse((cxp - 5, top - 6, cxp + 5, top + 4), hexc("#e23d3d") if abs(cxp - cx) > 1 else hexc("#f5e6c8"))
            L.poly([(cx - 2, 108), (cx + 2, 108), (cx + 2, 132), (cx - 2, 132)], hexc("#f5e6c8"))
            L.poly([(cx - 9, 116), (cx + 9, 116), (cx + 9, 120), (cx - 9, 120)], hexc("#f5e6c8"))
            # rose window + portal
            L.ellipse((cx - 18, 452, cx + 18, 488), hexc("#6a3d34"))
            L.ellipse((cx - 12, 458, cx + 12, 482), hexc("#e7a25a"), 0.7)
            # construction crane
            cr = hexc("#e4b33a")
            L.line([(cx + 205, base_s), (cx + 205, 150)], 6, cr)
            L.line([(cx + 120, 158), (cx + 330, 158)], 5, cr)
            L.line([(cx + 205, 150), (cx + 205, 132)], 3, cr)
            L.line([(cx + 205, 132), (cx + 130, 158)], 1.5, cr)
            L.line([(cx + 205, 132), (cx + 320, 158)], 1.5, cr)
            L.line([(cx + 300, 158), (cx + 300, 230)], 1, hexc("#3b3b3b"))
            for yy in range(160, int(base_s), 12):
                L.line([(cx + 202, yy), (cx + 208, yy + 12)], 1.2, mix(cr, (0, 0, 0), 0.3))
        if i == 3:
            # bullet-shaped tower by the sea
            gx, gb = 900, 580
            g = spire(gx, gb, 330, 56)
            gm = L.poly_mask(g)
            L.paint(gm, L.grad([(0, hexc("#c5574a")), (0.5, hexc("#d98b6d")), (1, hexc("#5d7fb3"))], 90, (0, 330, 1200, gb)))
            L.paint(gm, L.grad([(0, (255, 255, 255, 90)), (0.5, (0, 0, 0, 0)), (1, (0, 0, 0, 90))], 0, (gx - 28, 0, gx + 28, 0)))
            grid, gd = L.mask()
            for yy in range(332, gb, 5):
                gd.line(L.P([(gx - 30, yy), (gx + 30, yy)]), fill=255, width=1)
            L.paint(ImageChops.multiply(grid, gm), (255, 255, 255), 0.25)
    # foreground: a park's pines and palms, dark against the city
    rng = np.random.default_rng(67)
    tm, td = L.mask()
    for k in range(26):
        x = rng.uniform(-20, 480) if k < 20 else rng.uniform(1000, 1220)
        y = rng.uniform(730, 800)
        r = rng.uniform(30, 60)
        td.ellipse(L.box((x - r * 1.3, y - r * 0.7, x + r * 1.3, y + r * 0.5)), fill=255)
        td.rectangle(L.box((x - 3, y, x + 3, 810)), fill=255)
    L.paint(tm, L.grad([(0, hexc("#3d5a3a")), (1, hexc("#1f3324"))], 90, (0, 680, 1200, 800)))
    L.paint(ImageChops.multiply(tm, L.grad([(0, (255, 255, 255, 110)), (0.5, (0, 0, 0, 0))], 90, (0, 680, 1200, 800)).getchannel("A")), hexc("#d9b46a"), 0.4)
    save_jpeg(L.final(), HERE / "travel-geo/img/barcelona.jpg", seed=68, grain=1.5)


# ==========================================================================
# APP INSTALL: icon + phone mockup
# ==========================================================================

PULSE_A, PULSE_B = hexc("#ff4f6d"), hexc("#ff9f43")
NAVY = hexc("#14213d")


def pulse_path(x0, y0, w, h):
    """The heartbeat line used by the Pulse brand (design coords)."""
    pts = [(0.0, 0.55), (0.28, 0.55), (0.36, 0.34), (0.46, 0.86), (0.56, 0.14), (0.64, 0.62), (0.7, 0.55), (1.0, 0.55)]
    return [(x0 + w * a, y0 + h * b) for a, b in pts]


def draw_pulse_icon(L: Layer, x, y, size):
    sq = superellipse_pts(x + size / 2, y + size / 2, size / 2, size / 2, p=5.0)
    m = L.poly_mask(sq)
    L.paint(m, L.grad([(0, PULSE_A), (1, PULSE_B)], 45, (x, y, x + size, y + size)))
    # sun disc peeking over the line
    s = size
    L.ellipse((x + s * 0.52, y + s * 0.16, x + s * 0.82, y + s * 0.46), (255, 236, 179), 0.95)
    L.paint(ImageChops.multiply(m, L.rgrad((x + s * 0.3, y + s * 0.2), (s * 0.8, s * 0.6), [(0, (255, 255, 255, 70)), (1, (255, 255, 255, 0))]).getchannel("A")), (255, 255, 255), 1.0)
    line = pulse_path(x + s * 0.14, y + s * 0.3, s * 0.72, s * 0.42)
    L.shadow(L.line_mask(line, s * 0.075), offset=(0, s * 0.015), blur=s * 0.02, color=(120, 20, 30), opacity=0.35)
    L.line(line, s * 0.075, (255, 255, 255))
    return m


def app_icon():
    L = Layer(512, 512, ss=3)
    draw_pulse_icon(L, 0, 0, 512)
    save_png(L.final("RGBA"), HERE / "app-install/img/icon.png")


def font(name, size):
    return ImageFont.truetype(str(FONT_DIR / name), size)


def phone():
    W, H = 600, 1200
    L = Layer(W, H, ss=2)
    # device: graphite frame, inner bezel, screen
    body = rounded_rect_pts(24, 14, 576, 1186, 84)
    bm = L.poly_mask(body)
    L.shadow(bm, offset=(0, 10), blur=14, opacity=0.35)
    L.paint(bm, L.grad([(0, hexc("#4a4d55")), (0.5, hexc("#25272c")), (1, hexc("#45484f"))], 0, (24, 0, 576, 0)))
    L.poly(rounded_rect_pts(30, 20, 570, 1180, 79), hexc("#0c0d10"))
    for y0, y1 in ((200, 260), (290, 380), (400, 490)):
        L.poly([(18, y0), (26, y0), (26, y1), (18, y1)], hexc("#3a3d44"))
    L.poly([(574, 320), (582, 320), (582, 450), (574, 450)], hexc("#3a3d44"))
    sx0, sy0, sx1, sy1 = 44, 34, 556, 1166
    screen = L.poly_mask(rounded_rect_pts(sx0, sy0, sx1, sy1, 66))
    L.paint(screen, L.grad([(0, hexc("#fff1ec")), (0.35, hexc("#f7f7fb")), (1, hexc("#f2f3f8"))], 90, (sx0, sy0, sx1, sy1)))
    # header wash
    L.paint(ImageChops.multiply(screen, L.poly_mask([(sx0, sy0), (sx1, sy0), (sx1, 330), (sx0, 380)])), L.grad([(0, PULSE_A), (1, PULSE_B)], 20, (sx0, sy0, sx1, 380)))
    # dynamic island
    L.poly(rounded_rect_pts(240, 50, 360, 84, 17), hexc("#050506"))
    # status bar
    WHITE = (255, 255, 255)
    L.text((92, 67), "9:41", 21, WHITE, anchor="lm")
    for i in range(4):
        h = 6 + i * 3.5
        L.poly(rounded_rect_pts(430 + i * 8, 74 - h, 435 + i * 8, 74, 1.5), WHITE)
    wm_, wd_ = L.mask()
    for r in (15, 10, 5):
        wd_.pieslice(L.box((478 - r, 76 - r, 478 + r, 76 + r)), 225, 315, fill=255)
        if r > 5:
            wd_.pieslice(L.box((478 - r + 3, 76 - r + 3, 478 + r - 3, 76 + r - 3)), 225, 315, fill=0)
    L.paint(wm_, WHITE)
    L.poly(rounded_rect_pts(500, 60, 530, 76, 4), WHITE, 0.45)
    L.poly(rounded_rect_pts(502, 62, 524, 74, 3), WHITE)
    L.poly(rounded_rect_pts(531, 65, 534, 71, 1), WHITE, 0.45)
    # greeting
    L.text((84, 140), "Good morning, Sam", 33, WHITE, anchor="ls")
    L.text((84, 176), "Thursday \u00b7 London", 21, (255, 235, 230), font="DejaVuSans.ttf", anchor="ls")
    L.ellipse((470, 110, 520, 160), (255, 255, 255), 0.3)
    L.text((495, 136), "S", 22, WHITE, anchor="mm")

    def card(x0, y0, x1, y1, fill=(255, 255, 255)):
        m = L.poly_mask(rounded_rect_pts(x0, y0, x1, y1, 26))
        L.shadow(m, offset=(0, 6), blur=10, color=(40, 30, 80), opacity=0.14)
        L.paint(m, fill)
        return m

    # weather card
    cm = card(72, 210, 528, 400)
    L.paint(cm, L.grad([(0, hexc("#2f80ed")), (1, hexc("#56ccf2"))], 25, (72, 210, 528, 400)))
    L.ellipse((108, 246, 178, 316), hexc("#ffd166"))
    glow(L, [(143, 281)], 60, hexc("#ffe7a3"), 0.6)
    for cx_, cy_, r_ in ((170, 318, 30), (205, 304, 36), (240, 322, 26)):
        L.ellipse((cx_ - r_, cy_ - r_, cx_ + r_, cy_ + r_), (255, 255, 255))
    L.poly([(140, 322), (266, 322), (266, 348), (140, 348)], (255, 255, 255))
    L.text((510, 300), "14\u00b0", 70, WHITE, anchor="rs")
    L.text((510, 336), "Light breeze", 20, WHITE, font="DejaVuSans.ttf", anchor="rs")
    L.text((104, 378), "Perfect for a run before 10:00", 20, WHITE, anchor="ls")

    # weekly goal ring + stats
    card(72, 424, 528, 620)
    cx_, cy_, r_ = 170, 522, 66
    rm = ImageChops.subtract(L.ellipse_mask((cx_ - r_, cy_ - r_, cx_ + r_, cy_ + r_)), L.ellipse_mask((cx_ - r_ + 16, cy_ - r_ + 16, cx_ + r_ - 16, cy_ + r_ - 16)))
    L.paint(rm, hexc("#f1e6e6"))
    arc, ad = L.mask()
    ad.pieslice(L.box((cx_ - r_ - 2, cy_ - r_ - 2, cx_ + r_ + 2, cy_ + r_ + 2)), -90, -90 + 0.72 * 360, fill=255)
    L.paint(ImageChops.multiply(rm, arc), L.grad([(0, PULSE_A), (1, PULSE_B)], 0, (cx_ - r_, 0, cx_ + r_, 0)))
    end = math.radians(-90 + 0.72 * 360)
    L.ellipse((cx_ + (r_ - 8) * math.cos(end) - 8, cy_ + (r_ - 8) * math.sin(end) - 8, cx_ + (r_ - 8) * math.cos(end) + 8, cy_ + (r_ - 8) * math.sin(end) + 8), PULSE_B)
    L.ellipse((cx_ - 8, cy_ - r_, cx_ + 8, cy_ - r_ + 16), PULSE_A)
    L.text((cx_, cy_ + 2), "72%", 26, NAVY, anchor="mm")
    L.text((270, 490), "7.2 km", 40, NAVY, anchor="ls")
    L.text((270, 522), "of 10 km weekly goal", 19, hexc("#6b7280"), font="DejaVuSans.ttf", anchor="ls")
    L.text((270, 572), "\u2665 142 bpm", 20, PULSE_A, anchor="ls")
    L.text((420, 572), "\u26a1 486", 20, hexc("#f59e0b"), anchor="ls")

    # bar chart
    card(72, 644, 528, 930)
    L.text((100, 690), "This week", 24, NAVY, anchor="ls")
    L.text((500, 690), "km", 18, hexc("#9ca3af"), font="DejaVuSans.ttf", anchor="rs")
    vals = [3.1, 0, 5.2, 2.4, 6.8, 0, 4.0]
    days = "MTWTFSS"
    gm, gd = L.mask()
    for k in range(4):
        y = 880 - k * 42
        gd.line(L.P([(100, y), (500, y)]), fill=255, width=2)
    L.paint(gm, hexc("#eef0f4"))
    for i, v in enumerate(vals):
        x = 112 + i * 56
        h = max(10, v / 7.0 * 150)
        fill = L.grad([(0, PULSE_B), (1, PULSE_A)], 90, (x, 880 - h, x + 32, 880)) if i == 4 else hexc("#fbd0d6") if v else hexc("#eceef3")
        L.poly(rounded_rect_pts(x, 880 - h, x + 32, 880, min(9, h / 2 - 0.5)), fill)
        L.text((x + 16, 910), days[i], 17, NAVY if i == 4 else hexc("#9ca3af"), anchor="ms")
    L.poly(rounded_rect_pts(318, 704, 394, 734, 10), NAVY)
    L.text((356, 726), "6.8 km", 16, WHITE, anchor="ms")

    # CTA button
    bm2 = L.poly_mask(rounded_rect_pts(72, 956, 528, 1032, 38))
    L.shadow(bm2, offset=(0, 8), blur=10, color=PULSE_A, opacity=0.35)
    L.paint(bm2, L.grad([(0, PULSE_A), (1, PULSE_B)], 0, (72, 0, 528, 0)))
    L.text((300, 1004), "Start run", 27, WHITE, anchor="ms")
    # tab bar + home indicator
    L.paint(ImageChops.multiply(screen, L.poly_mask([(sx0, 1060), (sx1, 1060), (sx1, sy1), (sx0, sy1)])), (255, 255, 255), 0.95)
    L.line([(sx0, 1060), (sx1, 1060)], 1, hexc("#e5e7eb"))
    for i, x in enumerate((120, 240, 360, 480)):
        c = PULSE_A if i == 0 else hexc("#b6bcc8")
        if i == 0:
            L.line(pulse_path(x - 18, 1080, 36, 22), 4, c)
        elif i == 1:
            L.ellipse((x - 12, 1080, x + 12, 1104), c)
            L.ellipse((x - 6, 1086, x + 6, 1098), (255, 255, 255))
        elif i == 2:
            for j, hh in enumerate((10, 18, 24)):
                L.poly([(x - 14 + j * 10, 1104 - hh), (x - 7 + j * 10, 1104 - hh), (x - 7 + j * 10, 1104), (x - 14 + j * 10, 1104)], c)
        else:
            L.ellipse((x - 9, 1078, x + 9, 1094), c)
            L.poly(ellipse_pts(x, 1110, 16, 10, 180, 360, 30), c)
    L.poly(rounded_rect_pts(230, 1140, 370, 1146, 3), NAVY)
    # glass reflection across the screen
    L.paint(ImageChops.multiply(screen, L.poly_mask([(sx0, sy0), (330, sy0), (sx0, 520)], blur=2)), (255, 255, 255), 0.06)
    out = L.final("RGBA")
    save_png(out, HERE / "app-install/img/phone.png")


# ==========================================================================
# LOGOS: mark + wordmark, dark and light variants, 400 x 120
# ==========================================================================


def wordmark(L: Layer, x, y_mid, text, size, color, spacing=0.0):
    f = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), int(size * L.ss))
    m, d = L.mask()
    X = x * L.ss
    for ch in text:
        d.text((X, y_mid * L.ss), ch, font=f, fill=255, anchor="lm")
        X += f.getlength(ch) + spacing * L.ss
    L.paint(m, color)
    return X / L.ss


def cloud_mark(L: Layer, x, y, s, fill):
    m, d = L.mask()
    for cx, cy, r in ((0.3, 0.6, 0.19), (0.54, 0.47, 0.25), (0.76, 0.6, 0.17)):
        d.ellipse(L.box((x + (cx - r) * s, y + (cy - r) * s, x + (cx + r) * s, y + (cy + r) * s)), fill=255)
    d.rounded_rectangle(L.box((x + 0.06 * s, y + 0.56 * s, x + 0.98 * s, y + 0.78 * s)), radius=0.11 * s * L.ss, fill=255)
    L.paint(m, fill)
    # raindrop under the cloud
    drop = bezier((x + 0.52 * s, y + 0.8 * s), (x + 0.46 * s, y + 0.9 * s), (x + 0.44 * s, y + 0.96 * s), (x + 0.52 * s, y + 0.98 * s), 20) + bezier((x + 0.52 * s, y + 0.98 * s), (x + 0.6 * s, y + 0.96 * s), (x + 0.58 * s, y + 0.9 * s), (x + 0.52 * s, y + 0.8 * s), 20)
    return m, drop


def logos():
    for variant in ("dark", "light"):
        suffix = "" if variant == "dark" else "-light"
        # Nimbus (retail): cloud + raindrop, lowercase wordmark
        L = Layer(400, 120, ss=3)
        mark = L.grad([(0, hexc("#2a7fc1")), (1, hexc("#0f4c81"))], 90, (10, 14, 110, 106)) if variant == "dark" else (255, 255, 255)
        m, drop = cloud_mark(L, 8, 8, 104, mark)
        L.poly(drop, hexc("#ffd166"))
        wordmark(L, 122, 62, "nimbus", 58, hexc("#0f2a47") if variant == "dark" else (255, 255, 255), spacing=-1)
        save_png(L.final("RGBA"), HERE / f"retail-weather/img/logo{suffix}.png")

        # Wayfarer (travel): circle with a paper plane, wordmark
        L = Layer(400, 120, ss=3)
        ring_c = hexc("#0b7a75") if variant == "dark" else (255, 255, 255)
        L.ellipse((10, 16, 98, 104), ring_c)
        plane = [(30, 62), (82, 38), (62, 86), (54, 66)]
        L.poly(plane, (255, 255, 255) if variant == "dark" else hexc("#0b7a75"))
        L.poly([(54, 66), (82, 38), (48, 70)], hexc("#d9efe9") if variant == "dark" else hexc("#0a5f5b"))
        L.line(bezier((26, 84), (36, 92), (46, 90), (50, 80), 20), 3, hexc("#f4a259"))
        wordmark(L, 112, 60, "Wayfarer", 50, hexc("#0b3954") if variant == "dark" else (255, 255, 255), spacing=-0.5)
        save_png(L.final("RGBA"), HERE / f"travel-geo/img/logo{suffix}.png")

        # Pulse (app): squircle icon + wordmark
        L = Layer(400, 120, ss=3)
        draw_pulse_icon(L, 12, 14, 92)
        wordmark(L, 122, 60, "Pulse", 60, NAVY if variant == "dark" else (255, 255, 255), spacing=-1)
        save_png(L.final("RGBA"), HERE / f"app-install/img/logo{suffix}.png")


# --------------------------------------------------------------------------

ASSETS = {
    "umbrella": umbrella,
    "umbrella-red": umbrella_red,
    "sunglasses": sunglasses,
    "rain-jacket": rain_jacket,
    "beanie": beanie,
    "sun-hat": sun_hat,
    "paris": paris,
    "dubai": dubai,
    "tel-aviv": tel_aviv,
    "barcelona": barcelona,
    "app-icon": app_icon,
    "phone": phone,
    "logos": logos,
}


def main(argv):
    wanted = argv[1:]
    for name, fn in ASSETS.items():
        if wanted and not any(w in name for w in wanted):
            continue
        print(name)
        fn()


if __name__ == "__main__":
    main(sys.argv)
