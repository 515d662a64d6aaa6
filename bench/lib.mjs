// Small helpers shared by the runner and the smoke test: statistics, PNG
// decoding and comparison, side-by-side composition, file sizes.
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import pngjs from "pngjs";

const { PNG } = pngjs;

export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  // Linear interpolation between closest ranks (numpy's default).
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0], max: s[s.length - 1] };
}

/** Decodes a PNG to 8-bit RGBA; throws with `what` in the message when it is not one. */
export function decodePng(bytes, what = "PNG") {
  try {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: png.data };
  } catch (e) {
    throw new Error(`${what}: not a decodable PNG (${e.message})`);
  }
}

export function encodePng(img) {
  const png = new PNG({ width: img.width, height: img.height });
  img.data.copy(png.data);
  return PNG.sync.write(png, { colorType: 6 });
}

/** A blank image is one whose pixels are all the same colour. */
export function isBlank(img) {
  const d = img.data;
  for (let i = 4; i < d.length; i += 4) {
    if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return false;
  }
  return true;
}

/**
 * Compares two decoded images channel by channel: the largest difference, the
 * mean absolute difference, and the share of pixels with any channel more
 * than `tolerance` apart.
 */
export function compare(a, b, tolerance = 2) {
  if (a.width !== b.width || a.height !== b.height) {
    return { sameSize: false, maxDiff: 255, meanDiff: 255, over: 1, size: [`${a.width}x${a.height}`, `${b.width}x${b.height}`] };
  }
  let max = 0;
  let sum = 0;
  let over = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let px = 0;
    for (let c = 0; c < 4; c++) {
      const d = Math.abs(a.data[i + c] - b.data[i + c]);
      sum += d;
      if (d > px) px = d;
    }
    if (px > max) max = px;
    if (px > tolerance) over++;
  }
  const pixels = a.width * a.height;
  return { sameSize: true, maxDiff: max, meanDiff: sum / (pixels * 4), over: over / pixels };
}

/** Copies `src` into `dst` at (x, y), compositing over what is there. */
export function blit(dst, src, x, y) {
  for (let row = 0; row < src.height; row++) {
    const ty = y + row;
    if (ty < 0 || ty >= dst.height) continue;
    for (let col = 0; col < src.width; col++) {
      const tx = x + col;
      if (tx < 0 || tx >= dst.width) continue;
      const s = (row * src.width + col) * 4;
      const d = (ty * dst.width + tx) * 4;
      const a = src.data[s + 3] / 255;
      for (let c = 0; c < 3; c++) dst.data[d + c] = Math.round(src.data[s + c] * a + dst.data[d + c] * (1 - a));
      dst.data[d + 3] = 255;
    }
  }
}

export function canvas(width, height, rgb = [255, 255, 255]) {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([rgb[0], rgb[1], rgb[2], 255], i);
  return { width, height, data };
}

/**
 * Lays out tiles (each `{ label, image }` with the label already rendered to
 * an image) in a grid with a gap, labels above the images.
 */
export function sideBySide(tiles, columns, gap = 16) {
  const w = Math.max(...tiles.map((t) => Math.max(t.image.width, t.label.width)));
  const lh = Math.max(...tiles.map((t) => t.label.height));
  const h = Math.max(...tiles.map((t) => t.image.height)) + lh + 4;
  const rows = Math.ceil(tiles.length / columns);
  const out = canvas(gap + columns * (w + gap), gap + rows * (h + gap), [236, 236, 236]);
  tiles.forEach((t, i) => {
    const x = gap + (i % columns) * (w + gap);
    const y = gap + Math.floor(i / columns) * (h + gap);
    blit(out, t.label, x, y);
    blit(out, t.image, x, y + lh + 4);
  });
  return out;
}

/** Raw and gzip -9 sizes of a file. */
export function fileSize(path) {
  const bytes = readFileSync(path);
  return { path, raw: statSync(path).size, gzip: gzipSync(bytes, { level: 9 }).length };
}
