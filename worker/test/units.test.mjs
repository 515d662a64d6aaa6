// The worker's pure helpers, run directly in Node (the same modules workerd loads).
import test from "node:test";
import assert from "node:assert/strict";
import { requestContext, daypartOf, preferredLocale, normaliseLocale, deviceOf, localTime, weekdayOf } from "../src/context.js";
import { wmoCondition } from "../src/weather.js";
import { canonical, sign, verify } from "../src/signing.js";
import { imageDimensions, parseAllowlist, remoteRefusal } from "../src/images.js";
import { Lru } from "../src/lru.js";
import { validateEvents } from "../src/events.js";
import { solidPng } from "../src/png.js";
import { PNG } from "pngjs";

test("WMO codes map onto the templates' weather vocabulary", () => {
  const cases = { 0: "clear", 1: "clear", 2: "clouds", 3: "clouds", 45: "fog", 48: "fog", 51: "rain", 57: "rain", 61: "rain", 65: "rain", 67: "rain", 71: "snow", 77: "snow", 80: "rain", 82: "rain", 85: "snow", 86: "snow", 95: "storm", 96: "storm", 99: "storm" };
  for (const [code, cond] of Object.entries(cases)) assert.equal(wmoCondition(Number(code)), cond, `code ${code}`);
  for (const bad of [4, 50, 100, -1, 1.5, "61", null]) assert.equal(wmoCondition(bad), null, `code ${bad}`);
});

test("dayparts follow the templates' convention", () => {
  const got = Array.from({ length: 24 }, (_, h) => daypartOf(h));
  assert.deepEqual(got.slice(0, 5), Array(5).fill("night"));
  assert.deepEqual(got.slice(5, 12), Array(7).fill("morning"));
  assert.deepEqual(got.slice(12, 17), Array(5).fill("afternoon"));
  assert.deepEqual(got.slice(17, 22), Array(5).fill("evening"));
  assert.deepEqual(got.slice(22), ["night", "night"]);
});

test("local time follows the time zone, including across the date line", () => {
  const t = Date.UTC(2026, 10, 23, 23, 30); // Monday 23:30 UTC
  assert.deepEqual(localTime(t, "UTC"), { date: "2026-11-23", hour: 23, weekday: "monday" });
  assert.deepEqual(localTime(t, "Europe/Berlin"), { date: "2026-11-24", hour: 0, weekday: "tuesday" });
  assert.deepEqual(localTime(t, "America/Los_Angeles"), { date: "2026-11-23", hour: 15, weekday: "monday" });
  assert.equal(weekdayOf("2026-11-23"), "monday");
});

test("Accept-Language picks the highest q and normalises the tag", () => {
  assert.equal(preferredLocale("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), "fr-CH");
  assert.equal(preferredLocale("en;q=0.3, de-de;q=0.9"), "de-DE");
  assert.equal(preferredLocale("zh-hant-tw"), "zh-Hant-TW");
  assert.equal(preferredLocale(""), null);
  assert.equal(preferredLocale("*"), null);
  assert.equal(normaliseLocale("pt_br"), "pt-BR");
  assert.equal(normaliseLocale("not a locale"), null);
});

test("device and OS come from client hints, else the User-Agent", () => {
  const h = (o) => new Headers(o);
  const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
  const ipad = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15";
  const androidTablet = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/120 Safari/537.36";
  const androidPhone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36";
  const desktop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36";
  assert.deepEqual([deviceOf(h({ "User-Agent": iphone })).device, deviceOf(h({ "User-Agent": iphone })).os], ["mobile", "ios"]);
  assert.deepEqual([deviceOf(h({ "User-Agent": ipad })).device, deviceOf(h({ "User-Agent": ipad })).os], ["tablet", "ios"]);
  assert.equal(deviceOf(h({ "User-Agent": androidTablet })).device, "tablet");
  assert.deepEqual([deviceOf(h({ "User-Agent": androidPhone })).device, deviceOf(h({ "User-Agent": androidPhone })).os], ["mobile", "android"]);
  assert.deepEqual([deviceOf(h({ "User-Agent": desktop })).device, deviceOf(h({ "User-Agent": desktop })).os], ["desktop", "other"]);
  const hinted = deviceOf(h({ "User-Agent": desktop, "Sec-CH-UA-Mobile": "?1", "Sec-CH-UA-Platform": '"Android"' }));
  assert.deepEqual([hinted.device, hinted.os, hinted.deviceFrom], ["mobile", "android", ["Sec-CH-UA-Mobile"]]);
});

test("request context: cf place, clock in its zone, headers, cookies, then query overrides", () => {
  const req = new Request("http://x/ad/t/1x1.png", {
    headers: { "Accept-Language": "de;q=0.9, en;q=0.5", Cookie: "a=b; adloom_seg=runners; adloom_vid=v-77" },
  });
  // Miniflare-style cf (coordinates as strings).
  Object.defineProperty(req, "cf", { value: { country: "AT", city: "Wien", region: "Vienna", latitude: "48.20849", longitude: "16.37208", timezone: "Europe/Vienna" } });
  const now = Date.UTC(2026, 5, 18, 6, 15); // 08:15 in Vienna (summer time)
  const { context, sources, headers } = requestContext(req, new URLSearchParams(""), now);
  assert.deepEqual(context, {
    country: "AT", region: "Vienna", city: "Wien", lat: 48.20849, lon: 16.37208, timezone: "Europe/Vienna",
    date: "2026-06-18", hour: 8, daypart: "morning", weekday: "thursday", locale: "de-AT", lang: "de",
    device: "desktop", os: "other", segment: "runners", viewerId: "v-77",
  });
  assert.equal(sources.hour, "clock");
  assert.equal(sources.locale, "header");
  assert.deepEqual(headers.segment, ["Cookie"]);

  const q = new URLSearchParams("hour=19&date=2026-11-23&lang=fr&country=fr&weather=rain&temp=-3.5&device=mobile&os=ios&vid=abc&tz=Asia/Tokyo");
  const o = requestContext(req, q, now).context;
  assert.equal(o.hour, 19);
  assert.equal(o.daypart, "evening");
  assert.equal(o.weekday, "monday");
  assert.equal(o.locale, "fr-FR");
  assert.equal(o.lang, "fr");
  assert.equal(o.country, "FR");
  assert.equal(o.weather, "rain");
  assert.equal(o.temp, -3.5);
  assert.equal(o.timezone, "Asia/Tokyo");
  assert.equal(o.viewerId, "abc");
});

test("bad overrides name the field", () => {
  const req = new Request("http://x/");
  const bad = { temp: "hot", hour: "24", weather: "sunny", date: "2026-02-30", country: "DEU", lat: "91", timezone: "Mars/Olympus", device: "fridge", locale: "!!", segment: "a b" };
  for (const [k, v] of Object.entries(bad)) {
    assert.throws(() => requestContext(req, new URLSearchParams({ [k]: v }), Date.now()), (e) => e.status === 400 && e.field === k, `${k}=${v}`);
  }
  assert.throws(() => requestContext(req, new URLSearchParams("hour=1&hour=2"), Date.now()), (e) => e.field === "hour");
});

test("signing: canonical form, round trip, tamper and expiry", async () => {
  const q = new URLSearchParams("vid=v1&sku=UMB-01&sig=zz&city=S%C3%A3o%20Paulo");
  assert.equal(canonical("/ad/a/1x1.png", q), "/ad/a/1x1.png?city=S%C3%A3o%20Paulo&sku=UMB-01&vid=v1");
  const sig = await sign("s3cret", "/ad/a/1x1.png", q);
  assert.match(sig, /^[0-9a-f]{64}$/);
  q.set("sig", sig);
  assert.equal(await verify("s3cret", "/ad/a/1x1.png", q, Date.now()), null);
  assert.equal(await verify("other", "/ad/a/1x1.png", q, Date.now()), "signature does not match");
  q.set("sku", "SUN-03");
  assert.equal(await verify("s3cret", "/ad/a/1x1.png", q, Date.now()), "signature does not match");
  const e = new URLSearchParams("sku=A&exp=1000");
  e.set("sig", await sign("s3cret", "/p", e));
  assert.equal(await verify("s3cret", "/p", e, 999_000), null);
  assert.equal(await verify("s3cret", "/p", e, 1_001_000), "URL expired");
});

test("image headers give dimensions before decoding", () => {
  const png = new PNG({ width: 321, height: 123 });
  assert.deepEqual(imageDimensions(PNG.sync.write(png)), { width: 321, height: 123 });
  // Minimal JPEG: SOI, APP0 (16 bytes), SOF0 with 200x100.
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...Buffer.alloc(14), 0xff, 0xc0, 0, 17, 8, 0, 100, 0, 200, 3, ...Buffer.alloc(12)]);
  assert.deepEqual(imageDimensions(jpeg), { width: 200, height: 100 });
  assert.equal(imageDimensions(Buffer.from("hello world, not an image at all")), null);
  const allow = parseAllowlist("cdn.example.com, http://127.0.0.1:9000");
  assert.equal(remoteRefusal("https://cdn.example.com/a.png", allow), null);
  assert.equal(remoteRefusal("http://cdn.example.com/a.png", allow), "host cdn.example.com is not in IMAGE_HOSTS");
  assert.equal(remoteRefusal("http://127.0.0.1:9000/a.png", allow), null);
  assert.match(remoteRefusal("https://evil.example/a.png", allow), /not in IMAGE_HOSTS/);
  assert.match(remoteRefusal("https://u:p@cdn.example.com/a.png", allow), /credentials/);
  assert.match(remoteRefusal("ftp://cdn.example.com/a.png", allow), /scheme/);
});

test("LRU evicts by entries and bytes", () => {
  const l = new Lru({ maxEntries: 3, maxBytes: 100 });
  l.set("a", 1, 10);
  l.set("b", 2, 10);
  l.set("c", 3, 10);
  l.get("a");
  l.set("d", 4, 10);
  assert.equal(l.get("b"), undefined);
  assert.equal(l.get("a"), 1);
  l.set("e", 5, 90);
  assert.deepEqual([...l.map.keys()], ["a", "e"]);
  assert.equal(l.bytes, 100);
  l.set("huge", 6, 1000);
  assert.equal(l.get("huge"), undefined);
});

test("event batches are validated field by field", () => {
  const known = (t) => t === "retail-weather";
  const ok = validateEvents({ events: [{ template: "retail-weather", variant: "v1", type: "click" }] }, known);
  assert.deepEqual(ok, [{ template: "retail-weather", variant: "v1", segment: null, field: "clicks", count: 1 }]);
  const cases = [
    [[], "body"],
    [{ events: "x" }, "events"],
    [{ events: [] }, "events"],
    [{ events: Array(101).fill({ template: "retail-weather", variant: "v", type: "click" }) }, "events"],
    [{ events: [{ template: "nope", variant: "v", type: "click" }] }, "events[0].template"],
    [{ events: [{ template: "retail-weather", variant: "", type: "click" }] }, "events[0].variant"],
    [{ events: [{ template: "retail-weather", variant: "é".repeat(129), type: "click" }] }, "events[0].variant"],
    [{ events: [{ template: "retail-weather", variant: "v", type: "view" }] }, "events[0].type"],
    [{ events: [{ template: "retail-weather", variant: "v", type: "click", count: 0 }] }, "events[0].count"],
    [{ events: [{ template: "retail-weather", variant: "v", type: "click", segment: 5 }] }, "events[0].segment"],
    [{ events: [{ template: "retail-weather", variant: "v", type: "click", extra: 1 }] }, "events[0].extra"],
    [{ events: [], more: 1 }, "more"],
  ];
  for (const [body, field] of cases) {
    assert.throws(() => validateEvents(body, known), (e) => e.status === 400 && e.field === field, JSON.stringify(body).slice(0, 80));
  }
});

test("the outcome log stops growing at the engine's arm bound", async () => {
  const { recordEvents, MAX_ARMS } = await import("../src/events.js");
  const store = new Map();
  const kv = { get: async (k) => (store.has(k) ? JSON.parse(store.get(k)) : null), put: async (k, v) => void store.set(k, v) };
  for (let b = 0; b < MAX_ARMS / 100 + 1; b++) {
    const events = Array.from({ length: 100 }, (_, i) => ({ template: "t", variant: `v${b * 100 + i}`, segment: null, field: "impressions", count: 1 }));
    await recordEvents(kv, events);
  }
  const r = await recordEvents(kv, [{ template: "t", variant: "one-more", segment: null, field: "clicks", count: 1 }, { template: "t", variant: "v0", segment: "s", field: "clicks", count: 2 }]);
  assert.deepEqual(r, { totals: { t: 1 }, dropped: 1 });
  const state = JSON.parse(store.get("outcomes/t"));
  assert.equal(Object.keys(state.arms).length, MAX_ARMS);
  assert.deepEqual(state.arms.v0, { impressions: 1, clicks: 2, conversions: 0, segments: { s: { impressions: 0, clicks: 2, conversions: 0 } } });
});

test("the emergency PNG is a valid solid image of the requested size", async () => {
  const bytes = await solidPng(728, 90, [1, 2, 3]);
  const img = PNG.sync.read(Buffer.from(bytes));
  assert.equal(img.width, 728);
  assert.equal(img.height, 90);
  assert.deepEqual([...img.data.subarray(0, 4)], [1, 2, 3, 255]);
  assert.deepEqual([...img.data.subarray(img.data.length - 4)], [1, 2, 3, 255]);
  assert.ok(bytes.length < 1000);
});
