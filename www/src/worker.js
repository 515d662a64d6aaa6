// The render worker: owns adloom's wasm Engine, loads the bundled examples and
// their images, and answers render requests off the main thread.
//
// Protocol (main → worker):
//   { type: "init", baseUrl }                         → { type: "ready", version, examples }
//   { type: "example", id, reqId }                    → { type: "example", reqId, id, template, feed, contexts }
//   { type: "render", channel, seq, template, base, jobs:[{ id, size?, data, context }], format, quality }
//        (a job without a size is run for every size of the template)
//        → { type: "compiled", channel, seq, name, sizes, warnings } | { type: "compile-error", channel, seq, message }
//        → { type: "result", channel, seq, id, size, ok, bytes, mime, width, height, decision, report, score, ms, cached }
//        → { type: "done", channel, seq, ms, rendered, cached, errors }
//
// A newer render on a channel supersedes the older one: jobs are run one at a
// time with a yield between them, so a stale request stops at its next job.

import init, { Engine, version } from "../../pkg/adloom.js";
import wasmUrl from "../../pkg/adloom_bg.wasm?url";

let engine = null;
let baseUrl = "";
const latest = new Map(); // channel → newest seq seen
const compiled = new Map(); // template text → { template, name, sizes, warnings } (small LRU)
const imageFailures = new Map(); // url → message (retried after a while)

// Rendered results by decision key + format + quality. Equal decision keys
// mean identical pixels, so a re-render is skipped (the campaign-cache idea of
// the engine, applied to the preview). Bounded by total bytes.
const cache = new Map();
let cacheBytes = 0;
const CACHE_LIMIT = 96 * 1024 * 1024;

function cacheGet(k) {
  const v = cache.get(k);
  if (v) {
    cache.delete(k);
    cache.set(k, v);
  }
  return v;
}

function cachePut(k, v) {
  if (cache.has(k)) return;
  cache.set(k, v);
  cacheBytes += v.bytes.byteLength;
  for (const [old, ov] of cache) {
    if (cacheBytes <= CACHE_LIMIT) break;
    cache.delete(old);
    cacheBytes -= ov.bytes.byteLength;
  }
}

const yieldToMessages = () => new Promise((r) => setTimeout(r, 0));

function errorMessage(e) {
  if (e instanceof Error) return e.message;
  return String(e);
}

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

function parseJsonl(text, what) {
  const rows = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      rows.push(JSON.parse(line));
    } catch (e) {
      throw new Error(`${what} line ${i + 1}: ${errorMessage(e)}`);
    }
  });
  return rows;
}

async function loadExample(id) {
  const dir = new URL(`examples/${encodeURIComponent(id)}/`, baseUrl);
  const template = await fetchText(new URL("template.json", dir));
  const feed = await fetchText(new URL("feed.jsonl", dir)).then((t) => parseJsonl(t, "feed.jsonl"), () => []);
  const contexts = await fetchText(new URL("contexts.jsonl", dir)).then((t) => parseJsonl(t, "contexts.jsonl"), () => []);
  return { template, feed, contexts };
}

function compile(text) {
  const hit = compiled.get(text);
  if (hit) {
    compiled.delete(text);
    compiled.set(text, hit);
    return hit;
  }
  const template = engine.compile(text);
  const entry = { template, name: template.name, sizes: [...template.sizes], warnings: [...template.warnings] };
  compiled.set(text, entry);
  while (compiled.size > 8) {
    const [k, v] = compiled.entries().next().value;
    compiled.delete(k);
    v.template.free?.();
  }
  return entry;
}

/** Load the images a decision needs: keys are `src` values relative to the example's folder. */
async function loadImages(keys, base) {
  const missing = [];
  for (const key of keys) {
    if (engine.hasImage(key)) continue;
    let url;
    try {
      url = /^[a-z][a-z0-9+.-]*:/i.test(key) ? new URL(key) : new URL(key, new URL(`examples/${encodeURIComponent(base)}/`, baseUrl));
    } catch {
      missing.push(`image \`${key}\`: not a valid URL or path`);
      continue;
    }
    const failed = imageFailures.get(url.href);
    if (failed && Date.now() - failed.at < 5000) {
      missing.push(failed.message);
      continue;
    }
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      engine.addImage(key, bytes);
      imageFailures.delete(url.href);
    } catch (e) {
      const message = `image \`${key}\`: ${errorMessage(e)}`;
      imageFailures.set(url.href, { at: Date.now(), message });
      missing.push(message);
    }
  }
  return missing;
}

/**
 * Plan → load the images it asks for → plan again until nothing new is asked
 * (image-derived values such as theme colours can change the plan) → render.
 */
async function renderOne(entry, job, format, quality, base) {
  const input = { data: job.data ?? undefined, context: job.context ?? undefined, size: job.size, format, quality };
  const t0 = performance.now();
  let decision = entry.template.plan(input);
  for (let round = 0; round < 3; round++) {
    // Images the render draws, and images whose theme colours the rules read.
    const keys = [...new Set([...(decision?.assets?.images ?? []), ...(decision?.pendingImages ?? [])])];
    if (keys.every((k) => engine.hasImage(k))) break;
    const missing = await loadImages(keys, base);
    if (missing.length) throw new Error(missing.join("; "));
    decision = entry.template.plan(input);
  }
  const cacheKey = `${decision.key}|${format}|${quality ?? ""}`;
  const hit = cacheGet(cacheKey);
  if (hit) {
    // The fresh plan explains this context (rules, values read); the cached
    // render supplies what only a render knows (fit results, pixel checks).
    const merged = { ...hit.decision, ...decision, fit: hit.decision.fit ?? decision.fit, report: hit.decision.report, score: hit.decision.score };
    return { ...hit, decision: merged, ms: performance.now() - t0, renderMs: hit.renderMs, cached: true };
  }
  const out = entry.template.render(input);
  const ms = performance.now() - t0;
  const result = {
    bytes: out.bytes,
    mime: out.mime,
    width: out.width,
    height: out.height,
    decision: out.decision,
    report: out.report ?? out.decision?.report ?? null,
    score: out.score ?? out.decision?.score ?? null,
    renderMs: ms,
  };
  cachePut(cacheKey, result);
  return { ...result, ms, cached: false };
}

async function handleRender(msg) {
  const { channel, seq, template, base, jobs, format = "png", quality } = msg;
  const t0 = performance.now();
  const stale = () => latest.get(channel) !== seq;
  let entry;
  try {
    entry = compile(template);
  } catch (e) {
    postMessage({ type: "compile-error", channel, seq, message: errorMessage(e) });
    return;
  }
  postMessage({ type: "compiled", channel, seq, name: entry.name, sizes: entry.sizes, warnings: entry.warnings });
  let rendered = 0, cached = 0, errors = 0;
  // A job without a size stands for every size of the template.
  const expanded = jobs.flatMap((j) => (j.size ? [j] : entry.sizes.map((size) => ({ ...j, size }))));
  for (const job of expanded) {
    await yieldToMessages();
    if (stale()) {
      postMessage({ type: "cancelled", channel, seq });
      return;
    }
    try {
      const r = await renderOne(entry, job, format, quality, base);
      if (stale()) {
        postMessage({ type: "cancelled", channel, seq });
        return;
      }
      if (r.cached) cached++;
      else rendered++;
      const bytes = r.bytes.slice(); // the cache keeps its copy; this one is transferred
      postMessage(
        {
          type: "result", channel, seq, id: job.id, size: job.size, ok: true,
          bytes, mime: r.mime, width: r.width, height: r.height,
          decision: r.decision, report: r.report, score: r.score,
          ms: r.ms, renderMs: r.renderMs, cached: r.cached,
        },
        [bytes.buffer],
      );
    } catch (e) {
      errors++;
      postMessage({ type: "result", channel, seq, id: job.id, size: job.size, ok: false, message: errorMessage(e) });
    }
  }
  postMessage({ type: "done", channel, seq, ms: performance.now() - t0, rendered, cached, errors });
}

// Messages are handled in order; renders are queued behind each other but a
// newer seq on the same channel makes the older loop stop at its next job.
let queue = Promise.resolve();
self.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "render") latest.set(msg.channel, msg.seq);
  queue = queue.then(() => handle(msg)).catch((e) => postMessage({ type: "fatal", message: errorMessage(e) }));
};

async function handle(msg) {
  switch (msg.type) {
    case "init": {
      baseUrl = msg.baseUrl;
      await init({ module_or_path: wasmUrl });
      engine = new Engine();
      const examples = JSON.parse(await fetchText(new URL("examples/index.json", baseUrl)));
      postMessage({ type: "ready", version: version(), examples });
      return;
    }
    case "example": {
      try {
        const ex = await loadExample(msg.id);
        postMessage({ type: "example", reqId: msg.reqId, id: msg.id, ...ex });
      } catch (e) {
        postMessage({ type: "example", reqId: msg.reqId, id: msg.id, error: errorMessage(e) });
      }
      return;
    }
    case "render":
      if (latest.get(msg.channel) !== msg.seq) {
        postMessage({ type: "cancelled", channel: msg.channel, seq: msg.seq });
        return;
      }
      await handleRender(msg);
      return;
    default:
      postMessage({ type: "fatal", message: `unknown message ${msg.type}` });
  }
}
