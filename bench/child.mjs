// One measurement process: one engine × one scene, from a cold start.
//
//   node child.mjs --engine NAME --scene NAME [--warmup 30] [--renders 50]
//                  [--png FILE] [--memory N] [--profile]
//
// Prints one JSON object on stdout: cold start split into import / init /
// setup (fonts, image, template) / first render, the warm render samples,
// the PNG's size and hash, and peak RSS. `--memory N` instead renders N
// times and samples RSS every 1000 renders; `--profile` (adloom only) adds
// plan-only and per-format timings for the per-stage profile.
const t0 = performance.now();
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { engine as findEngine } from "./engines/index.mjs";
import { scene as findScene } from "./scenes/scenes.mjs";

const { values: args } = parseArgs({
  options: {
    engine: { type: "string" },
    scene: { type: "string" },
    warmup: { type: "string", default: "30" },
    renders: { type: "string", default: "50" },
    png: { type: "string" },
    memory: { type: "string" },
    profile: { type: "boolean", default: false },
  },
});

function count(name, value, min) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got "${value}"`);
  return n;
}

const engine = findEngine(args.engine ?? "");
const scene = findScene(args.scene ?? "");
const warmup = count("warmup", args.warmup, 0);
const renders = count("renders", args.renders, 1);
const harnessMs = performance.now() - t0; // the harness's own imports, excluded from cold start

const cold = {};
let t = performance.now();
const lap = (key) => {
  const now = performance.now();
  cold[key] = now - t;
  t = now;
};
const start = t;
const mod = await engine.load();
lap("import");
await engine.init(mod);
lap("init");
const session = await engine.setup(mod, scene);
lap("setup");
const first = Buffer.from(await session.render());
lap("firstRender");
cold.total = t - start;

const sha = (b) => createHash("sha256").update(b).digest("hex").slice(0, 16);
const result = {
  engine: engine.name,
  scene: scene.name,
  node: process.version,
  harnessMs,
  cold,
  pngBytes: first.length,
  pngSha: sha(first),
};
if (args.png) writeFileSync(args.png, first);

async function timed(fn, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    await fn();
    out[i] = performance.now() - a;
  }
  return out;
}

if (args.memory) {
  const total = count("memory", args.memory, 1000);
  const rss = [{ renders: 1, rssKiB: Math.round(process.memoryUsage().rss / 1024) }];
  const heap = [{ renders: 1, heapKiB: Math.round(process.memoryUsage().heapUsed / 1024) }];
  const a = performance.now();
  for (let i = 2; i <= total; i++) {
    await session.render();
    if (i % 1000 === 0) {
      const m = process.memoryUsage();
      rss.push({ renders: i, rssKiB: Math.round(m.rss / 1024) });
      heap.push({ renders: i, heapKiB: Math.round(m.heapUsed / 1024) });
    }
  }
  result.memory = { renders: total, seconds: (performance.now() - a) / 1000, rss, heap };
} else {
  await timed(session.render, warmup);
  result.samples = await timed(session.render, renders);
  const last = Buffer.from(await session.render());
  result.deterministic = sha(last) === result.pngSha;
  if (args.profile) {
    if (!session.plan) throw new Error(`--profile: engine ${engine.name} has no plan step to time`);
    const out = session.renderFull("png", undefined, true);
    result.decision = { key: out.decision?.key, fired: out.decision?.fired, variant: out.decision?.variant, score: out.decision?.score };
    if (out.report !== undefined) result.report = out.report;
    result.profile = {
      plan: await timed(session.plan, renders),
      png: await timed(() => session.renderFull("png"), renders),
      jpeg: await timed(() => session.renderFull("jpeg", 90), renders),
      webp: await timed(() => session.renderFull("webp"), renders),
      "png + analysis": await timed(() => session.renderFull("png", undefined, true), renders),
    };
    // Deletion profile: the same scene without its image / gradient / text, as
    // lossless WebP (the cheapest encoder, so raster dominates what is left).
    const { variants } = await import("./engines/adloom.mjs");
    result.profile["webp (full scene)"] = result.profile.webp;
    for (const v of Object.keys(variants)) {
      const s2 = await engine.setup(mod, scene, v);
      s2.renderFull("webp");
      result.profile[`webp, ${v}`] = await timed(() => s2.renderFull("webp"), renders);
    }
    result.profileBytes = {
      jpeg: session.renderFull("jpeg", 90).bytes.length,
      webp: session.renderFull("webp").bytes.length,
    };
  }
}
result.maxRssKiB = process.resourceUsage().maxRSS;
process.stdout.write(JSON.stringify(result) + "\n");
