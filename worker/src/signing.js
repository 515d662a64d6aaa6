// Signed URLs. When SIGNING_SECRET is set, /ad and /plan requests must carry
//   sig = hex(HMAC-SHA256(SIGNING_SECRET, canonical))
// where canonical is the path, "?", and the query without `sig`, its pairs
// sorted by name then value, each percent-encoded (encodeURIComponent) and
// joined as name=value&...; e.g. "/ad/retail-weather/300x250.png?sku=UMB-01&vid=v1".
// An optional `exp` (Unix seconds) is signed like any other parameter and
// makes the URL expire. scripts/sign.mjs produces such URLs.

const enc = new TextEncoder();
const keys = new Map();

export function canonical(pathname, query) {
  const pairs = [];
  for (const [k, v] of query) if (k !== "sig") pairs.push([k, v]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const q = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  return `${pathname}?${q}`;
}

async function hmacKey(secret) {
  let key = keys.get(secret);
  if (!key) {
    key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

export async function sign(secret, pathname, query) {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), enc.encode(canonical(pathname, query)));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** null when the signature is good, else why not. */
export async function verify(secret, pathname, query, nowMs) {
  const sigs = query.getAll("sig");
  if (sigs.length === 0) return "missing sig";
  if (sigs.length > 1 || !/^[0-9a-f]{64}$/.test(sigs[0])) return "sig must be one 64-digit lowercase hex HMAC-SHA256";
  const mac = new Uint8Array(32);
  for (let i = 0; i < 32; i++) mac[i] = parseInt(sigs[0].slice(i * 2, i * 2 + 2), 16);
  // verify() compares in constant time.
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(secret), mac, enc.encode(canonical(pathname, query)));
  if (!ok) return "signature does not match";
  const exp = query.get("exp");
  if (exp !== null) {
    if (!/^\d{1,12}$/.test(exp)) return "exp must be Unix seconds";
    if (Number(exp) * 1000 < nowMs) return "URL expired";
  }
  return null;
}
