// The viewer context: the fields a marketer sets by hand, the city table that
// fills in coordinates and time zones, derived keys (daypart, weekday, lang)
// and the built-in presets.

export const WEATHER = ["clear", "clouds", "fog", "rain", "snow", "storm"];
export const DAYPARTS = ["morning", "afternoon", "evening", "night"];
export const DEVICES = ["desktop", "mobile", "tablet"];
export const OSES = ["ios", "android", "windows", "macos", "linux", "other"];
export const SEGMENTS = ["commuters", "deal-seekers", "outdoors", "runners", "travellers", "city-breaks", "sun-seekers", "families", "new-visitors", "loyal"];

// The keys every example's contexts carry, in their order (others follow).
export const KEY_ORDER = ["weather", "temp", "hour", "daypart", "date", "weekday", "country", "region", "city", "lat", "lon", "timezone", "locale", "lang", "device", "os", "segment", "viewerId"];

/** City table: what a city implies for the context. */
export const CITIES = [
  { city: "Amsterdam", country: "NL", region: "North Holland", lat: 52.3676, lon: 4.9041, timezone: "Europe/Amsterdam", locale: "nl-NL" },
  { city: "Barcelona", country: "ES", region: "Catalonia", lat: 41.3874, lon: 2.1686, timezone: "Europe/Madrid", locale: "es-ES" },
  { city: "Berlin", country: "DE", region: "Berlin", lat: 52.52, lon: 13.405, timezone: "Europe/Berlin", locale: "de-DE" },
  { city: "Cairo", country: "EG", region: "Cairo Governorate", lat: 30.0444, lon: 31.2357, timezone: "Africa/Cairo", locale: "ar-EG" },
  { city: "Copenhagen", country: "DK", region: "Capital Region", lat: 55.6761, lon: 12.5683, timezone: "Europe/Copenhagen", locale: "da-DK" },
  { city: "Dubai", country: "AE", region: "Dubai", lat: 25.2048, lon: 55.2708, timezone: "Asia/Dubai", locale: "ar-AE" },
  { city: "Istanbul", country: "TR", region: "Istanbul", lat: 41.0082, lon: 28.9784, timezone: "Europe/Istanbul", locale: "tr-TR" },
  { city: "Lisbon", country: "PT", region: "Lisbon", lat: 38.7223, lon: -9.1393, timezone: "Europe/Lisbon", locale: "pt-PT" },
  { city: "London", country: "GB", region: "England", lat: 51.5074, lon: -0.1278, timezone: "Europe/London", locale: "en-GB" },
  { city: "Madrid", country: "ES", region: "Community of Madrid", lat: 40.4168, lon: -3.7038, timezone: "Europe/Madrid", locale: "es-ES" },
  { city: "Manchester", country: "GB", region: "England", lat: 53.4808, lon: -2.2426, timezone: "Europe/London", locale: "en-GB" },
  { city: "Mexico City", country: "MX", region: "Mexico City", lat: 19.4326, lon: -99.1332, timezone: "America/Mexico_City", locale: "es-MX" },
  { city: "Milan", country: "IT", region: "Lombardy", lat: 45.4642, lon: 9.19, timezone: "Europe/Rome", locale: "it-IT" },
  { city: "Mumbai", country: "IN", region: "Maharashtra", lat: 19.076, lon: 72.8777, timezone: "Asia/Kolkata", locale: "hi-IN" },
  { city: "Munich", country: "DE", region: "Bavaria", lat: 48.1351, lon: 11.582, timezone: "Europe/Berlin", locale: "de-DE" },
  { city: "New York", country: "US", region: "New York", lat: 40.7128, lon: -74.006, timezone: "America/New_York", locale: "en-US" },
  { city: "Oslo", country: "NO", region: "Oslo", lat: 59.9139, lon: 10.7522, timezone: "Europe/Oslo", locale: "nb-NO" },
  { city: "Paris", country: "FR", region: "Île-de-France", lat: 48.8566, lon: 2.3522, timezone: "Europe/Paris", locale: "fr-FR" },
  { city: "Riyadh", country: "SA", region: "Riyadh Province", lat: 24.7136, lon: 46.6753, timezone: "Asia/Riyadh", locale: "ar-SA" },
  { city: "Rome", country: "IT", region: "Lazio", lat: 41.9028, lon: 12.4964, timezone: "Europe/Rome", locale: "it-IT" },
  { city: "San Francisco", country: "US", region: "California", lat: 37.7749, lon: -122.4194, timezone: "America/Los_Angeles", locale: "en-US" },
  { city: "São Paulo", country: "BR", region: "São Paulo", lat: -23.5505, lon: -46.6333, timezone: "America/Sao_Paulo", locale: "pt-BR" },
  { city: "Seoul", country: "KR", region: "Seoul", lat: 37.5665, lon: 126.978, timezone: "Asia/Seoul", locale: "ko-KR" },
  { city: "Shanghai", country: "CN", region: "Shanghai", lat: 31.2304, lon: 121.4737, timezone: "Asia/Shanghai", locale: "zh-CN" },
  { city: "Stockholm", country: "SE", region: "Stockholm", lat: 59.3293, lon: 18.0686, timezone: "Europe/Stockholm", locale: "sv-SE" },
  { city: "Sydney", country: "AU", region: "New South Wales", lat: -33.8688, lon: 151.2093, timezone: "Australia/Sydney", locale: "en-AU" },
  { city: "Tel Aviv", country: "IL", region: "Tel Aviv District", lat: 32.0853, lon: 34.7818, timezone: "Asia/Jerusalem", locale: "he-IL" },
  { city: "Tokyo", country: "JP", region: "Tokyo", lat: 35.6762, lon: 139.6503, timezone: "Asia/Tokyo", locale: "ja-JP" },
  { city: "Toronto", country: "CA", region: "Ontario", lat: 43.6532, lon: -79.3832, timezone: "America/Toronto", locale: "en-CA" },
  { city: "Vienna", country: "AT", region: "Vienna", lat: 48.2082, lon: 16.3738, timezone: "Europe/Vienna", locale: "de-AT" },
  { city: "Warsaw", country: "PL", region: "Masovian", lat: 52.2297, lon: 21.0122, timezone: "Europe/Warsaw", locale: "pl-PL" },
  { city: "Zurich", country: "CH", region: "Zurich", lat: 47.3769, lon: 8.5417, timezone: "Europe/Zurich", locale: "de-CH" },
];

export const COUNTRY_NAMES = {
  AE: "United Arab Emirates", AT: "Austria", AU: "Australia", BR: "Brazil", CA: "Canada", CH: "Switzerland",
  CN: "China", DE: "Germany", DK: "Denmark", EG: "Egypt", ES: "Spain", FR: "France", GB: "United Kingdom",
  IL: "Israel", IN: "India", IT: "Italy", JP: "Japan", KR: "South Korea", MX: "Mexico", NL: "Netherlands",
  NO: "Norway", PL: "Poland", PT: "Portugal", SA: "Saudi Arabia", SE: "Sweden", TR: "Turkey", US: "United States",
};

// Locales the engine's formatters cover (others fall back to their language).
export const LOCALES = [
  "en-US", "en-GB", "en-IE", "en-AU", "en-CA", "de-DE", "de-AT", "de-CH", "fr-FR", "fr-CA", "es-ES", "es-MX",
  "it-IT", "nl-NL", "pt-PT", "pt-BR", "sv-SE", "da-DK", "nb-NO", "fi-FI", "pl-PL", "cs-CZ", "tr-TR", "ru-RU",
  "ja-JP", "zh-CN", "ko-KR", "ar-AE", "ar-SA", "ar-EG", "he-IL", "hi-IN",
];

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** The daypart an hour falls in (the examples' convention). */
export function daypartOf(hour) {
  const h = Number(hour);
  if (!Number.isFinite(h)) return "afternoon";
  if (h >= 5 && h < 12) return "morning";
  if (h >= 12 && h < 18) return "afternoon";
  if (h >= 18 && h < 22) return "evening";
  return "night";
}

/** Lower-case English weekday of an ISO date (calendar date, no time zone shift). */
export function weekdayOf(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? "");
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return Number.isNaN(d.getTime()) ? undefined : WEEKDAYS[d.getUTCDay()];
}

export function cityInfo(name) {
  return CITIES.find((c) => c.city === name);
}

/** Key order as in the examples, custom keys after. */
export function ordered(ctx) {
  const out = {};
  for (const k of KEY_ORDER) if (ctx[k] !== undefined) out[k] = ctx[k];
  for (const k of Object.keys(ctx)) if (!(k in out) && ctx[k] !== undefined) out[k] = ctx[k];
  return out;
}

/** A full context from a few facts: the city fills place, the date the weekday, the hour the daypart. */
export function makeContext({ city, weather, temp, hour, date, locale, device, os, segment, viewerId, daypart }) {
  const c = cityInfo(city) ?? cityInfo("London");
  const loc = locale ?? c.locale;
  return ordered({
    weather,
    temp,
    hour,
    daypart: daypart ?? daypartOf(hour),
    date,
    weekday: weekdayOf(date),
    country: c.country,
    region: c.region,
    city: c.city,
    lat: c.lat,
    lon: c.lon,
    timezone: c.timezone,
    locale: loc,
    lang: loc.split("-")[0],
    device,
    os,
    segment,
    viewerId,
  });
}

/** Presets for common situations (the example's own labelled contexts are added beside them). */
export const BUILTIN_PRESETS = [
  { id: "rainy-evening-berlin", label: "Rainy evening in Berlin", context: makeContext({ city: "Berlin", weather: "rain", temp: 9, hour: 19, date: "2026-11-23", device: "mobile", os: "android", segment: "commuters", viewerId: "v-berlin-19" }) },
  { id: "sunny-morning-madrid", label: "Sunny morning in Madrid", context: makeContext({ city: "Madrid", weather: "clear", temp: 27, hour: 9, date: "2026-06-18", device: "desktop", os: "other", segment: "deal-seekers", viewerId: "v-madrid-09" }) },
  { id: "arabic-mobile", label: "Arabic, mobile (Dubai)", context: makeContext({ city: "Dubai", weather: "clear", temp: 31, hour: 20, date: "2026-10-15", locale: "ar-AE", device: "mobile", os: "ios", segment: "travellers", viewerId: "v-dubai-20" }) },
  { id: "snowy-night-oslo", label: "Snowy night in Oslo", context: makeContext({ city: "Oslo", weather: "snow", temp: -6, hour: 22, date: "2026-12-08", device: "mobile", os: "ios", segment: "outdoors", viewerId: "v-oslo-22" }) },
  { id: "foggy-morning-london", label: "Foggy commute in London", context: makeContext({ city: "London", weather: "fog", temp: 6, hour: 8, date: "2026-11-17", device: "mobile", os: "ios", segment: "commuters", viewerId: "v-london-08" }) },
  { id: "hot-afternoon-tokyo", label: "Hot afternoon in Tokyo", context: makeContext({ city: "Tokyo", weather: "clear", temp: 33, hour: 14, date: "2026-08-06", device: "mobile", os: "android", segment: "sun-seekers", viewerId: "v-tokyo-14" }) },
  { id: "stormy-night-new-york", label: "Stormy night in New York, tablet", context: makeContext({ city: "New York", weather: "storm", temp: 14, hour: 23, date: "2026-09-29", device: "tablet", os: "ios", segment: "deal-seekers", viewerId: "v-nyc-23" }) },
  { id: "hebrew-desktop", label: "Hebrew, desktop (Tel Aviv)", context: makeContext({ city: "Tel Aviv", weather: "clear", temp: 27, hour: 19, date: "2026-09-03", device: "desktop", os: "windows", segment: "runners", viewerId: "v-tlv-19" }) },
];

/** A short human summary of a context, for cards and the matrix. */
export function summary(ctx) {
  if (!ctx) return "template sample";
  const parts = [];
  if (ctx.weather) parts.push(ctx.weather + (ctx.temp !== undefined ? ` ${ctx.temp} °C` : ""));
  if (ctx.city) parts.push(ctx.city);
  if (ctx.hour !== undefined) parts.push(`${String(ctx.hour).padStart(2, "0")}:00${ctx.daypart ? ` ${ctx.daypart}` : ""}`);
  if (ctx.locale) parts.push(ctx.locale);
  if (ctx.device) parts.push(ctx.device + (ctx.os && ctx.os !== "other" ? `/${ctx.os}` : ""));
  if (ctx.segment) parts.push(ctx.segment);
  return parts.join(" · ");
}

export function slug(text) {
  return String(text).toLowerCase().normalize("NFKD").replace(/[^\w]+/g, "-").replace(/^-|-$/g, "");
}
