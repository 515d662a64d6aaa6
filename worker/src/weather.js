// Current weather for the viewer's place, from a source that speaks the
// Open-Meteo `current` API:
//
//   GET {WEATHER_URL}/v1/forecast?latitude=52.5&longitude=13.4&current=temperature_2m,weather_code
//   → {"current": {"temperature_2m": 8.1, "weather_code": 61, ...}, ...}
//
// Lookups are keyed by the location rounded to 0.1° (about 11 km) and cached
// for 10 minutes in the isolate and in the Cache API; concurrent lookups of
// one place share one fetch. A request waits at most the budget
// (WEATHER_BUDGET_MS); a fetch still running then keeps going in the
// background (up to WEATHER_TIMEOUT_MS) and fills the cache for later requests.
import { Lru } from "./lru.js";

/**
 * WMO weather interpretation codes (the `weather_code` Open-Meteo returns)
 * → the condition vocabulary the templates' rules use.
 */
export function wmoCondition(code) {
  if (!Number.isInteger(code)) return null;
  if (code === 0 || code === 1) return "clear"; // clear sky, mainly clear
  if (code === 2 || code === 3) return "clouds"; // partly cloudy, overcast
  if (code === 45 || code === 48) return "fog"; // fog, depositing rime fog
  if (code >= 51 && code <= 57) return "rain"; // drizzle, freezing drizzle
  if (code >= 61 && code <= 67) return "rain"; // rain, freezing rain
  if (code >= 71 && code <= 77) return "snow"; // snowfall, snow grains
  if (code >= 80 && code <= 82) return "rain"; // rain showers
  if (code === 85 || code === 86) return "snow"; // snow showers
  if (code === 95 || code === 96 || code === 99) return "storm"; // thunderstorm (with hail)
  return null;
}

const TTL_MS = 10 * 60 * 1000;
const FAILURE_TTL_MS = 30 * 1000;
const MAX_BODY = 64 * 1024;

export class WeatherError extends Error {
  /** @param {"weather-unavailable"|"weather-timeout"|"weather-invalid"} reason */
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

export class WeatherSource {
  constructor(env) {
    this.base = (env.WEATHER_URL || "").replace(/\/+$/, "");
    this.budgetMs = positive(env.WEATHER_BUDGET_MS, 150);
    this.timeoutMs = Math.max(this.budgetMs, positive(env.WEATHER_TIMEOUT_MS, 2000));
    this.cache = new Lru({ maxEntries: 2000, maxBytes: Infinity });
    this.inflight = new Map();
    this.stats = { fetches: 0, hits: 0, failures: 0, timeouts: 0 };
  }

  get configured() {
    return this.base !== "";
  }

  static roundedKey(lat, lon) {
    return `${(Math.round(lat * 10) / 10).toFixed(1)},${(Math.round(lon * 10) / 10).toFixed(1)}`;
  }

  /**
   * Weather at (lat, lon) within the budget.
   * @returns {Promise<{weather: string, temp: number, code: number, cached: boolean, ms: number}>}
   * @throws {WeatherError}
   */
  async lookup(lat, lon, ctx) {
    const t0 = performance.now();
    if (!this.configured) throw new WeatherError("weather-unavailable", "no WEATHER_URL configured");
    if (typeof lat !== "number" || typeof lon !== "number") {
      throw new WeatherError("weather-unavailable", "the request has no location");
    }
    const key = WeatherSource.roundedKey(lat, lon);
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) {
      this.stats.hits++;
      if (hit.error) throw hit.error;
      return { ...hit.value, cached: true, ms: performance.now() - t0 };
    }
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.#load(key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
      // The fetch outlives a request that stops waiting for it.
      ctx?.waitUntil?.(pending.catch(() => {}));
    }
    let timer;
    const budget = new Promise((resolve) => {
      timer = setTimeout(resolve, this.budgetMs, null);
    });
    try {
      const value = await Promise.race([pending, budget]);
      if (value === null) {
        this.stats.timeouts++;
        throw new WeatherError("weather-timeout", `no answer within the ${this.budgetMs} ms budget`);
      }
      return { ...value, ms: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
    }
  }

  async #load(key) {
    const [lat, lon] = key.split(",");
    const cacheUrl = `https://adloom.internal/weather/${key}`;
    const cache = globalThis.caches?.default;
    if (cache) {
      const stored = await cache.match(cacheUrl).catch(() => undefined);
      if (stored) {
        const value = await stored.json();
        const expires = Number(stored.headers.get("X-Expires"));
        if (expires > Date.now()) {
          this.cache.set(key, { value, expires });
          return { ...value, cached: true };
        }
      }
    }
    this.stats.fetches++;
    try {
      const value = await this.#fetch(lat, lon);
      const expires = Date.now() + TTL_MS;
      this.cache.set(key, { value, expires });
      if (cache) {
        await cache
          .put(
            cacheUrl,
            new Response(JSON.stringify(value), {
              headers: { "Cache-Control": `max-age=${TTL_MS / 1000}`, "X-Expires": String(expires) },
            }),
          )
          .catch(() => {});
      }
      return { ...value, cached: false };
    } catch (e) {
      this.stats.failures++;
      const error = e instanceof WeatherError ? e : new WeatherError("weather-unavailable", String(e?.message || e));
      // Remember a failure briefly so a broken source is not hammered.
      this.cache.set(key, { error, expires: Date.now() + FAILURE_TTL_MS });
      throw error;
    }
  }

  async #fetch(lat, lon) {
    const url = `${this.base}/v1/forecast?latitude=${lat}&longitude=${lon}&current=temperature_2m,weather_code`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let text;
    try {
      const res = await fetch(url, { signal: abort.signal, headers: { Accept: "application/json" } });
      if (!res.ok) throw new WeatherError("weather-unavailable", `weather source answered HTTP ${res.status}`);
      text = await readLimited(res, MAX_BODY);
    } catch (e) {
      if (e instanceof WeatherError) throw e;
      if (abort.signal.aborted) throw new WeatherError("weather-timeout", `no answer within ${this.timeoutMs} ms`);
      throw new WeatherError("weather-unavailable", `weather source unreachable: ${e?.message || e}`);
    } finally {
      clearTimeout(timer);
    }
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new WeatherError("weather-invalid", "weather source returned invalid JSON");
    }
    const temp = body?.current?.temperature_2m;
    const code = body?.current?.weather_code;
    if (typeof temp !== "number" || !Number.isFinite(temp) || temp < -90 || temp > 60) {
      throw new WeatherError("weather-invalid", "current.temperature_2m: expected a temperature in °C");
    }
    const weather = wmoCondition(code);
    if (!weather) throw new WeatherError("weather-invalid", `current.weather_code: unknown WMO code ${JSON.stringify(code)}`);
    return { weather, temp: Math.round(temp * 10) / 10, code };
  }
}

/** The body as text, refusing more than `max` bytes. */
export async function readLimitedBytes(res, max) {
  const declared = Number(res.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > max) {
    res.body?.cancel().catch(() => {});
    throw new RangeError(`body of ${declared} bytes exceeds ${max}`);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => {});
      throw new RangeError(`body exceeds ${max} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function readLimited(res, max) {
  try {
    return new TextDecoder().decode(await readLimitedBytes(res, max));
  } catch (e) {
    if (e instanceof RangeError) throw new WeatherError("weather-invalid", e.message);
    throw e;
  }
}

function positive(v, dflt) {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : dflt;
}
