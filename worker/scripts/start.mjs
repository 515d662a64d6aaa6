#!/usr/bin/env node
// `npm --prefix worker start`: the worker under workerd via `wrangler dev
// --local` on 127.0.0.1:8787 (PORT overrides). wrangler runs the [build]
// command of wrangler.toml first (scripts/build.mjs: wasm package, bundle).
// WEATHER_URL, IMAGE_HOSTS, SIGNING_SECRET, WEATHER_BUDGET_MS and the other
// vars of wrangler.toml may be overridden from the environment;
// WEATHER_URL=dev starts the offline stand-in source (scripts/dev-weather.mjs).
import { spawn } from "node:child_process";
import { startDevWeather } from "./dev-weather.mjs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.PORT || "8787";
const ip = process.env.HOST || "127.0.0.1";
const VARS = ["WEATHER_URL", "WEATHER_BUDGET_MS", "WEATHER_TIMEOUT_MS", "IMAGE_HOSTS", "IMAGE_MAX_BYTES", "IMAGE_MAX_PIXELS", "IMAGE_TIMEOUT_MS", "CACHE_TTL", "LRU_MAX_BYTES", "LRU_MAX_ENTRIES", "EDGE_CACHE", "SIGNING_SECRET"];
if (process.env.WEATHER_URL === "dev") {
  const weatherPort = Number(process.env.DEV_WEATHER_PORT || 8788);
  await startDevWeather(weatherPort);
  process.env.WEATHER_URL = `http://127.0.0.1:${weatherPort}`;
  console.log(`dev weather source on ${process.env.WEATHER_URL}`);
}
const args = ["dev", "--local", "--ip", ip, "--port", port, "--show-interactive-dev-session=false"];
for (const name of VARS) if (process.env[name] !== undefined) args.push("--var", `${name}:${process.env[name]}`);
const wrangler = path.join(workerDir, "node_modules", ".bin", "wrangler");
const child = spawn(wrangler, args, {
  cwd: workerDir,
  stdio: "inherit",
  env: {
    ...process.env,
    // No telemetry, and no trip to Cloudflare for request.cf: the sandbox has no internet.
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
  },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
