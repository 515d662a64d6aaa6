// adloom at the edge: one personalized banner per request.
//
//   GET  /ad/{template}/{W}x{H}.{png|jpg|webp}?sku=..[&vid=..][&<context overrides>]
//   GET  /plan/{template}/{W}x{H}?sku=..        the decision as JSON, no pixels
//   GET  /health                                 version, templates, isolate counters
//   POST /events                                 impressions / clicks / conversions
//   GET  /events/{template}                      the aggregated outcomes
//
// Per request: derive the context (src/context.js), add the weather when the
// template reads it (src/weather.js), plan, look the decision key up in the
// isolate's LRU and the Cache API, and only then load images and render.
// Any failure after the request has been understood serves the template's
// fallback creative with `X-Adloom-Fallback: <reason>` and status 200.
import wasmModule from "../pkg/adloom_bg.wasm";
import { initSync, version } from "../pkg/adloom.js";
import { TEMPLATES } from "../build/bundle.js";
import { requestContext, secondsToNextHour } from "./context.js";
import { WeatherError, WeatherSource } from "./weather.js";
import { ImageError, parseAllowlist } from "./images.js";
import { TemplateHost } from "./templates.js";
import { Lru } from "./lru.js";
import { solidPng } from "./png.js";
import { verify } from "./signing.js";
import { MAX_BODY_BYTES, readOutcomes, recordEvents, validateEvents } from "./events.js";
import { CORS, HttpError, badRequest, errorResponse, headerSafe, json, notFound } from "./http.js";

const FORMATS = { png: "png", jpg: "jpeg", jpeg: "jpeg", webp: "webp" };
const MIME = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };
const MAX_URL = 2048;
const MAX_VALUE = 256;
const MAX_PARAMS = 40;

/** Everything that lives as long as the isolate. */
class Isolate {
  constructor(env) {
    initSync({ module: wasmModule });
    this.version = version();
    const num = (v, d) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
    this.config = {
      signingSecret: env.SIGNING_SECRET || "",
      imageHosts: parseAllowlist(env.IMAGE_HOSTS),
      imageLimits: {
        maxBytes: num(env.IMAGE_MAX_BYTES, 2 * 1024 * 1024),
        maxPixels: num(env.IMAGE_MAX_PIXELS, 4 * 1024 * 1024),
        timeoutMs: num(env.IMAGE_TIMEOUT_MS, 1500),
      },
      maxRemoteImages: num(env.MAX_REMOTE_IMAGES, 64),
      cacheTtl: num(env.CACHE_TTL, 86400),
      edgeCache: env.EDGE_CACHE !== "off",
      outcomesTtlMs: num(env.OUTCOMES_TTL_MS, 60000),
    };
    this.weather = new WeatherSource(env);
    this.lru = new Lru({ maxEntries: num(env.LRU_MAX_ENTRIES, 2000), maxBytes: num(env.LRU_MAX_BYTES, 48 * 1024 * 1024) });
    this.hosts = new Map();
    for (const [name, entry] of Object.entries(TEMPLATES)) this.hosts.set(name, new TemplateHost(name, entry, this.config));
    this.inflight = new Map();
    this.outcomes = new Map();
    this.started = Date.now();
    this.stats = { requests: 0, renders: 0, lruHits: 0, cacheApiHits: 0, coalesced: 0, notModified: 0, fallbacks: {} };
  }
}

let isolate = null;

export default {
  async fetch(request, env, ctx) {
    try {
      isolate ??= new Isolate(env);
      isolate.stats.requests++;
      return await route(request, env, ctx, isolate);
    } catch (e) {
      if (e instanceof HttpError) return errorResponse(e);
      console.error(JSON.stringify({ level: "error", msg: "unhandled", error: String(e?.stack || e) }));
      return json({ error: "internal error", status: 500 }, 500);
    }
  },
};

async function route(request, env, ctx, iso) {
  if (request.url.length > MAX_URL) throw new HttpError(414, `URL longer than ${MAX_URL} characters`, "url");
  const url = new URL(request.url);
  const parts = url.pathname.split("/").filter(Boolean);
  const method = request.method;
  const only = (...allowed) => {
    if (!allowed.includes(method)) {
      const e = new HttpError(405, `method ${method} not allowed`, "method");
      e.allow = allowed.join(", ");
      throw e;
    }
  };
  if (method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: { ...CORS, "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "86400" },
    });
  }
  switch (parts[0]) {
    case undefined:
      only("GET", "HEAD");
      return json({
        service: "adloom worker",
        routes: ["GET /ad/{template}/{W}x{H}.{png|jpg|webp}?sku=", "GET /plan/{template}/{W}x{H}?sku=", "GET /health", "POST /events", "GET /events/{template}"],
        templates: [...iso.hosts.keys()],
      });
    case "health":
      only("GET", "HEAD");
      return json(health(iso));
    case "ad":
    case "plan": {
      only("GET", "HEAD");
      const req = parseCreativeRequest(parts, url);
      if (iso.config.signingSecret) {
        const why = await verify(iso.config.signingSecret, url.pathname, url.searchParams, Date.now());
        if (why) throw new HttpError(403, `signature: ${why}`, "sig");
      }
      return creative(request, req, env, ctx, iso);
    }
    case "events":
      if (parts.length === 1) {
        only("POST");
        return postEvents(request, env, iso);
      }
      if (parts.length === 2) {
        only("GET", "HEAD");
        if (!iso.hosts.has(parts[1])) throw notFound("template", `no template ${JSON.stringify(parts[1])}`);
        if (!env.ADLOOM_STATE) throw new HttpError(503, "no ADLOOM_STATE KV namespace bound", "ADLOOM_STATE");
        return json({ template: parts[1], ...(await readOutcomes(env.ADLOOM_STATE, parts[1])) });
      }
      throw notFound("path", `no route ${url.pathname}`);
    default:
      throw notFound("path", `no route ${url.pathname}`);
  }
}

function health(iso) {
  return {
    ok: true,
    version: iso.version,
    uptimeSeconds: Math.round((Date.now() - iso.started) / 1000),
    templates: Object.fromEntries(
      [...iso.hosts].map(([name, h]) => [
        name,
        { sizes: h.sizes, skus: Object.keys(h.entry.feed).length, compiled: !!h.tpl, error: h.error ? String(h.error.message || h.error) : undefined, needsWeather: h.needsWeather, outcomes: h.outcomesSupported },
      ]),
    ),
    stats: iso.stats,
    lru: { entries: iso.lru.size, bytes: iso.lru.bytes, evictions: iso.lru.evictions },
    weather: { configured: iso.weather.configured, budgetMs: iso.weather.budgetMs, ...iso.weather.stats, cached: iso.weather.cache.size },
    signed: !!iso.config.signingSecret,
  };
}

/** Validate the path and the parameters that are not context overrides. */
function parseCreativeRequest(parts, url) {
  const kind = parts[0];
  const shape = kind === "ad" ? "/ad/{template}/{W}x{H}.{png|jpg|webp}" : "/plan/{template}/{W}x{H}";
  if (parts.length !== 3) throw badRequest("path", `expected ${shape}`);
  const template = decodeURIComponent(parts[1]);
  let sizePart = parts[2];
  let ext = null;
  if (kind === "ad") {
    const dot = sizePart.lastIndexOf(".");
    if (dot < 0) throw badRequest("format", "expected a file extension: png, jpg or webp");
    ext = sizePart.slice(dot + 1).toLowerCase();
    sizePart = sizePart.slice(0, dot);
    if (!(ext in FORMATS)) throw badRequest("format", `expected png, jpg or webp, got ${JSON.stringify(ext.slice(0, 16))}`);
  }
  const m = /^([1-9]\d{0,4})x([1-9]\d{0,4})$/.exec(sizePart);
  if (!m) throw badRequest("size", `expected WxH such as 300x250, got ${JSON.stringify(sizePart.slice(0, 24))}`);
  const q = url.searchParams;
  let count = 0;
  for (const [k, v] of q) {
    if (++count > MAX_PARAMS) throw badRequest("query", `more than ${MAX_PARAMS} parameters`);
    if (k.length > 64) throw badRequest(k.slice(0, 64), "parameter name longer than 64 characters");
    if (v.length > MAX_VALUE) throw badRequest(k, `value longer than ${MAX_VALUE} characters`);
  }
  const skus = q.getAll("sku");
  if (skus.length === 0 || skus[0] === "") throw badRequest("sku", "required: a product of the template's feed");
  if (skus.length > 1) throw badRequest("sku", "given more than once");
  let quality = null;
  if (q.has("q")) {
    if (FORMATS[ext] !== "jpeg") throw badRequest("q", "quality applies to jpg only");
    const v = q.get("q");
    if (!/^\d{1,3}$/.test(v) || +v < 1 || +v > 100) throw badRequest("q", `expected an integer from 1 to 100, got ${JSON.stringify(v.slice(0, 16))}`);
    quality = +v;
  }
  // A forced variant (previews and QA): `headline=urgent,cta=shop` or `control`.
  const variant = q.get("variant");
  if (variant !== null && (variant === "" || /[\x00-\x1f\x7f]/.test(variant))) throw badRequest("variant", "expected a variant id");
  return { kind, template, size: sizePart, width: +m[1], height: +m[2], format: ext ? FORMATS[ext] : null, quality, sku: skus[0], variant };
}

async function creative(request, req, env, ctx, iso) {
  const t0 = performance.now();
  const timing = [];
  const host = iso.hosts.get(req.template);
  if (!host) throw notFound("template", `no template ${JSON.stringify(req.template)}; templates: ${[...iso.hosts.keys()].join(", ")}`);
  host.ensure();
  const sizes = host.sizes;
  if (!(sizes.includes(req.size) || (host.error && sizes.length === 0 && req.width <= 4096 && req.height <= 4096))) {
    throw notFound("size", `template ${req.template} has no size ${req.size}; sizes: ${sizes.join(", ")}`);
  }
  const row = Object.hasOwn(host.entry.feed, req.sku) ? host.entry.feed[req.sku] : undefined;
  if (!row) throw notFound("sku", `no sku ${JSON.stringify(req.sku)} in the feed of ${req.template}`);
  const { context, sources, headers } = requestContext(request, new URL(request.url).searchParams, Date.now());

  const fail = (reason, error) => fallback(request, req, host, iso, reason, error, timing, t0, context);
  if (host.error) return fail("template-invalid", host.error);

  // Weather, only when the template reads it and the query did not set it.
  let weatherInfo;
  if (host.needsWeather && (!("weather" in context) || !("temp" in context))) {
    try {
      const w = await iso.weather.lookup(context.lat, context.lon, ctx);
      timing.push(`weather;dur=${w.ms.toFixed(1)};desc="${w.cached ? "cached" : "fetched"}"`);
      weatherInfo = w;
      if (!("weather" in context)) {
        context.weather = w.weather;
        sources.weather = "weather";
      }
      if (!("temp" in context)) {
        context.temp = w.temp;
        sources.temp = "weather";
      }
    } catch (e) {
      if (e instanceof WeatherError) return fail(e.reason, e);
      throw e;
    }
  }

  const input = { data: row, context, size: req.size };
  if (req.variant) input.variant = req.variant;
  if (env.ADLOOM_STATE) await addOutcomes(input, host, env, iso);

  let decision;
  const tp = performance.now();
  try {
    decision = planWith(host, input);
  } catch (e) {
    if (req.variant && /variant/.test(String(e?.message || e))) throw badRequest("variant", String(e.message || e));
    return fail(classify(e, "template-error"), e);
  }
  timing.push(`plan;dur=${(performance.now() - tp).toFixed(2)}`);
  const policy = cachePolicy(decision, context, sources, headers, weatherInfo);

  if (req.kind === "plan") {
    return json(
      { template: req.template, size: req.size, sku: req.sku, context, sources, weather: weatherInfo, decision, cacheControl: policy.cacheControl, vary: policy.vary },
      200,
      { "Server-Timing": timing.join(", "), "X-Adloom-Decision": decisionHeader(decision) },
    );
  }

  const etag = `"${decision.key}"`;
  const baseHeaders = {
    ...CORS,
    ETag: etag,
    "Cache-Control": policy.cacheControl,
    "X-Adloom-Decision": decisionHeader(decision),
    "Accept-CH": "Sec-CH-UA-Mobile, Sec-CH-UA-Platform",
  };
  if (policy.vary.length) baseHeaders.Vary = policy.vary.join(", ");
  if (ifNoneMatch(request, etag)) {
    iso.stats.notModified++;
    timing.push(`total;dur=${(performance.now() - t0).toFixed(2)}`);
    return new Response(null, { status: 304, headers: { ...baseHeaders, "Server-Timing": timing.join(", ") } });
  }

  const cacheId = `${decision.key}.${req.format}${req.quality ? `.q${req.quality}` : ""}`;
  let bytes = iso.lru.get(cacheId);
  let layer = bytes ? "lru" : null;
  if (!bytes && iso.config.edgeCache) {
    const tc = performance.now();
    const hit = await caches.default.match(cacheUrl(cacheId)).catch(() => undefined);
    if (hit) {
      bytes = new Uint8Array(await hit.arrayBuffer());
      iso.lru.set(cacheId, bytes, bytes.byteLength);
      layer = "cache-api";
      timing.push(`cache-lookup;dur=${(performance.now() - tc).toFixed(2)}`);
    }
  }
  if (bytes) {
    iso.stats[layer === "lru" ? "lruHits" : "cacheApiHits"]++;
  } else {
    // One render per key at a time; concurrent requests for it wait for it.
    let pending = iso.inflight.get(cacheId);
    const leader = !pending;
    if (leader) {
      pending = renderCreative(host, input, decision, req, timing, iso).finally(() => iso.inflight.delete(cacheId));
      iso.inflight.set(cacheId, pending);
    }
    let result;
    try {
      result = await pending;
    } catch (e) {
      if (e instanceof ImageError) return fail(e.reason, e);
      return fail(classify(e, "render-error"), e);
    }
    bytes = result;
    layer = leader ? null : "coalesced";
    if (!leader) iso.stats.coalesced++;
    if (leader) {
      iso.lru.set(cacheId, bytes, bytes.byteLength);
      if (iso.config.edgeCache) {
        ctx.waitUntil(
          caches.default
            .put(cacheUrl(cacheId), new Response(bytes, { headers: { "Content-Type": MIME[req.format], "Cache-Control": `public, max-age=${iso.config.cacheTtl}` } }))
            .catch((e) => console.error(JSON.stringify({ level: "warn", msg: "cache put failed", error: String(e) }))),
        );
      }
    }
  }
  timing.push(`cache;desc="${layer ? `hit-${layer}` : "miss"}"`, `total;dur=${(performance.now() - t0).toFixed(2)}`);
  return new Response(request.method === "HEAD" ? null : bytes, {
    status: 200,
    headers: {
      ...baseHeaders,
      "Content-Type": MIME[req.format],
      "Content-Length": String(bytes.byteLength),
      "X-Adloom-Cache": layer ? "hit" : "miss",
      "Server-Timing": timing.join(", "),
    },
  });
}

async function renderCreative(host, input, decision, req, timing, iso) {
  const ti = performance.now();
  for (let attempt = 0; ; attempt++) {
    await host.loadImages(decision.assets.images);
    // Another request may have replaced the engine while we awaited a fetch.
    if (decision.assets.images.every((k) => host.engine.hasImage(k)) || attempt >= 2) break;
  }
  timing.push(`images;dur=${(performance.now() - ti).toFixed(2)}`);
  const tr = performance.now();
  // analysis: false skips the guardrail report and score, which nothing here
  // reads; the engine still runs them when the template's failOn can fail a render.
  const out = host.tpl.render({ ...input, format: req.format, analysis: false, ...(req.quality ? { quality: req.quality } : {}) });
  // The engine lays out, paints and encodes in one call.
  timing.push(`render;dur=${(performance.now() - tr).toFixed(2)};desc="layout+raster+encode"`);
  iso.stats.renders++;
  return out.bytes;
}

/** The fallback creative: status 200, never cached downstream, the reason in a header. */
async function fallback(request, req, host, iso, reason, error, timing, t0, context) {
  iso.stats.fallbacks[reason] = (iso.stats.fallbacks[reason] || 0) + 1;
  console.error(JSON.stringify({ level: "error", msg: "serving fallback", reason, template: req.template, size: req.size, sku: req.sku, error: String(error?.message || error) }));
  const headers = {
    ...CORS,
    "Cache-Control": "no-store",
    "X-Adloom-Fallback": reason,
  };
  if (req.kind === "plan") {
    return json({ template: req.template, size: req.size, sku: req.sku, context, fallback: { reason, message: String(error?.message || error) } }, 200, headers);
  }
  const format = req.format;
  const id = `fallback/${req.template}/${req.size}.${format}${req.quality ? `.q${req.quality}` : ""}`;
  let entry = iso.lru.get(id);
  if (!entry && host.tpl) {
    try {
      const tr = performance.now();
      host.loadFallbackImages();
      const out = host.tpl.renderFallback({ size: req.size, format, ...(req.quality ? { quality: req.quality } : {}) }, reason);
      timing.push(`render;dur=${(performance.now() - tr).toFixed(2)};desc="fallback"`);
      entry = { bytes: out.bytes, mime: MIME[format], decision: decisionHeader(out.decision) };
      iso.lru.set(id, entry, out.bytes.byteLength);
    } catch (e) {
      console.error(JSON.stringify({ level: "error", msg: "fallback creative failed", template: req.template, error: String(e?.message || e) }));
    }
  }
  if (!entry) {
    // Even the fallback creative failed: a neutral solid banner of the right size.
    entry = { bytes: await solidPng(req.width, req.height), mime: "image/png", decision: null };
    headers["X-Adloom-Fallback"] = `${reason}; creative=solid`;
  }
  if (entry.decision) headers["X-Adloom-Decision"] = entry.decision;
  timing.push(`total;dur=${(performance.now() - t0).toFixed(2)}`);
  return new Response(request.method === "HEAD" ? null : entry.bytes, {
    status: 200,
    headers: { ...headers, "Content-Type": entry.mime, "Content-Length": String(entry.bytes.byteLength), "Server-Timing": timing.join(", ") },
  });
}

/**
 * Plan; should the engine reject the stored outcomes (a corrupt or oversized
 * state), plan without them rather than lose the ad, and say so in the log.
 */
function planWith(host, input) {
  try {
    return host.tpl.plan(input);
  } catch (e) {
    if (!input.outcomes || !/^input\.outcomes|outcomes/.test(String(e?.message || e))) throw e;
    console.error(JSON.stringify({ level: "warn", msg: "engine rejected the outcome state; planning without it", template: host.name, error: String(e?.message || e) }));
    delete input.outcomes;
    return host.tpl.plan(input);
  }
}

/** Map an engine error to a fallback reason. */
function classify(e, otherwise) {
  const msg = String(e?.message || e);
  if (/: exceeds max[A-Za-z]+ \(/.test(msg)) return "limit-exceeded";
  if (/^image `/.test(msg)) return "image-missing";
  return otherwise;
}

/** Rules fired, variant and key, compact enough for a header. */
function decisionHeader(d) {
  const v = d.variant;
  const variant = typeof v === "string" ? v : v && typeof v === "object" ? (v.id ?? v.key ?? v.name ?? "") : "";
  return headerSafe(`rules=${(d.fired || []).join(",") || "-"}; variant=${variant || "-"}; key=${d.key}`);
}

/**
 * Who may cache the response and for how long, from where each context value
 * the decision read came from: values from the URL let any cache keep it;
 * values from headers add Vary; place, local time and weather make it private
 * and short-lived (until the next hour, or the weather's 10 minutes).
 */
function cachePolicy(decision, context, sources, headers, weatherInfo) {
  let maxAge = 3600;
  let isPrivate = false;
  const vary = new Set();
  const readKeys = Object.keys(decision.read || {})
    .filter((k) => k.startsWith("context."))
    .map((k) => k.slice(8).split(/[.[]/)[0]);
  for (const key of new Set(readKeys)) {
    const source = sources[key];
    if (source === "query") continue;
    if (source === "header" || source === "cookie") {
      (headers[key] || []).forEach((h) => vary.add(h));
    } else if (source === "cf" || source === "weather") {
      isPrivate = true;
      if (source === "weather") maxAge = Math.min(maxAge, 600);
    } else if (source === "clock" || source === "default") {
      maxAge = Math.min(maxAge, secondsToNextHour(Date.now()));
      if (sources.timezone === "cf") isPrivate = true;
    } else if (source === undefined) {
      // Absent: a cookie or header could have supplied it.
      if (key === "segment" || key === "viewerId") vary.add("Cookie");
      if (key === "locale" || key === "lang") vary.add("Accept-Language");
      if (key === "weather" || key === "temp" || key === "country" || key === "city" || key === "region") isPrivate = true;
    }
  }
  if (weatherInfo) maxAge = Math.min(maxAge, 600);
  return { cacheControl: `${isPrivate ? "private" : "public"}, max-age=${maxAge}`, vary: [...vary].sort() };
}

function ifNoneMatch(request, etag) {
  const h = request.headers.get("If-None-Match");
  if (!h) return false;
  return h.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*");
}

function cacheUrl(id) {
  return `https://adloom.internal/render/${id}`;
}

/** Pass the outcome log to the engine, once the engine accepts `outcomes`. */
async function addOutcomes(input, host, env, iso) {
  if (host.outcomesSupported === false) return;
  let entry = iso.outcomes.get(host.name);
  if (!entry || entry.expires < Date.now()) {
    const state = await readOutcomes(env.ADLOOM_STATE, host.name).catch(() => null);
    entry = { state, expires: Date.now() + iso.config.outcomesTtlMs };
    iso.outcomes.set(host.name, entry);
  }
  if (!entry.state) return;
  if (host.outcomesSupported === undefined) {
    // Probe once per isolate: an engine without the field rejects unknown input fields.
    try {
      host.tpl.plan({ size: host.sizes[0], outcomes: { arms: {} } });
      host.outcomesSupported = true;
    } catch (e) {
      host.outcomesSupported = false;
      if (!/outcomes/.test(String(e?.message || e))) {
        console.error(JSON.stringify({ level: "warn", msg: "outcomes probe failed", template: host.name, error: String(e?.message || e) }));
      }
      return;
    }
  }
  input.outcomes = entry.state;
}

async function postEvents(request, env, iso) {
  if (!env.ADLOOM_STATE) throw new HttpError(503, "no ADLOOM_STATE KV namespace bound", "ADLOOM_STATE");
  const type = request.headers.get("Content-Type") || "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "Content-Type must be application/json", "Content-Type");
  if (Number(request.headers.get("Content-Length")) > MAX_BODY_BYTES) {
    throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`, "body");
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`, "body");
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw badRequest("body", `not valid JSON: ${e.message}`);
  }
  const events = validateEvents(body, (name) => iso.hosts.has(name));
  const { totals, dropped } = await recordEvents(env.ADLOOM_STATE, events);
  for (const name of Object.keys(totals)) iso.outcomes.delete(name);
  return json({ accepted: events.length - dropped, dropped, templates: totals }, 202);
}
