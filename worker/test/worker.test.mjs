// The worker under workerd (Miniflare), over HTTP: decisions and pixels per
// context, determinism, equality with the native CLI, caching, context
// derivation and request validation.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import {
  PLACES, REPO_DIR, startWeatherServer, imageHost, startWorker, get, decodePng, meanColor, colorDistance,
  differingPixels, serverTiming,
} from "./support.mjs";

let weather;
let mf;
const AD = "/ad/retail-weather/300x250.png";
const health = async () => (await get(mf, "/health")).json();

before(async () => {
  weather = await startWeatherServer();
  // A generous weather budget: these tests are about decisions, not deadlines
  // (faults.test.mjs holds the worker to a tight one).
  mf = await startWorker({ bindings: { WEATHER_URL: weather.url, WEATHER_BUDGET_MS: "3000", WEATHER_TIMEOUT_MS: "5000" }, outbound: imageHost().outbound });
});
after(async () => {
  await mf?.dispose();
  await weather?.close();
});

const fired = (res) => /rules=([^;]*)/.exec(res.headers.get("X-Adloom-Decision"))[1].split(",");
const keyOf = (res) => /key=([0-9a-f]+)/.exec(res.headers.get("X-Adloom-Decision"))[1];

test("health reports the bundled templates and the engine version", async () => {
  const h = await health();
  assert.equal(h.ok, true);
  assert.match(h.version, /^\d+\.\d+\.\d+/);
  for (const t of ["retail-weather", "travel-geo", "app-install"]) assert.ok(h.templates[t].skus > 0, t);
  assert.deepEqual(h.templates["retail-weather"].sizes.slice(0, 3), ["300x250", "728x90", "160x600"]);
  assert.equal(h.templates["retail-weather"].needsWeather, true);
  assert.equal(h.templates["travel-geo"].needsWeather, false);
});

test("rain in Berlin vs sun in Madrid: weather from the source, different decisions and pixels", async () => {
  const rain = await get(mf, `${AD}?sku=UMB-01&hour=12`, { cf: PLACES.berlin });
  const sun = await get(mf, `${AD}?sku=UMB-01&hour=12`, { cf: PLACES.madrid });
  for (const r of [rain, sun]) {
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("Content-Type"), "image/png");
    assert.equal(r.headers.get("X-Adloom-Fallback"), null);
  }
  assert.deepEqual(fired(rain), ["rain", "cold-rain"]);
  assert.deepEqual(fired(sun), ["hot", "sun-edit"]);
  assert.notEqual(keyOf(rain), keyOf(sun));
  const a = decodePng(rain.bytes);
  const b = decodePng(sun.bytes);
  assert.deepEqual([a.width, a.height], [300, 250]);
  // Top-right corner is background: rain-blue gradient vs the hot coral one.
  const blue = meanColor(a, 284, 2, 14, 10);
  const coral = meanColor(b, 284, 2, 14, 10);
  assert.ok(blue[2] > blue[0] + 40, `rain background should be blue, got ${blue}`);
  assert.ok(coral[0] > coral[2] + 60, `hot background should be coral, got ${coral}`);
  assert.ok(differingPixels(a, b) > 0.5);
  // The context the worker used, from /plan.
  const plan = (await get(mf, `/plan/retail-weather/300x250?sku=UMB-01&hour=12`, { cf: PLACES.berlin })).json();
  assert.equal(plan.context.weather, "rain");
  assert.equal(plan.context.temp, 8.1);
  assert.equal(plan.sources.weather, "weather");
  assert.equal(plan.context.city, "Berlin");
  assert.equal(plan.decision.key, keyOf(rain));
});

test("morning vs evening: different CTA, different pixels", async () => {
  const q = "sku=JKT-07&weather=clouds&temp=12";
  const morning = await get(mf, `${AD}?${q}&hour=8`, { cf: PLACES.london });
  const evening = await get(mf, `${AD}?${q}&hour=19`, { cf: PLACES.london });
  assert.deepEqual(fired(morning), ["clouds", "morning", "no-discount"]);
  assert.deepEqual(fired(evening), ["clouds", "evening", "no-discount"]);
  const diff = differingPixels(decodePng(morning.bytes), decodePng(evening.bytes));
  assert.ok(diff > 0.002 && diff < 0.2, `only the CTA should change, ${diff}`);
});

test("German vs English from Accept-Language: translated copy, different pixels, Vary", async () => {
  const de = await get(mf, "/ad/travel-geo/300x250.png?sku=BER-BCN", { cf: PLACES.berlin, headers: { "Accept-Language": "de-DE,de;q=0.9,en;q=0.5" } });
  const en = await get(mf, "/ad/travel-geo/300x250.png?sku=BER-BCN", { cf: PLACES.berlin, headers: { "Accept-Language": "en-GB,en;q=0.9" } });
  assert.ok(fired(de).includes("lang-de"), fired(de).join());
  assert.ok(!fired(en).some((r) => r.startsWith("lang-")), fired(en).join());
  assert.ok(differingPixels(decodePng(de.bytes), decodePng(en.bytes)) > 0.01);
  assert.match(de.headers.get("Vary"), /Accept-Language/);
  // The same through the query override, without the header.
  const q = await get(mf, "/ad/travel-geo/300x250.png?sku=BER-BCN&lang=de&locale=de-DE", { cf: PLACES.berlin });
  assert.equal(keyOf(q), keyOf(de));
  assert.ok(Buffer.compare(q.bytes, de.bytes) === 0);
});

test("identical requests give identical bytes in every format", async () => {
  for (const ext of ["png", "jpg", "webp"]) {
    const url = `/ad/app-install/320x50.${ext}?sku=pulse-de&device=mobile&os=android&segment=runners&weather=clear&temp=14&hour=9`;
    const a = await get(mf, url, { cf: PLACES.berlin });
    const b = await get(mf, url, { cf: PLACES.berlin, headers: { "User-Agent": "something else" } });
    assert.equal(a.status, 200);
    assert.ok(a.bytes.equals(b.bytes), ext);
    assert.equal(a.headers.get("ETag"), b.headers.get("ETag"));
    const magic = { png: "89504e47", jpg: "ffd8ff", webp: "52494646" }[ext];
    assert.ok(a.bytes.toString("hex").startsWith(magic), ext);
    assert.equal(a.headers.get("Content-Type"), { png: "image/png", jpg: "image/jpeg", webp: "image/webp" }[ext]);
  }
});

test("the worker's bytes equal the native CLI's render of the same inputs", async (t) => {
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(REPO_DIR, process.env.CARGO_TARGET_DIR) : path.join(REPO_DIR, "target");
  const cli = process.env.ADLOOM_CLI || path.join(targetDir, "debug/adloom");
  assert.ok(fs.existsSync(cli), `${cli} missing: cargo build --bin adloom`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adloom-worker-cli-"));
  const cases = [
    ["retail-weather", "UMB-01", "300x250", "png", "hour=12", PLACES.berlin, {}],
    ["retail-weather", "HAT-05", "728x90", "png", "hour=9", PLACES.madrid, {}],
    ["travel-geo", "BER-BCN", "160x600", "png", "", PLACES.berlin, { "Accept-Language": "de-DE" }],
    ["app-install", "pulse-gb", "300x250", "jpg", "q=80&segment=commuters", PLACES.london, { "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148" }],
  ];
  for (const [template, sku, size, ext, extra, cf, headers] of cases) {
    const query = `sku=${sku}${extra ? `&${extra}` : ""}`;
    const planRes = await get(mf, `/plan/${template}/${size}?${query.replace(/&?q=\d+/, "")}`, { cf, headers });
    assert.equal(planRes.status, 200, planRes.bytes.toString());
    const plan = planRes.json();
    const ad = await get(mf, `/ad/${template}/${size}.${ext}?${query}`, { cf, headers });
    assert.equal(ad.status, 200);
    const row = fs.readFileSync(path.join(REPO_DIR, "examples", template, "feed.jsonl"), "utf8").split("\n").filter(Boolean).map(JSON.parse).find((r) => r.product.sku === sku);
    const dataFile = path.join(dir, "data.json");
    const ctxFile = path.join(dir, "context.json");
    const out = path.join(dir, `out.${ext}`);
    fs.writeFileSync(dataFile, JSON.stringify(row));
    fs.writeFileSync(ctxFile, JSON.stringify(plan.context));
    const args = ["render", path.join(REPO_DIR, "examples", template, "template.json"), "--data", dataFile, "--context", ctxFile, "--size", size, "-o", out];
    if (ext === "jpg") args.push("--format", "jpeg", "--quality", "80");
    execFileSync(cli, args, { stdio: ["ignore", "ignore", "ignore"] });
    const native = fs.readFileSync(out);
    t.diagnostic(`${template} ${size}.${ext}: ${ad.bytes.length} bytes, native ${native.length}`);
    assert.ok(native.equals(ad.bytes), `${template} ${sku} ${size}.${ext}: worker and CLI bytes differ`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test("cache: a repeat is served from the LRU, and contexts with one decision share one render", async () => {
  // One viewer throughout: retail-weather runs an A/B test, and another viewer
  // may be bucketed into another variant (another decision).
  const url = `/ad/retail-weather/728x90.png?sku=SUN-03&weather=clear&temp=20&hour=13&vid=v-42`;
  const before = (await health()).stats.renders;
  const first = await get(mf, url, { cf: PLACES.london });
  const second = await get(mf, url, { cf: PLACES.london });
  assert.equal(first.headers.get("X-Adloom-Cache"), "miss");
  assert.equal(second.headers.get("X-Adloom-Cache"), "hit");
  assert.equal(serverTiming(first.headers).cache.desc, "miss");
  assert.equal(serverTiming(second.headers).cache.desc, "hit-lru");
  assert.ok(serverTiming(first.headers).render.dur > 0);
  assert.equal(serverTiming(second.headers).render, undefined);
  assert.ok(first.bytes.equals(second.bytes));
  // Another context, same decision: another hour of the afternoon, another device.
  const third = await get(mf, url.replace("hour=13", "hour=15"), { cf: PLACES.london, headers: { "User-Agent": "Mozilla/5.0 (iPhone) Mobile" } });
  assert.equal(keyOf(third), keyOf(first));
  assert.equal(third.headers.get("X-Adloom-Cache"), "hit");
  assert.ok(third.bytes.equals(first.bytes));
  assert.equal((await health()).stats.renders, before + 1);
});

test("cache: the Cache API serves renders to a fresh isolate", async () => {
  const url = `/ad/retail-weather/320x50.png?sku=UMB-01&weather=snow&temp=-4&hour=10`;
  const first = await get(mf, url, { cf: PLACES.london });
  assert.equal(first.headers.get("X-Adloom-Cache"), "miss");
  // Restarting workerd drops the isolate (and its LRU); the Cache API persists.
  await mf.restart();
  const again = await get(mf, url, { cf: PLACES.london });
  assert.equal(again.headers.get("X-Adloom-Cache"), "hit");
  assert.equal(serverTiming(again.headers).cache.desc, "hit-cache-api");
  assert.ok(again.bytes.equals(first.bytes));
  assert.equal((await health()).stats.renders, 0);
});

test("ETag revalidation answers 304 without a body", async () => {
  const url = `/ad/retail-weather/300x250.png?sku=UMB-01&weather=fog&temp=6&hour=8`;
  const a = await get(mf, url, { cf: PLACES.london });
  const etag = a.headers.get("ETag");
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const b = await get(mf, url, { cf: PLACES.london, headers: { "If-None-Match": etag } });
  assert.equal(b.status, 304);
  assert.equal(b.bytes.length, 0);
  assert.equal(b.headers.get("ETag"), etag);
});

test("Cache-Control follows where the values the decision read came from", async () => {
  // Everything from the query: any cache may keep it.
  const pub = await get(mf, `/ad/retail-weather/300x250.png?sku=UMB-01&weather=rain&temp=5&hour=20&city=Hamburg&daypart=evening`, { cf: PLACES.berlin });
  assert.match(pub.headers.get("Cache-Control"), /^public, max-age=\d+$/);
  // Weather and city from the request's place: private, at most 10 minutes.
  const priv = await get(mf, `${AD}?sku=UMB-01&hour=12`, { cf: PLACES.berlin });
  const m = /^private, max-age=(\d+)$/.exec(priv.headers.get("Cache-Control"));
  assert.ok(m && Number(m[1]) <= 600, priv.headers.get("Cache-Control"));
  // Device read from the User-Agent: Vary says so.
  const dev = await get(mf, `/ad/app-install/300x250.png?sku=pulse-gb&weather=clear&temp=10&hour=12&segment=general`, { headers: { "User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile" } });
  assert.match(dev.headers.get("Vary"), /User-Agent/);
  assert.ok(fired(dev).includes("android"));
});

test("context: local time in the request's time zone, device from client hints, segment from a cookie", async () => {
  for (const place of [PLACES.berlin, { ...PLACES.berlin, timezone: "America/Los_Angeles" }, { ...PLACES.berlin, timezone: "Asia/Tokyo" }]) {
    const plan = (await get(mf, `/plan/app-install/300x250?sku=pulse-de`, { cf: place, headers: { "Sec-CH-UA-Mobile": "?1", "Sec-CH-UA-Platform": '"iOS"', Cookie: "adloom_seg=runners" } })).json();
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: place.timezone, hour: "2-digit", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date()).map((p) => [p.type, p.value]));
    assert.equal(plan.context.timezone, place.timezone);
    if (new Date().getUTCMinutes() < 59) {
      assert.equal(plan.context.hour, Number(parts.hour) % 24, place.timezone);
      assert.equal(plan.context.date, `${parts.year}-${parts.month}-${parts.day}`);
    }
    assert.equal(plan.context.device, "mobile");
    assert.equal(plan.context.os, "ios");
    assert.equal(plan.context.segment, "runners");
    assert.equal(plan.sources.segment, "cookie");
    assert.ok(plan.decision.fired.includes("ios") && plan.decision.fired.includes("runners"), plan.decision.fired.join());
  }
});

test("HEAD answers the headers of GET without a body", async () => {
  const url = `/ad/travel-geo/320x50.png?sku=LHR-CDG`;
  const g = await get(mf, url);
  const h = await get(mf, url, { method: "HEAD" });
  assert.equal(h.status, 200);
  assert.equal(h.bytes.length, 0);
  assert.equal(h.headers.get("ETag"), g.headers.get("ETag"));
  assert.equal(h.headers.get("Content-Length"), String(g.bytes.length));
});

test("variant= forces a variant where the engine supports it, else 400 naming it", async () => {
  const { initSync, Engine } = await import(path.join(REPO_DIR, "worker/pkg/adloom.js"));
  initSync({ module: fs.readFileSync(path.join(REPO_DIR, "worker/pkg/adloom_bg.wasm")) });
  const tpl = new Engine().compile(fs.readFileSync(path.join(REPO_DIR, "examples/travel-geo/template.json"), "utf8"));
  let supported = true;
  try {
    tpl.plan({ variant: "control" });
  } catch {
    supported = false;
  }
  const r = await get(mf, `/plan/travel-geo/300x250?sku=LHR-CDG&variant=control`);
  if (supported) assert.equal(r.status, 200, r.bytes.toString());
  else {
    assert.equal(r.status, 400);
    assert.equal(r.json().field, "variant");
  }
});

test("/plan returns the decision without rendering", async () => {
  const renders = (await health()).stats.renders;
  const r = await get(mf, `/plan/retail-weather/1080x1080?sku=UMB-01&weather=storm&temp=11&hour=23`, { cf: PLACES.london });
  assert.equal(r.status, 200);
  const p = r.json();
  assert.deepEqual(p.decision.fired, ["rain", "evening"]);
  assert.equal(p.decision.size, "1080x1080");
  assert.match(p.decision.key, /^[0-9a-f]{32}$/);
  assert.ok(p.decision.assets.images.includes("img/umbrella.jpg"));
  assert.equal((await health()).stats.renders, renders);
});

test("bad requests: 404 for what does not exist, 400 naming the field otherwise", async () => {
  const cases = [
    ["/ad/no-such-template/300x250.png?sku=A", 404, "template"],
    ["/ad/retail-weather/301x250.png?sku=UMB-01", 404, "size"],
    ["/ad/retail-weather/300x250.png?sku=NOPE", 404, "sku"],
    ["/plan/travel-geo/999x999?sku=LHR-CDG", 404, "size"],
    ["/nothing/here", 404, "path"],
    ["/ad/retail-weather/300x250.gif?sku=UMB-01", 400, "format"],
    ["/ad/retail-weather/300x250?sku=UMB-01", 400, "format"],
    ["/ad/retail-weather/big.png?sku=UMB-01", 400, "size"],
    ["/ad/retail-weather/0x250.png?sku=UMB-01", 400, "size"],
    ["/ad/retail-weather.png", 400, "path"],
    ["/ad/retail-weather/300x250.png", 400, "sku"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&sku=JKT-07", 400, "sku"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&temp=hot", 400, "temp"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&hour=25", 400, "hour"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&weather=sunny", 400, "weather"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&lat=123", 400, "lat"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&tz=Mars%2FBase", 400, "tz"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&date=2026-13-01", 400, "date"],
    ["/ad/retail-weather/300x250.png?sku=UMB-01&q=80", 400, "q"],
    ["/ad/retail-weather/300x250.jpg?sku=UMB-01&q=0", 400, "q"],
    [`/ad/retail-weather/300x250.png?sku=UMB-01&city=${"x".repeat(300)}`, 400, "city"],
    [`/ad/retail-weather/300x250.png?sku=UMB-01&city=${"x".repeat(81)}`, 400, "city"],
    [`/ad/retail-weather/300x250.png?sku=UMB-01&vid=${"v".repeat(129)}`, 400, "vid"],
    [`/ad/retail-weather/300x250.png?sku=UMB-01&pad=${"p".repeat(250)}&pad2=${"p".repeat(250)}&pad3=${"p".repeat(250)}&pad4=${"p".repeat(250)}&pad5=${"p".repeat(250)}&pad6=${"p".repeat(250)}&pad7=${"p".repeat(250)}&pad8=${"p".repeat(250)}&pad9=${"p".repeat(250)}`, 414, "url"],
  ];
  for (const [url, status, field] of cases) {
    const r = await get(mf, url);
    assert.equal(r.status, status, `${url.slice(0, 90)} → ${r.status} ${r.bytes.toString().slice(0, 200)}`);
    assert.match(r.headers.get("Content-Type"), /application\/json/);
    const body = r.json();
    assert.equal(body.field, field, url.slice(0, 90));
    assert.ok(body.error.length > 5);
  }
  const post = await get(mf, "/ad/retail-weather/300x250.png?sku=UMB-01", { method: "POST", body: "x" });
  assert.equal(post.status, 405);
  assert.match(post.headers.get("Allow"), /GET/);
});
