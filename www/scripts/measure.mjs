// Measures the page in headless Chromium (the numbers in README.md):
// cold start to every size on screen, a context change (all sizes
// re-rendered), a change back (served by decision key), per-size render times,
// and the shipped file sizes. Needs dist/ built; run: node scripts/measure.mjs
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { startServer, launch, openPage, waitIdle } from "../tests/helpers.mjs";
import { dist } from "./ensure.mjs";

const { server, url } = await startServer();
const browser = await launch();
const runs = Number(process.env.RUNS ?? 3);
const rows = { cold: [], change: [], cached: [] };
let perSize = null;

const status = (page) => page.$eval("#status", (e) => e.textContent);
const ms = (text) => Number(/in ([\d.]+) ms/.exec(text)?.[1] ?? NaN);

for (let i = 0; i < runs; i++) {
  const t0 = Date.now();
  const p = await openPage(browser, url);
  await waitIdle(p.page, 180_000);
  rows.cold.push(Date.now() - t0);
  await p.page.click('#strip-weather [data-weather="clear"]');
  await waitIdle(p.page);
  rows.change.push(ms(await status(p.page)));
  if (!perSize) {
    perSize = await p.page.$$eval(".card", (cards) => cards.map((c) => [c.dataset.size, c.querySelector(".ms").textContent]));
  }
  await p.page.click('#strip-weather [data-weather="rain"]');
  await waitIdle(p.page);
  rows.cached.push(ms(await status(p.page)));
  await p.context.close();
}
await browser.close();
server.close();

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`| measure (median of ${runs}) | ms |`);
console.log("| --- | --- |");
console.log(`| cold start: page load → engine → all 9 sizes on screen | ${median(rows.cold)} |`);
console.log(`| context change (rain → clear): all 9 sizes re-rendered | ${Math.round(median(rows.change))} |`);
console.log(`| change back (clear → rain): all 9 from the decision-key cache | ${Math.round(median(rows.cached))} |`);
console.log("\n| size | plan + images + render + encode in the worker |\n| --- | --- |");
for (const [size, t] of perSize) console.log(`| ${size} | ${t} |`);

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d)) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) {
      if (e !== "examples") walk(p);
    } else files.push(p);
  }
};
walk(dist);
console.log("\n| file | bytes | gzip -9 |\n| --- | --- | --- |");
for (const f of files.sort()) {
  const b = readFileSync(f);
  console.log(`| ${f.slice(dist.length + 1).replace(/-[\w-]{8}\./, ".")} | ${b.length.toLocaleString("en")} | ${gzipSync(b, { level: 9 }).length.toLocaleString("en")} |`);
}
