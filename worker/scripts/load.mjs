#!/usr/bin/env node
// A bounded load test against a real local workerd, over loopback HTTP.
//
//   node scripts/load.mjs [--requests 2000] [--concurrency 16] [--miss-ratio 0.2] [--json]
//       starts its own worker (Miniflare, the test configuration, a local weather source)
//   node scripts/load.mjs --url http://127.0.0.1:8787
//       drives a running `npm start` instead (memory: every workerd process on the machine)
//
// The mix: a small pool of creatives requested over and over (cache hits
// after their first render) and a stream of unique ones (a new city each, so
// a new decision key and a render). Reports p50/p95/p99 per class, requests
// per second, and workerd's resident memory before, halfway and after.
import { execFileSync } from "node:child_process";

function parseArgs(argv) {
  const o = { requests: 2000, concurrency: 16, missRatio: 0.2, url: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--requests") o.requests = Number(argv[++i]);
    else if (a === "--concurrency") o.concurrency = Number(argv[++i]);
    else if (a === "--miss-ratio") o.missRatio = Number(argv[++i]);
    else if (a === "--url") o.url = argv[++i].replace(/\/+$/, "");
    else if (a === "--json") o.json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** RSS in KiB of workerd processes: descendants of `root` when given, else all. */
export function workerdRss(root) {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,rss=,comm="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .map(([pid, ppid, rss, comm]) => ({ pid: +pid, ppid: +ppid, rss: +rss, comm }));
  let set = rows;
  if (root) {
    const keep = new Set([root]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of rows) if (keep.has(r.ppid) && !keep.has(r.pid)) keep.add(r.pid), (grew = true);
    }
    set = rows.filter((r) => keep.has(r.pid));
  }
  const workerd = set.filter((r) => r.comm === "workerd");
  return { kib: workerd.reduce((n, r) => n + r.rss, 0), pids: workerd.map((r) => r.pid) };
}

const HIT_POOL = [
  "/ad/retail-weather/300x250.png?sku=UMB-01&weather=rain&temp=7&hour=19",
  "/ad/retail-weather/728x90.png?sku=SUN-03&weather=clear&temp=28&hour=10",
  "/ad/retail-weather/320x50.png?sku=JKT-07&hour=12",
  "/ad/travel-geo/300x250.png?sku=BER-BCN&lang=de",
  "/ad/travel-geo/320x50.png?sku=LHR-CDG",
  "/ad/app-install/300x250.png?sku=pulse-gb&device=mobile&os=ios&segment=commuters&weather=rain&temp=9",
  "/ad/app-install/728x90.png?sku=pulse-de&device=desktop&segment=runners&weather=clear&temp=12",
  "/ad/retail-weather/300x250.jpg?sku=HAT-05&weather=clear&temp=30&hour=14",
];
const MISS_SIZES = ["300x250", "320x50", "728x90"];

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x) => Math.round(x * 10) / 10;
  return { count: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? NaN) };
}

/**
 * Run the load. `base` is the worker's origin; `root` the pid whose workerd
 * descendants are measured (null: all workerd processes).
 */
export async function runLoad({ base, root, requests = 2000, concurrency = 16, missRatio = 0.2 }) {
  const errors = [];
  const get = async (p) => {
    const t0 = performance.now();
    try {
      const res = await fetch(base + p);
      const body = await res.arrayBuffer();
      return { ms: performance.now() - t0, status: res.status, cache: res.headers.get("X-Adloom-Cache"), fallback: res.headers.get("X-Adloom-Fallback"), bytes: body.byteLength };
    } catch (e) {
      // A transport failure counts as a failed request, with its cause kept for the report.
      if (errors.length < 5) errors.push(`${p}: ${e.cause?.message || e.message}`);
      return { ms: performance.now() - t0, status: 0, cache: null, fallback: null, bytes: 0 };
    }
  };
  // Warm up: compile templates, fill the pool.
  for (const p of HIT_POOL) await get(p);
  // Unloaded latency, one request at a time: what a single viewer sees.
  const serialHits = [];
  const serialMisses = [];
  for (let i = 0; i < 200; i++) serialHits.push((await get(HIT_POOL[i % HIT_POOL.length])).ms);
  for (let i = 0; i < 60; i++) {
    const size = MISS_SIZES[i % MISS_SIZES.length];
    serialMisses.push((await get(`/ad/retail-weather/${size}.png?sku=UMB-01&weather=clear&temp=18&hour=12&city=Solo-${Date.now().toString(36)}-${i}`)).ms);
  }
  const rssBefore = workerdRss(root);
  const plan = [];
  let missN = 0;
  for (let i = 0; i < requests; i++) {
    // Spread misses evenly: request i is a miss when the running ratio falls behind.
    if (missN < Math.round((i + 1) * missRatio)) {
      const size = MISS_SIZES[missN % MISS_SIZES.length];
      plan.push(`/ad/retail-weather/${size}.png?sku=UMB-01&weather=clear&temp=18&hour=12&city=Town-${Date.now().toString(36)}-${missN}`);
      missN++;
    } else {
      plan.push(HIT_POOL[i % HIT_POOL.length]);
    }
  }
  const results = new Array(plan.length);
  let next = 0;
  let rssHalf = null;
  const samples = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < plan.length) {
        const i = next++;
        results[i] = await get(plan[i]);
        if (i === Math.floor(plan.length / 2) && !rssHalf) rssHalf = workerdRss(root);
        if (i % Math.ceil(plan.length / 10) === 0) samples.push(Math.round(workerdRss(root).kib / 1024));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const rssAfter = workerdRss(root);
  const hits = results.filter((r) => r.cache === "hit").map((r) => r.ms);
  const misses = results.filter((r) => r.cache === "miss").map((r) => r.ms);
  const non200 = results.filter((r) => r.status !== 200).length;
  const fallbacks = results.filter((r) => r.fallback).length;
  return {
    requests: results.length,
    concurrency,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round(results.length / seconds),
    non200,
    fallbacks,
    serial: { hit: summary(serialHits), miss: summary(serialMisses) },
    all: summary(results.map((r) => r.ms)),
    hit: summary(hits),
    miss: summary(misses),
    rssMiB: { before: rssBefore.kib / 1024, half: (rssHalf ?? rssAfter).kib / 1024, after: rssAfter.kib / 1024, samples },
    workerdPids: rssAfter.pids,
    errors,
  };
}

export function formatReport(r) {
  const f = (x) => x.toFixed(1);
  const row = (name, s) => `${name.padEnd(6)} ${String(s.count).padStart(6)} ${f(s.p50).padStart(8)} ${f(s.p95).padStart(8)} ${f(s.p99).padStart(8)} ${f(s.max).padStart(8)}`;
  return [
    `one at a time: hit p50 ${f(r.serial.hit.p50)} / p99 ${f(r.serial.hit.p99)} ms (${r.serial.hit.count}), miss p50 ${f(r.serial.miss.p50)} / p99 ${f(r.serial.miss.p99)} ms (${r.serial.miss.count})`,
    `${r.requests} requests, concurrency ${r.concurrency}, ${r.seconds} s (${r.rps} req/s), non-200: ${r.non200}, fallbacks: ${r.fallbacks}`,
    `class   count   p50 ms   p95 ms   p99 ms   max ms`,
    row("all", r.all),
    row("hit", r.hit),
    row("miss", r.miss),
    ...r.errors.map((e) => `error: ${e}`),
    `workerd RSS: ${f(r.rssMiB.before)} MiB before, ${f(r.rssMiB.half)} MiB halfway, ${f(r.rssMiB.after)} MiB after (pids ${r.workerdPids.join(", ")}); every tenth: ${r.rssMiB.samples.join(", ")} MiB`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = parseArgs(process.argv.slice(2));
  let cleanup = async () => {};
  let base = o.url;
  let root = null;
  if (!base) {
    const { startWeatherServer, startWorker } = await import("../test/support.mjs");
    const weather = await startWeatherServer();
    // EDGE_CACHE=off in the environment measures without the Cache API simulation.
    const mf = await startWorker({ bindings: { WEATHER_URL: weather.url, LRU_MAX_BYTES: String(8 * 1024 * 1024), EDGE_CACHE: process.env.EDGE_CACHE || "on" } });
    base = (await mf.ready).origin;
    root = process.pid;
    cleanup = async () => {
      await mf.dispose();
      await weather.close();
    };
  }
  try {
    const r = await runLoad({ base, root, requests: o.requests, concurrency: o.concurrency, missRatio: o.missRatio });
    console.log(o.json ? JSON.stringify(r, null, 2) : formatReport(r));
  } finally {
    await cleanup();
  }
}
