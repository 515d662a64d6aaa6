// The benchmark: adloom's wasm package against satori + resvg-wasm and takumi
// (wasm, and native as the reference), on the same three scenes and fonts.
//
//   node run.mjs [--quick] [--processes N] [--renders N] [--warmup N]
//                [--memory-renders N | --no-memory] [--engines a,b] [--scenes a,b]
//
// Every engine × scene × repetition runs in a fresh process (child.mjs), so
// cold start is real and one engine's heap never slows another. Writes
// out/results.json, out/results.md (printed too), out/png/*.png and
// out/side-by-side-<scene>.png, and checks adloom's output against its
// committed reference render (reference/<scene>.png).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { engines, peers } from "./engines/index.mjs";
import { pkgDir } from "./engines/adloom.mjs";
import { scenes, expectedText } from "./scenes/scenes.mjs";
import { compare, decodePng, encodePng, fileSize, isBlank, sideBySide, summary } from "./lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const { values: opt } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    processes: { type: "string" },
    renders: { type: "string" },
    warmup: { type: "string" },
    "memory-renders": { type: "string" },
    "no-memory": { type: "boolean", default: false },
    engines: { type: "string" },
    scenes: { type: "string" },
    out: { type: "string", default: join(here, "out") },
    "nofont-pkg": { type: "string", default: join(here, "out", "pkg-nofont") },
  },
});

function int(name, value, fallback, min) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer ≥ ${min}, got "${value}"`);
  return n;
}
const quick = opt.quick;
const processes = int("processes", opt.processes, quick ? 1 : 3, 1);
const renders = int("renders", opt.renders, quick ? 10 : 50, 1);
// Warm-up long enough for V8's tier-up: a wasm function starts in the
// baseline compiler (Liftoff) and is recompiled by TurboFan only after enough
// calls, which for a whole render takes 15–30 renders (adloom's 300x250: 24 ms
// a render for the first 20, 5 ms after; takumi-wasm alike). Fewer warm-up
// renders time the baseline tier, not the engine.
const warmup = int("warmup", opt.warmup, 30, 0);
const memoryRenders = opt["no-memory"] ? 0 : int("memory-renders", opt["memory-renders"], quick ? 0 : 10000, 0);
if (memoryRenders % 1000 !== 0) throw new Error(`--memory-renders: expected a multiple of 1000 (RSS is sampled every 1000 renders), got ${memoryRenders}`);
const pick = (list, arg, what) => {
  if (!arg) return list;
  const names = arg.split(",");
  for (const n of names) if (!list.some((x) => x.name === n)) throw new Error(`--${what}: unknown "${n}" (known: ${list.map((x) => x.name).join(", ")})`);
  return list.filter((x) => names.includes(x.name));
};
const useEngines = pick(engines, opt.engines, "engines");
const useScenes = pick(scenes, opt.scenes, "scenes");
const outDir = opt.out;
mkdirSync(join(outDir, "png"), { recursive: true });

if (useEngines.some((e) => e.name === "adloom") && !existsSync(join(pkgDir, "adloom_bg.wasm"))) {
  throw new Error(`${pkgDir}/adloom_bg.wasm is missing: run scripts/build-wasm.sh (bench.sh does it for you)`);
}

const log = (...a) => console.error(...a);

function child(args) {
  const r = spawnSync(process.execPath, [join(here, "child.mjs"), ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`child ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split("\n").pop();
  return JSON.parse(line);
}

// ---- timing runs: repetitions outermost, so machine noise spreads over every engine.
const started = new Date();
const loadBefore = loadavg();
const runs = {}; // `${engine}/${scene}` → child results
for (let rep = 0; rep < processes; rep++) {
  for (const s of useScenes) {
    for (const e of useEngines) {
      const key = `${e.name}/${s.name}`;
      const args = ["--engine", e.name, "--scene", s.name, "--warmup", String(warmup), "--renders", String(renders)];
      if (rep === 0) args.push("--png", join(outDir, "png", `${s.name}.${e.name}.png`));
      log(`[${rep + 1}/${processes}] ${key}`);
      (runs[key] ??= []).push(child(args));
    }
  }
}

// ---- adloom's per-stage profile from the wasm API: plan alone vs full renders per format.
const profile = {};
if (useEngines.some((e) => e.name === "adloom")) {
  for (const s of useScenes) {
    log(`profile adloom/${s.name}`);
    const r = child(["--engine", "adloom", "--scene", s.name, "--warmup", String(warmup), "--renders", String(renders), "--profile"]);
    profile[s.name] = {
      plan: summary(r.profile.plan),
      png: summary(r.profile.png),
      jpeg: summary(r.profile.jpeg),
      webp: summary(r.profile.webp),
      analysis: summary(r.profile["png + analysis"]),
      deletion: Object.fromEntries(Object.entries(r.profile).filter(([k]) => k.startsWith("webp,")).map(([k, v]) => [k, summary(v)])),
      bytes: { png: r.pngBytes, ...r.profileBytes },
      decision: r.decision,
      report: r.report,
    };
  }
}

// ---- native per-stage timings (bench/native, written by bench.sh to out/native.json).
let native = null;
const nativeFile = join(outDir, "native.json");
if (!quick && existsSync(nativeFile)) native = JSON.parse(readFileSync(nativeFile, "utf8"));
let nativeZlibRs = null;
const zFile = join(outDir, "native-zlibrs.json");
if (!quick && existsSync(zFile)) nativeZlibRs = JSON.parse(readFileSync(zFile, "utf8"));

// ---- memory: N renders of the 300x250 in one process per engine. These runs
// measure memory, not time, so they run concurrently (the timing runs are over).
const memory = {};
function childAsync(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(here, "child.mjs"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => {
      if (code !== 0) reject(new Error(`child ${args.join(" ")} failed (exit ${code}):\n${err}`));
      else resolve(JSON.parse(out.trim().split("\n").pop()));
    });
  });
}
if (memoryRenders > 0) {
  log(`memory: ${memoryRenders} renders of medium-rectangle per engine (${useEngines.map((e) => e.name).join(", ")}, concurrently)`);
  const done = await Promise.all(useEngines.map((e) => childAsync(["--engine", e.name, "--scene", "medium-rectangle", "--memory", String(memoryRenders)])));
  useEngines.forEach((e, i) => {
    const r = done[i];
    const at = (n) => r.memory.rss.find((x) => x.renders === n)?.rssKiB;
    memory[e.name] = { renders: memoryRenders, seconds: r.memory.seconds, rss1k: at(1000), rssEnd: at(memoryRenders), maxRssKiB: r.maxRssKiB, series: r.memory.rss };
  });
}

// ---- shipped sizes.
const sizes = {};
const trySize = (key, path, note) => {
  if (existsSync(path)) sizes[key] = { ...fileSize(path), note };
};
trySize("adloom", join(pkgDir, "adloom_bg.wasm"), "pkg/adloom_bg.wasm (wasm-opt -Oz, Inter + Noto Arabic/Hebrew embedded)");
trySize("adloom-nofont", join(opt["nofont-pkg"], "adloom_bg.wasm"), "same build without the embedded-font feature");
trySize("adloom-js", join(pkgDir, "adloom.js"), "wasm-bindgen glue");
trySize("resvg-wasm", require.resolve("@resvg/resvg-wasm/index_bg.wasm"), "@resvg/resvg-wasm index_bg.wasm");
trySize("satori-js", require.resolve("satori"), "satori dist/index.js (yoga wasm inlined as base64; its npm dependencies such as opentype.js come on top)");
trySize("takumi-wasm", require.resolve("@takumi-rs/wasm/takumi_wasm_bg.wasm"), "@takumi-rs/wasm takumi_wasm_bg.wasm");
try {
  trySize("takumi-native", join(dirname(require.resolve("@takumi-rs/core-linux-x64-gnu/package.json")), "core.linux-x64-gnu.node"), "napi binary (linux-x64-gnu)");
} catch {
  /* another platform's binary: not reported */
}
for (const f of ["Inter-Regular.ttf", "Inter-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"]) {
  trySize(`font:${f}`, join(here, "..", "assets/fonts", f), "embedded font file");
}

// ---- images: side by side, non-blank checks, adloom vs its reference and vs the peers.
const checks = [];
const imageInfo = {};
let labelEngine = null;
async function label(text, width) {
  // Labels are drawn by adloom itself (a one-line template), so the image needs no other font stack.
  if (!labelEngine) {
    const mod = await import(new URL(`file://${join(pkgDir, "adloom.js")}`).href);
    mod.initSync({ module: readFileSync(join(pkgDir, "adloom_bg.wasm")) });
    labelEngine = new mod.Engine();
  }
  const tpl = labelEngine.compile(
    JSON.stringify({
      name: "label",
      sizes: [{ size: `${width}x22` }],
      root: { type: "div", props: { style: { width: "100%", height: "100%", padding: "3px 0px", color: "#202020", fontFamily: "Inter", fontSize: 13, fontWeight: 700, whiteSpace: "nowrap" }, children: [text] } },
    }),
  );
  return decodePng(tpl.render({ format: "png" }).bytes, "label");
}
for (const s of useScenes) {
  const tiles = [];
  imageInfo[s.name] = {};
  const decoded = {};
  for (const e of useEngines) {
    const file = join(outDir, "png", `${s.name}.${e.name}.png`);
    const img = decodePng(readFileSync(file), file);
    decoded[e.name] = img;
    const ok = img.width === s.width && img.height === s.height && !isBlank(img);
    checks.push({ check: `${e.name} ${s.name}: ${s.width}x${s.height}, not blank`, ok, detail: `${img.width}x${img.height}${isBlank(img) ? ", blank" : ""}` });
    const det = runs[`${e.name}/${s.name}`].every((r) => r.deterministic && r.pngSha === runs[`${e.name}/${s.name}`][0].pngSha);
    checks.push({ check: `${e.name} ${s.name}: same bytes every render and process`, ok: det, detail: runs[`${e.name}/${s.name}`][0].pngSha });
    if (useEngines.some((x) => x.name === "adloom")) tiles.push({ label: await label(`${e.label}`, s.width), image: img });
  }
  if (decoded.adloom) {
    const ref = join(here, "reference", `${s.name}.png`);
    if (process.env.ADLOOM_BENCH_UPDATE_REFERENCE === "1") {
      mkdirSync(dirname(ref), { recursive: true });
      writeFileSync(ref, encodePng(decoded.adloom));
      log(`wrote ${ref}`);
    }
    if (existsSync(ref)) {
      const c = compare(decoded.adloom, decodePng(readFileSync(ref), ref), 2);
      const ok = c.sameSize && c.maxDiff <= 2;
      checks.push({ check: `adloom ${s.name} matches reference/${s.name}.png (per channel ≤ 2)`, ok, detail: `max ${c.maxDiff}, mean ${c.meanDiff.toFixed(3)}` });
    } else {
      checks.push({ check: `adloom ${s.name} matches reference/${s.name}.png`, ok: false, detail: "reference missing (ADLOOM_BENCH_UPDATE_REFERENCE=1 node run.mjs writes it)" });
    }
    for (const p of useEngines.filter((x) => x.name !== "adloom")) {
      const c = compare(decoded.adloom, decoded[p.name], 16);
      imageInfo[s.name][p.name] = { meanDiff: c.meanDiff, over16: c.over };
    }
  }
  if (tiles.length) {
    const columns = s.width <= 400 ? tiles.length : s.height <= 120 ? 1 : 2;
    writeFileSync(join(outDir, `side-by-side-${s.name}.png`), encodePng(sideBySide(tiles, columns)));
  }
}
// ---- adloom's decision must match the text the peers were given.
for (const [name, p] of Object.entries(profile)) {
  const fired = p.decision?.fired ?? [];
  checks.push({ check: `adloom ${name}: the rain rule fired (the peers draw its headline)`, ok: fired.includes("rain"), detail: JSON.stringify(fired) });
}

// ---- aggregate.
const agg = {};
for (const [key, list] of Object.entries(runs)) {
  const [engine, scene] = key.split("/");
  const warm = summary(list.flatMap((r) => r.samples));
  const cold = summary(list.map((r) => r.cold.total));
  const phases = {};
  for (const k of ["import", "init", "setup", "firstRender"]) phases[k] = summary(list.map((r) => r.cold[k])).median;
  agg[key] = { engine, scene, warm, cold, phases, pngBytes: list[0].pngBytes, maxRssKiB: Math.max(...list.map((r) => r.maxRssKiB)), processes: list.length };
}

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  loadavgBefore: loadBefore.map((x) => +x.toFixed(2)),
  loadavgAfter: loadavg().map((x) => +x.toFixed(2)),
};

// ---- targets (issue #4), measured here.
const A = (e, s) => agg[`${e}/${s}`];
const targets = [];
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
function speedTarget(scene, peer, maxRatio) {
  const a = A("adloom", scene);
  const p = A(peer, scene);
  if (!a || !p) return;
  const ratio = a.warm.median / p.warm.median;
  targets.push({
    target: `${scene}: warm median ≤ ${maxRatio}× ${peer}`,
    measured: `${fmt(a.warm.median)} ms vs ${fmt(p.warm.median)} ms = ${fmt(ratio)}×`,
    met: ratio <= maxRatio,
  });
}
for (const s of ["medium-rectangle", "leaderboard"]) {
  speedTarget(s, "takumi-wasm", 0.3);
  speedTarget(s, "takumi-native", 1.5);
}
speedTarget("og-card", "takumi-wasm", 0.4);
if (A("adloom", "medium-rectangle")) {
  const c = A("adloom", "medium-rectangle");
  targets.push({
    target: "cold start to first 300x250 PNG < 40 ms",
    measured: `${fmt(c.cold.median, 1)} ms median (import ${fmt(c.phases.import, 1)} + init ${fmt(c.phases.init, 1)} + setup ${fmt(c.phases.setup, 1)} + first render ${fmt(c.phases.firstRender, 1)})`,
    met: c.cold.median < 40,
  });
}
if (sizes.adloom) {
  const budget = 700 * 1024;
  const nf = sizes["adloom-nofont"];
  targets.push({
    target: "adloom_bg.wasm after wasm-opt -Oz < 700 KiB gzip without the embedded font",
    measured: nf
      ? `${(nf.gzip / 1024).toFixed(0)} KiB gzip without the font (${(nf.raw / 1024).toFixed(0)} KiB raw); the fonts add ${((sizes.adloom.gzip - nf.gzip) / 1024).toFixed(0)} KiB gzip (${(sizes.adloom.gzip / 1024).toFixed(0)} KiB with them)`
      : `${(sizes.adloom.gzip / 1024).toFixed(0)} KiB gzip with the font; the build without it was not made (bench.sh makes it on a full run)`,
    met: nf ? nf.gzip < budget : sizes.adloom.gzip < budget ? true : null,
  });
}
for (const s of useScenes) {
  const a = A("adloom", s.name);
  for (const t of ["takumi-wasm", "takumi-native"]) {
    const p = A(t, s.name);
    if (!a || !p) continue;
    targets.push({ target: `${s.name}: PNG bytes ≤ ${t}'s`, measured: `${a.pngBytes} vs ${p.pngBytes} (${fmt(a.pngBytes / p.pngBytes)}×)`, met: a.pngBytes <= p.pngBytes });
  }
}
if (memory.adloom) {
  const m = memory.adloom;
  const growth = m.rssEnd - m.rss1k;
  // "Flat": RSS grows by less than 5 % (and less than 8 MiB) from render 1,000 to the last one.
  const flat = growth <= Math.min(m.rss1k * 0.05, 8192);
  targets.push({
    target: `memory flat across ${m.renders} renders in one process`,
    measured: `RSS ${(m.rss1k / 1024).toFixed(1)} MiB at 1k, ${(m.rssEnd / 1024).toFixed(1)} MiB at ${m.renders / 1000}k (${growth >= 0 ? "+" : ""}${(growth / 1024).toFixed(1)} MiB)`,
    met: flat,
  });
}

const results = {
  date: started.toISOString(),
  machine,
  config: { processes, renders, warmup, memoryRenders, quick },
  results: agg,
  profile,
  native,
  nativeZlibRs,
  memory,
  sizes,
  images: imageInfo,
  checks,
  targets,
};
writeFileSync(join(outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");

// ---- markdown.
const md = [];
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
md.push(`## adloom benchmark — ${started.toISOString().slice(0, 16).replace("T", " ")} UTC`);
md.push("");
md.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, Node ${machine.node} (${machine.platform}); load average ${machine.loadavgBefore.join(" / ")} at the start, ${machine.loadavgAfter.join(" / ")} at the end.`);
md.push(`Each engine × scene: ${processes} fresh process${processes > 1 ? "es" : ""} × ${renders} warm renders after ${warmup} warm-up renders; PNG output; same Inter 400/700 font files and the same product image for every engine.`);
md.push("");
md.push("| scene | engine | warm median | warm p95 | cold start (median) | PNG bytes | peak RSS |");
md.push("|---|---|---:|---:|---:|---:|---:|");
for (const s of useScenes) {
  for (const e of useEngines) {
    const r = A(e.name, s.name);
    md.push(`| ${s.size} | ${e.label} | ${ms(r.warm.median)} ms | ${ms(r.warm.p95)} ms | ${ms(r.cold.median)} ms | ${r.pngBytes.toLocaleString("en-US")} | ${(r.maxRssKiB / 1024).toFixed(0)} MiB |`);
  }
}
md.push("");
if (useEngines.some((e) => e.name === "adloom") && useEngines.length > 1) {
  md.push("**Ratios, adloom ÷ peer** (below 1 means adloom is faster / smaller):");
  md.push("");
  md.push(`| scene | metric | ${peers.filter((p) => useEngines.includes(p)).map((p) => p.label).join(" | ")} |`);
  md.push(`|---|---|${peers.filter((p) => useEngines.includes(p)).map(() => "---:").join("|")}|`);
  for (const s of useScenes) {
    const a = A("adloom", s.name);
    const row = (metric, f) => md.push(`| ${s.size} | ${metric} | ${peers.filter((p) => useEngines.includes(p)).map((p) => `${fmt(f(a, A(p.name, s.name)))}×`).join(" | ")} |`);
    row("warm median", (x, y) => x.warm.median / y.warm.median);
    row("warm p95", (x, y) => x.warm.p95 / y.warm.p95);
    row("cold start", (x, y) => x.cold.median / y.cold.median);
    row("PNG bytes", (x, y) => x.pngBytes / y.pngBytes);
    row("peak RSS", (x, y) => x.maxRssKiB / y.maxRssKiB);
  }
  md.push("");
}
md.push("Cold start, median per phase (ms): import / init (wasm instantiate) / setup (fonts, image, template) / first render:");
md.push("");
md.push(`| engine | ${useScenes.map((s) => s.size).join(" | ")} |`);
md.push(`|---|${useScenes.map(() => "---").join("|")}|`);
for (const e of useEngines) {
  md.push(`| ${e.label} | ${useScenes.map((s) => { const p = A(e.name, s.name).phases; return `${ms(p.import)} / ${ms(p.init)} / ${ms(p.setup)} / ${ms(p.firstRender)}`; }).join(" | ")} |`);
}
md.push("");
if (Object.keys(sizes).length) {
  md.push("Shipped size:");
  md.push("");
  md.push("| artefact | raw | gzip -9 | |");
  md.push("|---|---:|---:|---|");
  for (const [k, v] of Object.entries(sizes)) if (!k.startsWith("font:")) md.push(`| ${k} | ${kib(v.raw)} | ${kib(v.gzip)} | ${v.note} |`);
  const fontsRaw = Object.entries(sizes).filter(([k]) => k.startsWith("font:")).reduce((n, [, v]) => n + v.raw, 0);
  if (fontsRaw) md.push(`| embedded font files | ${kib(fontsRaw)} | | assets/fonts/*.ttf, compiled into adloom's default build |`);
  md.push("");
}
if (Object.keys(memory).length) {
  md.push(`Memory, ${memoryRenders.toLocaleString("en-US")} renders of the 300x250 in one process (RSS):`);
  md.push("");
  md.push("| engine | at 1k | at end | growth | peak | time |");
  md.push("|---|---:|---:|---:|---:|---:|");
  for (const e of useEngines) {
    const m = memory[e.name];
    if (m) md.push(`| ${e.label} | ${(m.rss1k / 1024).toFixed(1)} MiB | ${(m.rssEnd / 1024).toFixed(1)} MiB | ${((m.rssEnd - m.rss1k) / 1024).toFixed(1)} MiB | ${(m.maxRssKiB / 1024).toFixed(1)} MiB | ${m.seconds.toFixed(0)} s |`);
  }
  md.push("");
}
if (Object.keys(profile).length) {
  md.push("adloom per-stage profile through the wasm API (warm medians, ms): `plan` = evaluate only (rules, bindings, scene, decision key); render = plan + layout + raster + encode (with `analysis: false`, as timed above); guardrails + score = the same PNG render with the analysis on, minus it:");
  md.push("");
  md.push("| scene | plan | render PNG | render JPEG q90 | render WebP (lossless) | layout + raster (≈ JPEG − plan − JPEG encode) | PNG − JPEG | guardrails + score |");
  md.push("|---|---:|---:|---:|---:|---|---:|---:|");
  for (const s of useScenes) {
    const p = profile[s.name];
    if (!p) continue;
    md.push(`| ${s.size} | ${ms(p.plan.median)} | ${ms(p.png.median)} | ${ms(p.jpeg.median)} | ${ms(p.webp.median)} | ≤ ${ms(p.jpeg.median - p.plan.median)} | ${ms(p.png.median - p.jpeg.median)} | ${ms(p.analysis.median - p.png.median)} |`);
  }
  md.push("");
  const dels = Object.keys(profile[useScenes[0].name]?.deletion ?? {});
  if (dels.length) {
    md.push("Deletion profile in wasm (render to lossless WebP, the cheapest encoder, of the scene without one kind of content; median ms, and the time that content costs):");
    md.push("");
    md.push(`| scene | full scene | ${dels.map((d) => d.replace("webp, ", "")).join(" | ")} |`);
    md.push(`|---|---:|${dels.map(() => "---:").join("|")}|`);
    for (const s of useScenes) {
      const p = profile[s.name];
      if (!p) continue;
      md.push(`| ${s.size} | ${ms(p.webp.median)} | ${dels.map((d) => `${ms(p.deletion[d].median)} (${ms(p.webp.median - p.deletion[d].median)})`).join(" | ")} |`);
    }
    md.push("");
  }
}
if (native) {
  const stageNames = [["evaluate", "evaluate"], ["layout", "layout"], ["displayList", "display list"], ["raster", "raster"], ["encodePng", "encode PNG"], ["render", "whole render"]];
  md.push("adloom native per-stage profile (bench/native, release build, warm engine; median ms, share of the whole render):");
  md.push("");
  md.push(`| stage | ${useScenes.filter((s) => native[s.name]).map((s) => s.size).join(" | ")} |`);
  md.push(`|---|${useScenes.filter((s) => native[s.name]).map(() => "---:").join("|")}|`);
  for (const [k, label] of stageNames) {
    md.push(`| ${label} | ${useScenes.filter((s) => native[s.name]).map((s) => { const st = native[s.name].stages; return `${ms(st[k].median)}${k === "render" ? "" : ` (${((st[k].median / st.render.median) * 100).toFixed(0)} %)`}`; }).join(" | ")} |`);
  }
  md.push(`| encode JPEG q85 / WebP | ${useScenes.filter((s) => native[s.name]).map((s) => { const st = native[s.name].stages; return `${ms(st.encodeJpeg.median)} / ${ms(st.encodeWebp.median)}`; }).join(" | ")} |`);
  md.push("");
  md.push("PNG encoder settings on the same pixels (native; ms median / bytes):");
  md.push("");
  const settings = Object.keys(native[useScenes.find((s) => native[s.name])?.name]?.png ?? {});
  md.push(`| compression/filter | ${useScenes.filter((s) => native[s.name]).map((s) => s.size).join(" | ")} |`);
  md.push(`|---|${useScenes.filter((s) => native[s.name]).map(() => "---:").join("|")}|`);
  for (const k of settings) md.push(`| ${k} | ${useScenes.filter((s) => native[s.name]).map((s) => { const p = native[s.name].png[k]; return `${ms(p.ms.median)} ms / ${p.bytes.toLocaleString("en-US")}`; }).join(" | ")} |`);
  md.push("");
  md.push("`default/*`, `fast/*`, `best/*`: adloom's encoder (`image` crate) with that compression and filter, `default/adaptive` being what adloom ships; `png:*`: the `png` crate directly, opaque pixels as 8-bit RGB, with a flate2 deflate level.");
  md.push("");
  if (nativeZlibRs) {
    const z = useScenes.filter((s) => native[s.name] && nativeZlibRs[s.name]);
    md.push("The same with flate2 on the zlib-rs backend instead of miniz_oxide (`ADLOOM_BENCH_ZLIBRS=1`; median ms / bytes):");
    md.push("");
    md.push(`| | ${z.map((s) => s.size).join(" | ")} |`);
    md.push(`|---|${z.map(() => "---:").join("|")}|`);
    md.push(`| encode PNG (adloom's settings) | ${z.map((s) => `${ms(nativeZlibRs[s.name].stages.encodePng.median)} ms / ${nativeZlibRs[s.name].pngBytes.toLocaleString("en-US")} (miniz_oxide ${ms(native[s.name].stages.encodePng.median)} ms / ${native[s.name].pngBytes.toLocaleString("en-US")})`).join(" | ")} |`);
    md.push(`| whole render | ${z.map((s) => `${ms(nativeZlibRs[s.name].stages.render.median)} ms (miniz_oxide ${ms(native[s.name].stages.render.median)} ms)`).join(" | ")} |`);
    for (const k of ["png:level2/paeth", "png:level3/paeth"]) md.push(`| ${k} | ${z.map((s) => { const p = nativeZlibRs[s.name].png[k]; return p ? `${ms(p.ms.median)} ms / ${p.bytes.toLocaleString("en-US")}` : "n/a"; }).join(" | ")} |`);
    md.push("");
  }
}
if (useEngines.length > 1 && Object.keys(imageInfo).some((k) => Object.keys(imageInfo[k]).length)) {
  md.push("How alike the pictures are (adloom vs peer: mean absolute channel difference, 0–255, and share of pixels off by more than 16):");
  md.push("");
  md.push(`| scene | ${peers.filter((p) => useEngines.includes(p)).map((p) => p.label).join(" | ")} |`);
  md.push(`|---|${peers.filter((p) => useEngines.includes(p)).map(() => "---").join("|")}|`);
  for (const s of useScenes) md.push(`| ${s.size} | ${peers.filter((p) => useEngines.includes(p)).map((p) => { const c = imageInfo[s.name][p.name]; return c ? `${c.meanDiff.toFixed(2)}, ${(c.over16 * 100).toFixed(1)} %` : "n/a"; }).join(" | ")} |`);
  md.push("");
}
if (targets.length) {
  md.push("### Targets (issue #4)");
  md.push("");
  md.push("| target | measured | met |");
  md.push("|---|---|---|");
  for (const t of targets) md.push(`| ${t.target} | ${t.measured} | ${t.met === null ? "not measured" : t.met ? "met" : "**not met**"} |`);
  md.push("");
}
md.push("### Checks");
md.push("");
for (const c of checks) md.push(`- ${c.ok ? "ok" : "FAILED"}: ${c.check} (${c.detail})`);
md.push("");
const text = md.join("\n");
writeFileSync(join(outDir, "results.md"), text);
console.log(text);
const failed = checks.filter((c) => !c.ok);
// The closing line CI runners read.
console.log(`bench: ${checks.length - failed.length} passed, ${failed.length} failed`);
if (failed.length) process.exitCode = 1;
