// Images for a render: bundled ones by key, remote ones (https URLs in the
// feed or template) only from the IMAGE_HOSTS allowlist, within a byte limit,
// a pixel limit (read from the header, before any decoding) and a time limit.
import { readLimitedBytes } from "./weather.js";

export class ImageError extends Error {
  /** @param {"image-missing"|"image-not-allowed"|"image-fetch-failed"|"image-timeout"|"image-too-large"|"image-corrupt"} reason */
  constructor(reason, key, message) {
    super(`image ${JSON.stringify(key)}: ${message}`);
    this.reason = reason;
    this.key = key;
  }
}

/**
 * IMAGE_HOSTS: comma-separated hosts (`cdn.example.com`, `img.example.com:8443`)
 * served over https; an entry written `http://host:port` also allows plain
 * http for that host (local development only).
 */
export function parseAllowlist(spec) {
  const https = new Set();
  const http = new Set();
  for (const raw of String(spec || "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.startsWith("http://")) http.add(entry.slice(7).replace(/\/+$/, ""));
    else https.add(entry.replace(/^https:\/\//, "").replace(/\/+$/, ""));
  }
  return { https, http };
}

export function isRemote(key) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(key);
}

/** Why a remote URL may not be fetched, or null when it may. */
export function remoteRefusal(key, allow) {
  let url;
  try {
    url = new URL(key);
  } catch {
    return "not a valid URL";
  }
  if (url.username || url.password) return "URLs with credentials are not fetched";
  const host = url.host.toLowerCase();
  if (url.protocol === "https:" && allow.https.has(host)) return null;
  if (url.protocol === "http:" && allow.http.has(host)) return null;
  if (url.protocol !== "https:" && url.protocol !== "http:") return `scheme ${url.protocol} is not fetched`;
  return `host ${host} is not in IMAGE_HOSTS`;
}

/** Width and height from a PNG, JPEG, GIF or WebP header; null when unrecognised. */
export function imageDimensions(b) {
  const u32 = (i) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
  const u16be = (i) => (b[i] << 8) | b[i + 1];
  const u16le = (i) => b[i] | (b[i + 1] << 8);
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return { width: u32(16), height: u32(20) };
  }
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return { width: u16le(6), height: u16le(8) };
  if (b.length >= 30 && u32(0) === 0x52494646 && u32(8) === 0x57454250) {
    const kind = String.fromCharCode(b[12], b[13], b[14], b[15]);
    if (kind === "VP8X") return { width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)) };
    if (kind === "VP8L") {
      const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (kind === "VP8 ") return { width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1];
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
        i += marker === 0xff ? 1 : 2;
        continue;
      }
      const len = u16be(i + 2);
      // Start-of-frame markers (baseline, progressive, ...), not DHT/JPG/DAC.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: u16be(i + 7), height: u16be(i + 5) };
      }
      i += 2 + len;
    }
    return null;
  }
  return null;
}

/** Fetch a remote image within the limits; the bytes, or an ImageError. */
export async function fetchRemote(key, limits) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), limits.timeoutMs);
  let bytes;
  try {
    const res = await fetch(key, { signal: abort.signal, redirect: "manual", headers: { Accept: "image/*" } });
    if (res.status >= 300 && res.status < 400) throw new ImageError("image-fetch-failed", key, "redirects are not followed");
    if (!res.ok) throw new ImageError("image-fetch-failed", key, `HTTP ${res.status}`);
    try {
      bytes = await readLimitedBytes(res, limits.maxBytes);
    } catch (e) {
      if (e instanceof RangeError) throw new ImageError("image-too-large", key, `${e.message} (IMAGE_MAX_BYTES)`);
      throw e;
    }
  } catch (e) {
    if (e instanceof ImageError) throw e;
    if (abort.signal.aborted) throw new ImageError("image-timeout", key, `no complete answer within ${limits.timeoutMs} ms`);
    throw new ImageError("image-fetch-failed", key, String(e?.message || e));
  } finally {
    clearTimeout(timer);
  }
  const dims = imageDimensions(bytes);
  if (!dims) throw new ImageError("image-corrupt", key, "not a PNG, JPEG, GIF or WebP image");
  if (dims.width * dims.height > limits.maxPixels) {
    throw new ImageError("image-too-large", key, `${dims.width}x${dims.height} exceeds ${limits.maxPixels} pixels (IMAGE_MAX_PIXELS)`);
  }
  return bytes;
}
