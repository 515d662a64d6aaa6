// The viewer context of one request: place from `request.cf`, local time in
// that place's time zone, language and device from headers, viewer id and
// segment from query or cookie, and query overrides for every key so that
// marketers and tests can preview any situation. Weather is added later
// (src/weather.js) because it needs a fetch.
import { badRequest } from "./http.js";

export const WEATHER_CONDITIONS = ["clear", "clouds", "fog", "rain", "snow", "storm"];
export const DAYPARTS = ["morning", "afternoon", "evening", "night"];
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
export const DEVICES = ["mobile", "tablet", "desktop"];
export const OSES = ["ios", "android", "other"];

/** Query parameters that override a context key, with their validators. */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PLACE = /^[^\x00-\x1f<>{}\\]{0,80}$/u;
export const OVERRIDES = {
  weather: (v) => oneOf(v, WEATHER_CONDITIONS),
  temp: (v) => number(v, -90, 60),
  hour: (v) => integer(v, 0, 23),
  daypart: (v) => oneOf(v, DAYPARTS),
  date: (v) => isoDate(v),
  weekday: (v) => oneOf(v.toLowerCase(), WEEKDAYS),
  country: (v) => (/^[A-Za-z]{2}$/.test(v) ? v.toUpperCase() : fail("expected a two-letter country code")),
  region: (v) => (PLACE.test(v) ? v : fail("expected a place name of at most 80 characters")),
  city: (v) => (PLACE.test(v) ? v : fail("expected a place name of at most 80 characters")),
  lat: (v) => number(v, -90, 90),
  lon: (v) => number(v, -180, 180),
  timezone: (v) => (validTimeZone(v) ? v : fail("expected an IANA time zone such as Europe/Berlin")),
  locale: (v) => normaliseLocale(v) ?? fail("expected a BCP 47 locale such as de-DE"),
  lang: (v) => (/^[A-Za-z]{2,3}$/.test(v) ? v.toLowerCase() : fail("expected a two- or three-letter language code")),
  device: (v) => oneOf(v, DEVICES),
  os: (v) => oneOf(v, OSES),
  segment: (v) => (SLUG.test(v) ? v : fail("expected a segment slug (letters, digits, . _ -; at most 64)")),
  viewerId: (v) => (/^[\x21-\x7e]{1,128}$/.test(v) ? v : fail("expected 1-128 visible ASCII characters")),
};
/** Short aliases accepted in the query. */
export const ALIASES = { vid: "viewerId", seg: "segment", tz: "timezone" };

class FieldError extends Error {}
function fail(message) {
  throw new FieldError(message);
}
function oneOf(v, list) {
  return list.includes(v) ? v : fail(`expected one of ${list.join(", ")}`);
}
function number(v, min, max) {
  if (!/^-?\d{1,4}(\.\d{1,6})?$/.test(v)) fail("expected a number");
  const n = Number(v);
  if (n < min || n > max) fail(`expected a number from ${min} to ${max}`);
  return n;
}
function integer(v, min, max) {
  if (!/^\d{1,2}$/.test(v)) fail(`expected an integer from ${min} to ${max}`);
  const n = Number(v);
  if (n < min || n > max) fail(`expected an integer from ${min} to ${max}`);
  return n;
}
function isoDate(v) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) fail("expected a date YYYY-MM-DD");
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    fail("not a calendar date");
  }
  return v;
}

const zoneFormatters = new Map();
function formatterFor(timeZone) {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      hourCycle: "h23",
      weekday: "long",
    });
    if (zoneFormatters.size > 500) zoneFormatters.clear();
    zoneFormatters.set(timeZone, f);
  }
  return f;
}

export function validTimeZone(tz) {
  if (typeof tz !== "string" || tz.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(tz)) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** Local date (YYYY-MM-DD), hour and weekday of `ms` in `timeZone`. */
export function localTime(ms, timeZone) {
  const parts = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour) % 24,
    weekday: parts.weekday.toLowerCase(),
  };
}

/** Seconds until the next local hour starts (when hour-based copy can change). */
export function secondsToNextHour(ms) {
  // Every IANA zone in use is offset by a multiple of 15 minutes, so local
  // hours start on UTC quarter hours; the next UTC hour bounds it from above.
  return Math.max(1, Math.ceil((3600000 - (ms % 3600000)) / 1000));
}

export function daypartOf(hour) {
  if (hour >= 5 && hour <= 11) return "morning";
  if (hour >= 12 && hour <= 16) return "afternoon";
  if (hour >= 17 && hour <= 21) return "evening";
  return "night";
}

export function weekdayOf(date) {
  const [y, m, d] = date.split("-").map(Number);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

/** `de-de` → `de-DE`, `zh-hant-tw` → `zh-Hant-TW`; null when not a plausible tag. */
export function normaliseLocale(tag) {
  if (typeof tag !== "string" || tag.length > 35) return null;
  const parts = tag.replace(/_/g, "-").split("-");
  if (!/^[A-Za-z]{2,3}$/.test(parts[0])) return null;
  const out = [parts[0].toLowerCase()];
  for (const p of parts.slice(1)) {
    if (/^[A-Za-z]{4}$/.test(p)) out.push(p[0].toUpperCase() + p.slice(1).toLowerCase());
    else if (/^([A-Za-z]{2}|\d{3})$/.test(p)) out.push(p.toUpperCase());
    else if (/^[A-Za-z0-9]{1,8}$/.test(p)) out.push(p.toLowerCase());
    else return null;
  }
  return out.join("-");
}

/** The most preferred language range of an Accept-Language header (q-values honoured). */
export function preferredLocale(header) {
  if (!header || header.length > 512) return null;
  let best = null;
  let bestQ = 0;
  for (const item of header.split(",").slice(0, 20)) {
    const [range, ...params] = item.trim().split(";");
    let q = 1;
    for (const p of params) {
      const m = /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    const tag = normaliseLocale(range.trim());
    if (tag && q > bestQ) {
      best = tag;
      bestQ = q;
    }
  }
  return best;
}

/** Device class and OS from client hints, else the User-Agent. */
export function deviceOf(headers) {
  const ua = headers.get("User-Agent") || "";
  const mobileHint = headers.get("Sec-CH-UA-Mobile");
  const platform = (headers.get("Sec-CH-UA-Platform") || "").replace(/"/g, "").toLowerCase();
  const tablet = /iPad|Tablet|PlayBook|Silk|Kindle|(Android(?!.*Mobile))/i.test(ua);
  let device;
  let deviceFrom;
  if (mobileHint === "?1") {
    device = "mobile";
    deviceFrom = ["Sec-CH-UA-Mobile"];
  } else if (tablet) {
    device = "tablet";
    deviceFrom = ["User-Agent"];
  } else if (mobileHint === "?0") {
    device = "desktop";
    deviceFrom = ["Sec-CH-UA-Mobile", "User-Agent"];
  } else {
    device = /Mobi|iPhone|iPod|Android|Windows Phone/i.test(ua) ? "mobile" : "desktop";
    deviceFrom = ["User-Agent"];
  }
  let os;
  let osFrom;
  if (platform) {
    os = platform === "ios" ? "ios" : platform === "android" ? "android" : "other";
    osFrom = ["Sec-CH-UA-Platform"];
  } else {
    os = /iPhone|iPad|iPod/i.test(ua) ? "ios" : /Android/i.test(ua) ? "android" : "other";
    osFrom = ["User-Agent"];
  }
  return { device, deviceFrom, os, osFrom };
}

function cookie(headers, name) {
  const h = headers.get("Cookie");
  if (!h || h.length > 4096) return null;
  for (const part of h.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

function cfNumber(v) {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * The context of a request, without weather.
 * @param {Request} request
 * @param {URLSearchParams} query
 * @param {number} now epoch ms
 * @returns {{context: object, sources: Record<string,string>, headers: Record<string,string[]>, overrides: Record<string, any>}}
 *   `sources[key]` is where the value came from: cf, clock, header, cookie, query or default;
 *   `headers[key]` the request headers a header- or cookie-derived value depends on (for Vary).
 */
export function requestContext(request, query, now) {
  // Validate overrides first so a bad value fails fast with its field name.
  const overrides = {};
  for (const [rawName, rawValue] of query) {
    const name = ALIASES[rawName] ?? rawName;
    if (!(name in OVERRIDES)) continue;
    if (name in overrides) throw badRequest(rawName, "given more than once");
    try {
      overrides[name] = OVERRIDES[name](rawValue);
    } catch (e) {
      if (e instanceof FieldError) throw badRequest(rawName, `${e.message}, got ${JSON.stringify(rawValue.slice(0, 40))}`);
      throw e;
    }
  }

  const cf = request.cf || {};
  const ctx = {};
  const sources = {};
  const headers = {};
  const set = (key, value, source) => {
    if (value === null || value === undefined || value === "") return;
    ctx[key] = value;
    sources[key] = source;
  };

  // Place.
  set("country", typeof cf.country === "string" && /^[A-Z]{2}$/.test(cf.country) ? cf.country : null, "cf");
  set("region", typeof cf.region === "string" ? cf.region.slice(0, 80) : null, "cf");
  set("city", typeof cf.city === "string" ? cf.city.slice(0, 80) : null, "cf");
  set("lat", cfNumber(cf.latitude), "cf");
  set("lon", cfNumber(cf.longitude), "cf");
  for (const k of ["country", "region", "city", "lat", "lon"]) if (k in overrides) set(k, overrides[k], "query");

  // Time zone and the local clock.
  if ("timezone" in overrides) set("timezone", overrides.timezone, "query");
  else if (validTimeZone(cf.timezone)) set("timezone", cf.timezone, "cf");
  else set("timezone", "UTC", "default");
  const local = localTime(now, ctx.timezone);
  set("date", "date" in overrides ? overrides.date : local.date, "date" in overrides ? "query" : "clock");
  set("hour", "hour" in overrides ? overrides.hour : local.hour, "hour" in overrides ? "query" : "clock");
  if ("daypart" in overrides) set("daypart", overrides.daypart, "query");
  else set("daypart", daypartOf(ctx.hour), sources.hour);
  if ("weekday" in overrides) set("weekday", overrides.weekday, "query");
  else set("weekday", "date" in overrides ? weekdayOf(ctx.date) : local.weekday, sources.date);

  // Language.
  if ("locale" in overrides) {
    set("locale", overrides.locale, "query");
  } else if ("lang" in overrides) {
    set("locale", ctx.country ? `${overrides.lang}-${ctx.country}` : overrides.lang, "query");
  } else {
    const preferred = preferredLocale(request.headers.get("Accept-Language"));
    if (preferred) {
      // A bare language ("de") takes the viewer's country as its region.
      const withRegion = !preferred.includes("-") && ctx.country ? `${preferred}-${ctx.country}` : preferred;
      set("locale", withRegion, "header");
      headers.locale = headers.lang = ["Accept-Language"];
    }
  }
  if ("lang" in overrides) set("lang", overrides.lang, "query");
  else if (ctx.locale) set("lang", ctx.locale.split("-")[0], sources.locale);

  // Device.
  const dev = deviceOf(request.headers);
  if ("device" in overrides) set("device", overrides.device, "query");
  else {
    set("device", dev.device, "header");
    headers.device = dev.deviceFrom;
  }
  if ("os" in overrides) set("os", overrides.os, "query");
  else {
    set("os", dev.os, "header");
    headers.os = dev.osFrom;
  }

  // Audience.
  for (const [key, cookieName] of [
    ["segment", "adloom_seg"],
    ["viewerId", "adloom_vid"],
  ]) {
    if (key in overrides) set(key, overrides[key], "query");
    else {
      const c = cookie(request.headers, cookieName);
      if (c !== null) {
        try {
          set(key, OVERRIDES[key](c), "cookie");
          headers[key] = ["Cookie"];
        } catch {
          // An unusable cookie is ignored rather than failing the ad.
        }
      }
    }
  }

  // Weather overrides (the lookup happens later, only for what is missing).
  if ("weather" in overrides) set("weather", overrides.weather, "query");
  if ("temp" in overrides) set("temp", overrides.temp, "query");
  return { context: ctx, sources, headers, overrides };
}
