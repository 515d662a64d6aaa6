// The last line of defence for "never an empty slot": a solid-colour PNG of
// any size, built without the engine (for when even the template's fallback
// creative cannot be drawn, e.g. the template itself does not compile).
// A 1-bit palette image compresses to a few hundred bytes at any size.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlib(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const cache = new Map();

/** A PNG of `width`×`height` filled with `rgb` ([r, g, b]). */
export async function solidPng(width, height, rgb = [229, 231, 235]) {
  const id = `${width}x${height}:${rgb.join(",")}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([1, 3, 0, 0, 0], 8); // 1 bit, palette, deflate, no filter method, no interlace
  const stride = Math.ceil(width / 8) + 1; // filter byte + packed pixels, all index 0
  const raw = new Uint8Array(stride * height);
  const png = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("PLTE", new Uint8Array(rgb)),
    chunk("IDAT", await zlib(raw)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(png.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of png) {
    out.set(p, at);
    at += p.length;
  }
  if (cache.size > 64) cache.clear();
  cache.set(id, out);
  return out;
}
