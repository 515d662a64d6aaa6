// Signed URLs and the outcome log (POST /events into KV).
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startWorker, get, WORKER_DIR } from "./support.mjs";
import { signUrl } from "../scripts/sign.mjs";

const SECRET = "correct horse battery staple";
let mf;

before(async () => {
  mf = await startWorker({ bindings: { SIGNING_SECRET: SECRET } });
});
after(async () => {
  await mf?.dispose();
});

const pathOf = (href) => href.replace(/^http:\/\/[^/]+/, "");

test("signed URLs: missing, malformed, wrong, tampered or expired signatures get 403", async () => {
  const base = "http://adloom.local/ad/travel-geo/300x250.png?sku=LHR-CDG&lang=fr&vid=v-9";
  const signed = await signUrl(SECRET, base);
  const ok = await get(mf, pathOf(signed));
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("Content-Type"), "image/png");
  // Parameter order does not matter.
  const u = new URL(signed);
  const reordered = `${u.pathname}?sig=${u.searchParams.get("sig")}&vid=v-9&lang=fr&sku=LHR-CDG`;
  assert.equal((await get(mf, reordered)).status, 200);
  const bad = [
    pathOf(base),
    pathOf(base) + "&sig=abc",
    pathOf(await signUrl("another secret", base)),
    pathOf(signed).replace("lang=fr", "lang=de"),
    pathOf(signed) + "&city=Anywhere",
    pathOf(signed).replace("/ad/travel-geo/300x250.png", "/ad/travel-geo/728x90.png"),
    pathOf(await signUrl(SECRET, base + `&exp=${Math.floor(Date.now() / 1000) - 10}`)),
  ];
  for (const p of bad) {
    const r = await get(mf, p);
    assert.equal(r.status, 403, p);
    assert.equal(r.json().field, "sig");
  }
  // A signed URL with an expiry in the future works; /plan is signed the same way.
  assert.equal((await get(mf, pathOf(await signUrl(SECRET, base, { ttlSeconds: 60 })))).status, 200);
  assert.equal((await get(mf, "/plan/travel-geo/300x250?sku=LHR-CDG")).status, 403);
  assert.equal((await get(mf, pathOf(await signUrl(SECRET, "http://x/plan/travel-geo/300x250?sku=LHR-CDG")))).status, 200);
  // Health stays open.
  assert.equal((await get(mf, "/health")).json().signed, true);
});

test("events aggregate per template, variant and segment in KV", async () => {
  const post = (body, headers = { "Content-Type": "application/json" }) =>
    get(mf, "/events", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers });
  const r1 = await post({
    events: [
      { template: "retail-weather", variant: "headline=a,cta=b", segment: "commuters", type: "impression", count: 10 },
      { template: "retail-weather", variant: "headline=a,cta=b", segment: "commuters", type: "click" },
      { template: "retail-weather", variant: "headline=a,cta=b", type: "impression", count: 5 },
      { template: "retail-weather", variant: "headline=b,cta=b", type: "impression", count: 3 },
      { template: "travel-geo", variant: "v1", type: "conversion" },
    ],
  });
  assert.equal(r1.status, 202, r1.bytes.toString());
  assert.deepEqual(r1.json(), { accepted: 5, dropped: 0, templates: { "retail-weather": 4, "travel-geo": 1 } });
  await post({ events: [{ template: "retail-weather", variant: "headline=a,cta=b", segment: "commuters", type: "conversion", count: 2 }] });
  const state = (await get(mf, "/events/retail-weather")).json();
  assert.deepEqual(state, {
    template: "retail-weather",
    arms: {
      "headline=a,cta=b": { impressions: 15, clicks: 1, conversions: 2, segments: { commuters: { impressions: 10, clicks: 1, conversions: 2 } } },
      "headline=b,cta=b": { impressions: 3, clicks: 0, conversions: 0, segments: {} },
    },
  });
  assert.deepEqual((await get(mf, "/events/travel-geo")).json().arms.v1, { impressions: 0, clicks: 0, conversions: 1, segments: {} });
  assert.deepEqual((await get(mf, "/events/app-install")).json(), { template: "app-install", arms: {} });
  assert.equal((await get(mf, "/events/nope")).status, 404);

  const bad = [
    ["{not json", 400, "body"],
    [{ events: [{ template: "retail-weather", variant: "x", type: "like" }] }, 400, "events[0].type"],
    [{ events: [{ template: "ghost", variant: "x", type: "click" }] }, 400, "events[0].template"],
    [{ events: Array.from({ length: 101 }, () => ({ template: "retail-weather", variant: "x", type: "click" })) }, 400, "events"],
    [{ events: [{ template: "retail-weather", variant: "x", type: "click", count: 1.5 }] }, 400, "events[0].count"],
    [{ events: [{ template: "retail-weather", variant: "x".repeat(257), type: "click" }] }, 400, "events[0].variant"],
    [{ events: [{ template: "retail-weather", variant: "a\nb", type: "click" }] }, 400, "events[0].variant"],
  ];
  for (const [body, status, field] of bad) {
    const r = await post(body);
    assert.equal(r.status, status, JSON.stringify(body).slice(0, 80));
    assert.equal(r.json().field, field);
  }
  assert.equal((await post({ events: [] }, { "Content-Type": "text/plain" })).status, 415);
  assert.equal((await post("x".repeat(70 * 1024))).status, 413);
  // Nothing invalid was counted.
  assert.equal((await get(mf, "/events/retail-weather")).json().arms["headline=a,cta=b"].impressions, 15);
});

test("outcomes reach the engine only when its input accepts them", async () => {
  // What this engine build says about an `outcomes` field, asked directly in Node.
  const { initSync, Engine } = await import(path.join(WORKER_DIR, "pkg/adloom.js"));
  initSync({ module: fs.readFileSync(path.join(WORKER_DIR, "pkg/adloom_bg.wasm")) });
  const tpl = new Engine().compile(fs.readFileSync(path.join(WORKER_DIR, "../examples/retail-weather/template.json"), "utf8"));
  let supported = true;
  try {
    tpl.plan({ outcomes: { arms: {} } });
  } catch {
    supported = false;
  }
  // With outcomes stored (previous test), ads still render, and the worker's probe agrees with the engine.
  const signed = await signUrl(SECRET, "http://x/ad/retail-weather/300x250.png?sku=UMB-01&weather=rain&temp=4&hour=9");
  const ad = await get(mf, pathOf(signed));
  assert.equal(ad.status, 200);
  assert.equal(ad.headers.get("X-Adloom-Fallback"), null);
  assert.equal((await get(mf, "/health")).json().templates["retail-weather"].outcomes, supported);
});
