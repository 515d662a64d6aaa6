// Shared by the tests and scripts/load.mjs: a local weather source that
// speaks the Open-Meteo `current` shape (with faulty places), an image host
// reached through Miniflare's outbound hook, and a Miniflare (workerd)
// instance running the worker exactly as wrangler would bundle it.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { Miniflare, Response as MfResponse } from "miniflare";
import { PNG } from "pngjs";

export const WORKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = path.resolve(WORKER_DIR, "..");
export const COMPATIBILITY_DATE = "2025-09-01";

/** request.cf for a few places (Miniflare lets each request set it). */
export const PLACES = {
  berlin: { country: "DE", region: "Berlin", city: "Berlin", latitude: "52.52000", longitude: "13.40500", timezone: "Europe/Berlin" },
  madrid: { country: "ES", region: "Community of Madrid", city: "Madrid", latitude: "40.41680", longitude: "-3.70380", timezone: "Europe/Madrid" },
  london: { country: "GB", region: "England", city: "London", latitude: "51.50740", longitude: "-0.12780", timezone: "Europe/London" },
  // Places whose weather the test source answers badly.
  down: { country: "DE", region: "Nowhere", city: "Downtown", latitude: "10.00000", longitude: "10.00000", timezone: "Europe/Berlin" },
  slow: { country: "DE", region: "Nowhere", city: "Slowby", latitude: "20.00000", longitude: "20.00000", timezone: "Europe/Berlin" },
  garbage: { country: "DE", region: "Nowhere", city: "Junkton", latitude: "30.00000", longitude: "30.00000", timezone: "Europe/Berlin" },
  badcode: { country: "DE", region: "Nowhere", city: "Oddham", latitude: "35.00000", longitude: "35.00000", timezone: "Europe/Berlin" },
  http500: { country: "DE", region: "Nowhere", city: "Errford", latitude: "40.00000", longitude: "40.00000", timezone: "Europe/Berlin" },
};

/** Weather per rounded place: [temperature_2m, weather_code]. */
const WEATHER = { "52.5,13.4": [8.1, 61], "40.4,-3.7": [27.3, 0], "51.5,-0.1": [11.2, 3] };
export const SLOW_MS = 1500;

/**
 * A local Open-Meteo-shaped weather source. `requests` counts hits per
 * rounded location; faulty places: 10,10 resets the connection, 20,20 answers
 * after SLOW_MS, 30,30 returns garbage, 35,35 an unknown WMO code, 40,40 HTTP 500.
 */
export async function startWeatherServer() {
  const requests = new Map();
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, "http://x");
    const lat = Number(u.searchParams.get("latitude"));
    const lon = Number(u.searchParams.get("longitude"));
    const key = `${lat.toFixed(1)},${lon.toFixed(1)}`;
    requests.set(key, (requests.get(key) || 0) + 1);
    if (u.pathname !== "/v1/forecast" || u.searchParams.get("current") !== "temperature_2m,weather_code") {
      res.writeHead(400).end('{"error":true,"reason":"bad request"}');
      return;
    }
    const send = (temp, code) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({
        latitude: lat, longitude: lon, timezone: "GMT", elevation: 38,
        current_units: { time: "iso8601", interval: "seconds", temperature_2m: "°C", weather_code: "wmo code" },
        current: { time: "2026-11-23T18:00", interval: 900, temperature_2m: temp, weather_code: code },
      }));
    };
    if (key === "10.0,10.0") return req.socket.destroy();
    if (key === "20.0,20.0") return void setTimeout(() => send(21.5, 2), SLOW_MS);
    if (key === "30.0,30.0") return void res.writeHead(200, { "Content-Type": "application/json" }).end("<html>upstream error</html>");
    if (key === "35.0,35.0") return send(12, 1234);
    if (key === "40.0,40.0") return void res.writeHead(500).end("{}");
    const [temp, code] = WEATHER[key] ?? [11, 3];
    send(temp, code);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

export function solidPngBytes(width, height, [r, g, b]) {
  const p = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) p.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(p);
}

/**
 * Miniflare's outbound hook: requests to img.adloom.test / evil.adloom.test
 * are answered here (and counted); everything else goes to the network
 * (the local weather server).
 */
export function imageHost() {
  const hits = [];
  const ok = solidPngBytes(40, 40, [230, 0, 200]);
  const huge = Buffer.concat([solidPngBytes(16, 16, [0, 0, 0]), Buffer.alloc(3 * 1024 * 1024)]);
  // A valid PNG signature and IHDR claiming 20000x20000, nothing else.
  const bigPixels = Buffer.from(solidPngBytes(1, 1, [0, 0, 0]).subarray(0, 33));
  bigPixels.writeUInt32BE(20000, 16);
  bigPixels.writeUInt32BE(20000, 20);
  const truncated = solidPngBytes(64, 64, [10, 20, 30]).subarray(0, 60);
  async function outbound(request) {
    const u = new URL(request.url);
    if (!u.hostname.endsWith(".adloom.test")) {
      // Miniflare's Request comes from its own undici: forward it field by field.
      const res = await fetch(request.url, { method: request.method, headers: Object.fromEntries(request.headers) });
      return new MfResponse(await res.arrayBuffer(), { status: res.status, headers: Object.fromEntries(res.headers) });
    }
    hits.push(u.href);
    const png = (body) => new MfResponse(body, { headers: { "Content-Type": "image/png" } });
    switch (u.pathname) {
      case "/ok.png":
        return png(ok);
      case "/corrupt.png":
        return png(Buffer.from("\x89PNG\r\n\x1a\nthis is not really a png at all, sorry"));
      case "/truncated.png":
        return png(truncated);
      case "/huge.png":
        return png(huge);
      case "/bigpixels.png":
        return png(bigPixels);
      case "/slow.png":
        await new Promise((r) => setTimeout(r, 3000));
        return png(ok);
      default:
        return new MfResponse("not found", { status: 404 });
    }
  }
  return { outbound, hits };
}

/** Build worker/build (with the test fixtures) and worker/pkg once per process. */
let built = false;
export function buildWorker({ fixtures = true } = {}) {
  if (built) return;
  execFileSync(process.execPath, [path.join(WORKER_DIR, "scripts/build.mjs"), ...(fixtures ? ["--fixtures"] : [])], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  built = true;
}

/** The worker under workerd, as Miniflare runs it. */
export async function startWorker({ bindings = {}, outbound, fixtures = true } = {}) {
  buildWorker({ fixtures });
  const options = {
    modules: true,
    scriptPath: path.join(WORKER_DIR, "src/index.js"),
    modulesRoot: WORKER_DIR,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
      { type: "Data", include: ["**/*.bin"] },
    ],
    compatibilityDate: COMPATIBILITY_DATE,
    bindings: { WEATHER_BUDGET_MS: "150", WEATHER_TIMEOUT_MS: "2000", ...bindings },
    kvNamespaces: ["ADLOOM_STATE"],
    // On disk so that the Cache API outlives a workerd restart (setOptions).
    cachePersist: fs.mkdtempSync(path.join(os.tmpdir(), "adloom-worker-cache-")),
    ...(outbound ? { outboundService: outbound } : {}),
  };
  const mf = new Miniflare(options);
  await mf.ready;
  /** Restart workerd with the same options: a fresh isolate, the same Cache API. */
  mf.restart = () => mf.setOptions(options);
  return mf;
}

/** GET through workerd's HTTP socket; returns status, headers, bytes. */
export async function get(mf, pathAndQuery, { cf, headers = {}, method = "GET", body } = {}) {
  const res = await mf.dispatchFetch(`http://adloom.local${pathAndQuery}`, { method, headers, body, ...(cf ? { cf } : {}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString("utf8")) };
}

export function decodePng(bytes) {
  return PNG.sync.read(bytes);
}

/** Mean [r, g, b] over a rectangle of a decoded PNG. */
export function meanColor(png, x0, y0, w, h) {
  const sum = [0, 0, 0];
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const i = (y * png.width + x) * 4;
      for (let c = 0; c < 3; c++) sum[c] += png.data[i + c];
    }
  }
  return sum.map((s) => Math.round(s / (w * h)));
}

export function colorDistance(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Fraction of pixels that differ between two decoded images of one size. */
export function differingPixels(a, b) {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
  }
  return n / (a.width * a.height);
}

/** Server-Timing as { name: { dur, desc } }. */
export function serverTiming(headers) {
  const out = {};
  for (const item of (headers.get("Server-Timing") || "").split(",")) {
    const [name, ...params] = item.trim().split(";");
    if (!name) continue;
    const entry = {};
    for (const p of params) {
      const [k, v] = p.split("=");
      entry[k.trim()] = k.trim() === "dur" ? Number(v) : v?.replace(/^"|"$/g, "");
    }
    out[name] = entry;
  }
  return out;
}
