// Never an empty slot: every failure after the request is understood serves
// the template's fallback creative, status 200, with the reason in a header.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { PLACES, SLOW_MS, startWeatherServer, imageHost, startWorker, get, decodePng, meanColor, colorDistance } from "./support.mjs";

let weather;
let images;
let mf;

before(async () => {
  weather = await startWeatherServer();
  images = imageHost();
  mf = await startWorker({
    bindings: { WEATHER_URL: weather.url, WEATHER_BUDGET_MS: "400", IMAGE_HOSTS: "img.adloom.test", IMAGE_TIMEOUT_MS: "400", IMAGE_MAX_BYTES: "1048576" },
    outbound: images.outbound,
  });
});
after(async () => {
  await mf?.dispose();
  await weather?.close();
});

function assertFallback(res, reason, { width = 300, height = 250 } = {}) {
  assert.equal(res.status, 200, res.bytes.toString().slice(0, 200));
  assert.equal(res.headers.get("X-Adloom-Fallback"), reason);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  assert.equal(res.headers.get("Content-Type"), "image/png");
  const png = decodePng(res.bytes);
  assert.deepEqual([png.width, png.height], [width, height]);
  return png;
}

const AD = "/ad/retail-weather/300x250.png?sku=UMB-01&hour=12";

test("weather source down, failing, slow or talking garbage → the fallback creative", async () => {
  const down = await get(mf, AD, { cf: PLACES.down });
  const reference = assertFallback(down, "weather-unavailable");
  assertFallback(await get(mf, AD, { cf: PLACES.http500 }), "weather-unavailable");
  assertFallback(await get(mf, AD, { cf: PLACES.garbage }), "weather-invalid");
  assertFallback(await get(mf, AD, { cf: PLACES.badcode }), "weather-invalid");
  const t0 = performance.now();
  const slow = await get(mf, AD, { cf: PLACES.slow });
  const waited = performance.now() - t0;
  assertFallback(slow, "weather-timeout");
  assert.ok(waited < SLOW_MS, `the request should not wait for the slow source (${waited.toFixed(0)} ms)`);
  // Every weather fallback is the same creative: the template's fallback (rules off).
  const fb = decodePng(slow.bytes);
  assert.ok(Buffer.compare(fb.data, reference.data) === 0);
  assert.match(slow.headers.get("X-Adloom-Decision"), /rules=-/);
  // The slow answer still arrives in the background and is cached for the next viewer there.
  await new Promise((r) => setTimeout(r, SLOW_MS + 200));
  const later = await get(mf, AD, { cf: PLACES.slow });
  assert.equal(later.headers.get("X-Adloom-Fallback"), null);
  assert.match(later.headers.get("X-Adloom-Decision"), /rules=clouds/);
  assert.equal(weather.requests.get("20.0,20.0"), 1);
});

test("the weather is fetched once per rounded place and then cached", async () => {
  const place = { ...PLACES.london, latitude: "51.51000", longitude: "-0.13000" };
  const a = await get(mf, AD, { cf: place });
  const b = await get(mf, AD.replace("hour=12", "hour=19"), { cf: { ...place, latitude: "51.52000" } });
  assert.equal(a.headers.get("X-Adloom-Fallback"), null);
  assert.equal(b.headers.get("X-Adloom-Fallback"), null);
  assert.equal(weather.requests.get("51.5,-0.1"), 1);
  assert.match(b.headers.get("Server-Timing"), /weather;dur=[\d.]+;desc="cached"/);
});

test("no weather fetch when the query sets it or the template does not read it", async () => {
  const q = await get(mf, `${AD}&weather=rain&temp=5`, { cf: PLACES.down });
  assert.equal(q.headers.get("X-Adloom-Fallback"), null);
  assert.match(q.headers.get("X-Adloom-Decision"), /rules=rain,cold-rain/);
  const travel = await get(mf, "/ad/travel-geo/300x250.png?sku=LHR-CDG", { cf: PLACES.down });
  assert.equal(travel.headers.get("X-Adloom-Fallback"), null);
});

test("remote images: allowlisted host renders, with the image's pixels", async () => {
  const res = await get(mf, "/ad/fx-faults/200x100.png?sku=REMOTE-OK");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("X-Adloom-Fallback"), null);
  const png = decodePng(res.bytes);
  assert.ok(colorDistance(meanColor(png, 10, 10, 80, 80), [230, 0, 200]) < 3, `${meanColor(png, 10, 10, 80, 80)}`);
  assert.ok(images.hits.includes("https://img.adloom.test/ok.png"));
});

test("image faults → the fallback creative with the reason", async () => {
  const cases = [
    ["REMOTE-NOT-ALLOWED", "image-not-allowed"],
    ["REMOTE-CORRUPT", "image-corrupt"],
    ["REMOTE-TRUNCATED", "image-corrupt"],
    ["REMOTE-HUGE-BYTES", "image-too-large"],
    ["REMOTE-HUGE-PIXELS", "image-too-large"],
    ["REMOTE-SLOW", "image-timeout"],
    ["REMOTE-404", "image-fetch-failed"],
    ["MISSING-LOCAL", "image-missing"],
    ["NO-TITLE", "template-error"],
    ["LONG-TITLE", "limit-exceeded"],
  ];
  for (const [sku, reason] of cases) {
    const res = await get(mf, `/ad/fx-faults/200x100.png?sku=${sku}`);
    const png = assertFallback(res, reason, { width: 200, height: 100 });
    // The fallback creative shows its own (bundled, green) image.
    assert.ok(colorDistance(meanColor(png, 10, 10, 80, 80), [0x22, 0x88, 0x22]) < 3, `${sku}: ${meanColor(png, 10, 10, 80, 80)}`);
  }
  // The worker never even asked the host that is not allowlisted.
  assert.ok(!images.hits.some((u) => u.includes("evil.adloom.test")));
});

test("a template that does not compile still fills the slot", async () => {
  const res = await get(mf, "/ad/fx-broken/300x250.png?sku=ANY");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("X-Adloom-Fallback"), "template-invalid; creative=solid");
  const png = decodePng(res.bytes);
  assert.deepEqual([png.width, png.height], [300, 250]);
  // Its sizes come from the JSON even though it does not compile.
  assert.equal((await get(mf, "/ad/fx-broken/728x90.png?sku=ANY")).status, 404);
  const h = (await get(mf, "/health")).json();
  assert.match(h.templates["fx-broken"].error, /colour/);
  assert.ok(h.stats.fallbacks["template-invalid"] >= 1);
});

test("a fallback asked for as JPEG or WebP comes in that format", async () => {
  const jpg = await get(mf, "/ad/fx-faults/300x250.jpg?sku=REMOTE-404");
  assert.equal(jpg.headers.get("X-Adloom-Fallback"), "image-fetch-failed");
  assert.equal(jpg.headers.get("Content-Type"), "image/jpeg");
  assert.ok(jpg.bytes.toString("hex").startsWith("ffd8ff"));
  const webp = await get(mf, "/plan/fx-faults/300x250?sku=NO-TITLE");
  assert.equal(webp.status, 200);
  assert.equal(webp.json().fallback.reason, "template-error");
  assert.match(webp.json().fallback.message, /title/);
});
