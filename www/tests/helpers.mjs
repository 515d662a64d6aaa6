// Shared set-up for the browser tests: serve dist/ on a free loopback port,
// launch Debian's Chromium through playwright-core, and open pages that
// record every console error.

import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { serve } from "../scripts/serve.mjs";
import { dist, repo, www } from "../scripts/ensure.mjs";

export { repo, www };
export const outDir = join(www, "test-output");

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function startServer() {
  if (!existsSync(join(dist, "index.html"))) throw new Error("dist/ is not built: run www/test.sh (or npm --prefix www run build)");
  const server = await serve({ root: dist, port: 0, quiet: true });
  const { port } = server.address();
  return { server, url: `http://127.0.0.1:${port}/` };
}

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh browser`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** A fresh browser context + page at 1280×800 that collects console errors. */
export async function openPage(browser, url, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, deviceScaleFactor: 1 });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("requestfailed", (req) => errors.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`));
  await page.goto(url);
  return { context, page, errors };
}

/** Wait until the page has finished its current render (images on screen). */
export async function waitIdle(page, timeout = 60_000) {
  await page.waitForFunction(() => document.body.dataset.renderState === "idle", null, { timeout });
}

/** Wait for a render state other than idle (e.g. "error"). */
export async function waitState(page, state, timeout = 60_000) {
  await page.waitForFunction((s) => document.body.dataset.renderState === s, state, { timeout });
}

/** The bytes currently shown by a size's card (the image's blob URL). */
export async function cardBytes(page, size) {
  const b64 = await page.evaluate(async (sz) => {
    const img = document.querySelector(`.card[data-size="${sz}"] img.creative`);
    if (!img?.src) return null;
    const buf = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let bin = "";
    for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return btoa(bin);
  }, size);
  return b64 === null ? null : Buffer.from(b64, "base64");
}

export function decodePng(bytes) {
  return PNG.sync.read(bytes);
}

/** Fraction of pixels whose RGBA differ by more than `tol` in any channel. */
export function pixelDiff(a, b, tol = 8) {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let diff = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 4; c++) {
      if (Math.abs(a.data[i + c] - b.data[i + c]) > tol) {
        diff++;
        break;
      }
    }
  }
  return diff / (a.width * a.height);
}

/** Replace the editor's whole text as a person would: select all, paste. */
export async function replaceTemplate(page, text) {
  await page.click("#tab-template");
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("Control+V");
}
