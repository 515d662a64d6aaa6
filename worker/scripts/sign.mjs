#!/usr/bin/env node
// Signs an /ad or /plan URL for a worker that has SIGNING_SECRET set.
//
//   SIGNING_SECRET=... node scripts/sign.mjs 'http://127.0.0.1:8787/ad/retail-weather/300x250.png?sku=UMB-01'
//   node scripts/sign.mjs --secret ... --ttl 3600 URL     (adds exp = now + ttl seconds)
//
// The signature is hex HMAC-SHA256 over the path, "?", and the query without
// `sig`, sorted by name then value, percent-encoded (see src/signing.js).
import { sign } from "../src/signing.js";

export async function signUrl(secret, href, { ttlSeconds } = {}) {
  const url = new URL(href);
  url.searchParams.delete("sig");
  if (ttlSeconds) url.searchParams.set("exp", String(Math.floor(Date.now() / 1000) + ttlSeconds));
  url.searchParams.set("sig", await sign(secret, url.pathname, url.searchParams));
  return url.href;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  let secret = process.env.SIGNING_SECRET || "";
  let ttl;
  const urls = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--secret") secret = args[++i];
    else if (args[i] === "--ttl") ttl = Number(args[++i]);
    else urls.push(args[i]);
  }
  if (!secret || urls.length === 0) {
    console.error("usage: [SIGNING_SECRET=...] node scripts/sign.mjs [--secret S] [--ttl SECONDS] URL...");
    process.exit(2);
  }
  for (const u of urls) console.log(await signUrl(secret, u, { ttlSeconds: ttl }));
}
