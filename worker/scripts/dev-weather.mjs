#!/usr/bin/env node
// A stand-in weather source for offline development: speaks the Open-Meteo
// `current` shape, and answers each place (rounded to 0.1°) with a stable
// condition and temperature that change every 10 minutes, so the retail and
// app templates show their weather rules without internet access.
//
//   node scripts/dev-weather.mjs [port]          (default 8788)
//   WEATHER_URL=dev npm start                    (npm start runs it for you)
import http from "node:http";

const CODES = [0, 1, 2, 3, 45, 61, 63, 71, 80, 95];

export function devWeather(lat, lon, now = Date.now()) {
  const slot = Math.floor(now / 600000);
  let h = 2166136261;
  for (const c of `${lat.toFixed(1)},${lon.toFixed(1)},${slot}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const code = CODES[h % CODES.length];
  // Colder towards the poles; snow below freezing, rain above it.
  const base = 28 - Math.abs(lat) * 0.45 + ((h >>> 8) % 9) - 4;
  const snow = code >= 71 && code <= 77;
  const wet = !snow && code >= 51;
  const temp = Math.round((snow ? Math.min(base, -1) : wet ? Math.max(base, 1.5) : base) * 10) / 10;
  return { temperature_2m: temp, weather_code: code };
}

export function startDevWeather(port = 8788, host = "127.0.0.1") {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, "http://x");
    const lat = Number(u.searchParams.get("latitude"));
    const lon = Number(u.searchParams.get("longitude"));
    if (u.pathname !== "/v1/forecast" || !Number.isFinite(lat) || !Number.isFinite(lon)) {
      res.writeHead(400, { "Content-Type": "application/json" }).end('{"error":true,"reason":"expected /v1/forecast?latitude=&longitude="}');
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ latitude: lat, longitude: lon, current: { time: new Date().toISOString().slice(0, 16), interval: 900, ...devWeather(lat, lon) } }));
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] || 8788);
  await startDevWeather(port);
  console.log(`dev weather source on http://127.0.0.1:${port} (Open-Meteo current shape)`);
}
