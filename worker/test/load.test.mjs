// A bounded load test: 2,000+ requests at concurrency 16 over loopback HTTP
// against workerd, mixing cache hits and misses. Asserts every answer is a
// 200 creative and that workerd's memory levels off rather than growing with
// the number of distinct creatives (the LRU is capped at 8 MiB here).
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { startWeatherServer, startWorker, get } from "./support.mjs";
import { runLoad, formatReport } from "../scripts/load.mjs";

let weather;
let mf;
const LRU_MAX = 8 * 1024 * 1024;

before(async () => {
  weather = await startWeatherServer();
  mf = await startWorker({ bindings: { WEATHER_URL: weather.url, LRU_MAX_BYTES: String(LRU_MAX) } });
});
after(async () => {
  await mf?.dispose();
  await weather?.close();
});

test("2,000 requests at concurrency 16: all 200, latency reported, memory bounded", { timeout: 150_000 }, async (t) => {
  const base = (await mf.ready).origin;
  const r = await runLoad({ base, root: process.pid, requests: 2000, concurrency: 16, missRatio: 0.2 });
  for (const line of formatReport(r).split("\n")) t.diagnostic(line);
  assert.equal(r.non200, 0);
  assert.equal(r.fallbacks, 0);
  assert.equal(r.requests, 2000);
  assert.ok(r.miss.count >= 400 && r.hit.count >= 1600, `${r.hit.count} hits, ${r.miss.count} misses`);
  assert.ok(r.hit.p50 < r.miss.p50, "a hit must be cheaper than a render");
  assert.ok(r.workerdPids.length >= 1, "workerd found");
  // Memory: the second half (another ~200 distinct creatives) must not add
  // what the first half added; the cap on the LRU holds.
  const firstHalf = r.rssMiB.half - r.rssMiB.before;
  const secondHalf = r.rssMiB.after - r.rssMiB.half;
  t.diagnostic(`RSS growth: first half ${firstHalf.toFixed(1)} MiB, second half ${secondHalf.toFixed(1)} MiB`);
  assert.ok(r.rssMiB.after - r.rssMiB.before < 160, `workerd grew ${(r.rssMiB.after - r.rssMiB.before).toFixed(1)} MiB`);
  assert.ok(secondHalf < 48, `second half grew ${secondHalf.toFixed(1)} MiB`);
  const h = (await get(mf, "/health")).json();
  assert.ok(h.lru.bytes <= LRU_MAX, `LRU holds ${h.lru.bytes} bytes`);
  assert.ok(h.lru.evictions > 0 || h.lru.bytes < LRU_MAX, "the LRU evicts once full");
});
