// The preview page in a real browser: Debian's Chromium driven by
// playwright-core against the built page (dist/) served on loopback.
// Run through www/test.sh, which builds everything first.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { startServer, launch, openPage, waitIdle, waitState, cardBytes, decodePng, pixelDiff, replaceTemplate, outDir, repo, www } from "./helpers.mjs";

const EXAMPLE = "retail-weather";
const exampleDir = join(repo, "examples", EXAMPLE);
const exampleTemplate = readFileSync(join(exampleDir, "template.json"), "utf8");
const exampleSizes = JSON.parse(exampleTemplate).sizes.map((s) => s.size);
const CLI = join(repo, "target", "debug", "adloom");

let server, url, browser;
const pages = [];

before(async () => {
  mkdirSync(outDir, { recursive: true });
  ({ server, url } = await startServer());
  browser = await launch();
});

after(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await browser?.close();
  server?.close();
});

async function freshPage(target = url, opts) {
  const p = await openPage(browser, target, opts);
  pages.push(p);
  await waitIdle(p.page);
  return p;
}

function assertNoConsoleErrors(p) {
  assert.deepEqual(p.errors, [], `the page logged errors:\n${p.errors.join("\n")}`);
}

async function firedRules(page, size) {
  return page.$$eval(`.card[data-size="${size}"] .rules > li.rule.fired`, (els) => els.map((e) => e.dataset.rule));
}

test("the page loads without console errors and shows every size of the default example", async () => {
  const p = await freshPage();
  const { page } = p;
  assert.equal(await page.$eval("#example", (e) => e.value), EXAMPLE);
  const cards = await page.$$eval(".card", (els) => els.map((e) => e.dataset.size));
  assert.deepEqual(cards, exampleSizes, "one card per size, in the template's order");
  // Every card shows a decoded image at the size's real pixel dimensions.
  const dims = await page.$$eval(".card img.creative", (imgs) => imgs.map((i) => [i.naturalWidth, i.naturalHeight, i.src.startsWith("blob:")]));
  assert.deepEqual(dims, exampleSizes.map((s) => [...s.split("x").map(Number), true]));
  // Each card explains its decision: a 32-hex-digit key and the rules with the values they read.
  for (const size of exampleSizes) {
    const key = await page.$eval(`.card[data-size="${size}"] .key`, (e) => e.textContent);
    assert.match(key, /^[0-9a-f]{32}$/, `${size} shows its decision key`);
    const ms = await page.$eval(`.card[data-size="${size}"] .ms`, (e) => e.textContent);
    assert.match(ms, /ms|cached/, `${size} shows its render time`);
  }
  // The sample context is a rainy evening: the rain rule fired, and says why.
  const rain = await page.$eval('.card[data-size="300x250"] li.rule.fired[data-rule="rain"]', (e) => e.textContent);
  assert.match(rain, /context\.weather = "rain"/);
  assert.match(await page.$eval("#problems", (e) => e.textContent), /Valid template/);
  assertNoConsoleErrors(p);
});

test("changing the weather from sun to rain changes the headline: the rule shows and the pixels change", async () => {
  const p = await freshPage();
  const { page } = p;
  await page.click('#strip-weather [data-weather="clear"]');
  await waitIdle(page);
  const sunRules = await firedRules(page, "300x250");
  assert.ok(!sunRules.includes("rain"), `no rain rule in the sun: ${sunRules}`);
  const sunPng = decodePng(await cardBytes(page, "300x250"));

  await page.click('#strip-weather [data-weather="rain"]');
  await waitIdle(page);
  const rainRules = await firedRules(page, "300x250");
  assert.ok(rainRules.includes("rain"), `rain rule fired: ${rainRules}`);
  const rule = await page.$eval('.card[data-size="300x250"] li.rule.fired[data-rule="rain"]', (e) => e.textContent);
  assert.match(rule, /context\.weather = "rain"/, "the rule shows the value it read");
  assert.match(rule, /headline\.text/, "the rule shows that it set the headline");
  assert.equal(await page.$eval("#context-summary", (e) => e.textContent.split(" ")[0]), "rain");

  const rainPng = decodePng(await cardBytes(page, "300x250"));
  assert.equal(rainPng.width, 300);
  const changed = pixelDiff(sunPng, rainPng);
  assert.ok(changed > 0.05, `the creative's pixels changed (${(changed * 100).toFixed(1)} % differ)`);
  assertNoConsoleErrors(p);
});

test("an invalid edit shows the error with its JSON path at its line, and the last good render stays", async () => {
  const p = await freshPage();
  const { page } = p;
  const before = await page.$$eval(".card img.creative", (imgs) => imgs.map((i) => i.src));
  const top = () => page.$eval('.card[data-size="300x250"]', (e) => e.getBoundingClientRect().top);
  const topBefore = await top();

  // A misspelt style property in the root element.
  const needle = '"flexDirection": "column"';
  const at = exampleTemplate.indexOf(needle, exampleTemplate.indexOf('"root": {\n    "type"'));
  assert.ok(at > 0, "the example has a root flexDirection");
  const broken = exampleTemplate.slice(0, at) + '"flexDirektion": "column"' + exampleTemplate.slice(at + needle.length);
  const line = exampleTemplate.slice(0, at).split("\n").length;
  await replaceTemplate(page, broken);
  await waitState(page, "error");

  const problems = await page.$$eval("#problems .problem", (els) => els.map((e) => ({ source: e.dataset.source, text: e.textContent })));
  const engine = problems.find((x) => x.source === "engine");
  assert.ok(engine, `an engine error is listed: ${JSON.stringify(problems)}`);
  assert.match(engine.text, new RegExp(`^line ${line}engine`), "the error is placed at the line of the bad property");
  assert.match(engine.text, /root\.props\.style\.flexDirektion: /, "the message starts with the JSON path");
  // Clicking it reveals the line: the editor marks it in the gutter and underlines the range.
  await page.click('#problems .problem[data-source="engine"]');
  const cursorLine = await page.$eval(".cm-lineNumbers .cm-activeLineGutter", (e) => Number(e.textContent));
  assert.equal(cursorLine, line, "the cursor jumps to the error's line");
  assert.match(await page.$eval("#cursor-path", (e) => e.textContent), /^root\.props\.style\.flexDirektion$/);
  assert.ok(await page.$(".cm-lintRange-error"), "the bad range is underlined");
  assert.ok(await page.$(".cm-gutter-lint .cm-lint-marker-error"), "the gutter marks the line");
  // The banner says what is shown; the last good renders stay, dimmed.
  assert.match(await page.$eval("#banner", (e) => e.textContent), /root\.props\.style\.flexDirektion/);
  assert.ok(await page.$eval("#grid", (e) => e.classList.contains("stale")));
  const after = await page.$$eval(".card img.creative", (imgs) => imgs.map((i) => i.src));
  assert.deepEqual(after, before, "the last good images stay on screen");
  assert.equal(await top(), topBefore, "the error banner does not move the results");

  // A JSON syntax error: reported at its line, renders still kept.
  const noComma = exampleTemplate.replace('"name": "retail-weather",', '"name": "retail-weather"');
  await replaceTemplate(page, noComma);
  await waitState(page, "error");
  const syntax = await page.$$eval("#problems .problem", (els) => els.map((e) => e.textContent));
  assert.ok(syntax.some((t) => /^line 4json.*',' expected/.test(t)), `syntax error at line 4: ${syntax}`);
  assert.deepEqual(await page.$$eval(".card img.creative", (imgs) => imgs.map((i) => i.src)), before);

  // A valid template whose binding names a missing value fails at render time:
  // each size it breaks says so, and the problems list names the value once.
  const missing = exampleTemplate.replace('"{{product.title}}"', '"{{product.no_such_field}}"');
  assert.notEqual(missing, exampleTemplate);
  await replaceTemplate(page, missing);
  await waitState(page, "error");
  // (320x50 hides the product title, so it does not read the binding.)
  const failed = await page.$$eval(".card.failed", (els) => els.map((e) => e.dataset.size));
  assert.deepEqual(failed, exampleSizes.filter((s) => s !== "320x50"), "every size that shows the title reports the failure");
  assert.match(await page.$eval('.card[data-size="300x250"] .frame-msg', (e) => e.textContent), /no_such_field/);
  const render = await page.$$eval('#problems .problem[data-source="render"]', (els) => els.map((e) => e.textContent));
  assert.equal(render.length, 1, `one render problem: ${render}`);
  assert.match(render[0], /no_such_field.*\(300x250, 728x90/);

  // Fixing it renders again.
  await replaceTemplate(page, exampleTemplate);
  await waitIdle(page);
  assert.equal(await page.$eval("#banner", (e) => e.hidden), true);
  assert.equal(await page.$eval("#grid", (e) => e.classList.contains("stale")), false);
  assertNoConsoleErrors(p);
});

/** Render with the native CLI; images resolve against the example's folder. */
function cliRender({ template, data, context, size, format = "png" }) {
  const dir = mkdtempSync(join(tmpdir(), "adloom-www-"));
  writeFileSync(join(dir, "template.json"), template);
  symlinkSync(join(exampleDir, "img"), join(dir, "img"));
  const args = ["render", join(dir, "template.json"), "--size", size, "-o", join(dir, `out.${format}`)];
  if (data) {
    writeFileSync(join(dir, "data.json"), JSON.stringify(data));
    args.push("--data", join(dir, "data.json"));
  }
  writeFileSync(join(dir, "context.json"), JSON.stringify(context));
  args.push("--context", join(dir, "context.json"));
  execFileSync(CLI, args, { stdio: ["ignore", "ignore", "pipe"] });
  return readFileSync(join(dir, `out.${format}`));
}

test("a downloaded PNG is byte-identical to the native CLI's render of the same inputs", async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: cargo build --bin adloom`);
  const p = await freshPage();
  const { page } = p;
  await page.selectOption("#strip-preset", "builtin:rainy-evening-berlin");
  await page.click("#tab-data");
  await page.selectOption("#data-row", "row:2");
  await waitIdle(page);
  for (const size of ["300x250", "728x90", "160x600"]) {
    await page.click(`.card[data-size="${size}"]`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`.card[data-size="${size}"] .icon-btn`)]);
    assert.equal(download.suggestedFilename(), `retail-weather-${size}.png`);
    const downloaded = readFileSync(await download.path());
    const inputs = await page.evaluate(() => window.adloomPreview.inputs());
    assert.equal(inputs.context.city, "Berlin");
    assert.equal(inputs.data.product.sku, JSON.parse(readFileSync(join(exampleDir, "feed.jsonl"), "utf8").split("\n")[2]).product.sku);
    const native = cliRender({ ...inputs, size });
    assert.equal(downloaded.length, native.length, `${size}: same length`);
    assert.ok(downloaded.equals(native), `${size}: the browser's PNG is byte-identical to the CLI's`);
  }
  // Ctrl+S downloads the selected size too.
  await page.click('.card[data-size="728x90"]');
  const [viaKey] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Control+s")]);
  assert.equal(viaKey.suggestedFilename(), "retail-weather-728x90.png");
  assertNoConsoleErrors(p);
});

test("edits are debounced and stale renders are cancelled: the last input wins", async () => {
  const p = await freshPage();
  const { page } = p;
  const before = await page.evaluate(() => window.adloomPreview.stats());
  // Five quick changes, faster than the debounce: one render request.
  for (const w of ["clear", "snow", "fog", "storm", "clouds"]) await page.click(`#strip-weather [data-weather="${w}"]`);
  await waitIdle(page);
  const mid = await page.evaluate(() => window.adloomPreview.stats());
  assert.ok(mid.requests - before.requests <= 2, `debounced: ${mid.requests - before.requests} requests for 5 clicks`);
  for (const size of exampleSizes) {
    const r = await page.evaluate((s) => window.adloomPreview.result(s), size);
    assert.equal(r.decision.read["context.weather"], "clouds", `${size} shows the last weather`);
  }
  // Changes spaced beyond the debounce: a request each.
  for (const w of ["clear", "snow"]) {
    await page.click(`#strip-weather [data-weather="${w}"]`);
    await page.waitForTimeout(200);
  }
  await waitIdle(page);
  const spaced = await page.evaluate(() => window.adloomPreview.stats());
  assert.ok(spaced.requests - mid.requests >= 2, `${spaced.requests - mid.requests} requests for 2 spaced clicks`);
  // A newer request while a render runs stops the older one at its next size.
  // Two immediate renders (Ctrl+Enter) in one task, so the first is always
  // still running when the second arrives, however fast the engine is.
  await page.click('#strip-weather [data-weather="rain"]');
  await page.evaluate(() => {
    for (let i = 0; i < 2; i++) document.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
  });
  await waitIdle(page);
  const end = await page.evaluate(() => window.adloomPreview.stats());
  const requests = end.requests - spaced.requests;
  const results = end.results - spaced.results;
  assert.ok(requests >= 2, `${requests} requests for two immediate renders`);
  assert.ok(end.cancelled > spaced.cancelled, "the older render was cancelled");
  assert.ok(results < requests * exampleSizes.length, `stale work was dropped: ${results} results for ${requests} requests`);
  assert.deepEqual(await firedRules(page, "300x250"), (await page.evaluate(() => window.adloomPreview.result("300x250"))).decision.fired);
  assert.ok((await firedRules(page, "300x250")).includes("rain"));
  assertNoConsoleErrors(p);
});

test("JPEG and WebP downloads carry their formats", async () => {
  const p = await freshPage();
  const { page } = p;
  await page.selectOption("#format", "jpeg");
  assert.equal(await page.$eval("#quality-field", (e) => e.hidden), false, "JPEG shows its quality");
  await page.fill("#quality", "60");
  await page.dispatchEvent("#quality", "change");
  const [jpeg] = await Promise.all([page.waitForEvent("download"), page.click('.card[data-size="300x250"] .icon-btn')]);
  assert.equal(jpeg.suggestedFilename(), "retail-weather-300x250.jpg");
  const jb = readFileSync(await jpeg.path());
  assert.deepEqual([...jb.subarray(0, 3)], [0xff, 0xd8, 0xff], "a JPEG file");
  await page.selectOption("#format", "webp");
  const [webp] = await Promise.all([page.waitForEvent("download"), page.click('.card[data-size="728x90"] .icon-btn')]);
  assert.equal(webp.suggestedFilename(), "retail-weather-728x90.webp");
  const wb = readFileSync(await webp.path());
  assert.equal(wb.subarray(0, 4).toString("latin1"), "RIFF");
  assert.equal(wb.subarray(8, 12).toString("latin1"), "WEBP");
  // The browser decodes them at the size's pixel dimensions.
  const dims = await page.evaluate(async ([j, w]) => {
    const size = async (b64, type) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type }));
      return [bmp.width, bmp.height];
    };
    return [await size(j, "image/jpeg"), await size(w, "image/webp")];
  }, [jb.toString("base64"), wb.toString("base64")]);
  assert.deepEqual(dims, [[300, 250], [728, 90]]);
  assertNoConsoleErrors(p);
});

test("all sizes download as a zip with every creative and the decisions", async () => {
  const p = await freshPage();
  const { page } = p;
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-all")]);
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const names = Object.keys(zip).sort();
  assert.deepEqual(names, [...exampleSizes.map((s) => `retail-weather-${s}.png`), "decisions.json"].sort());
  const shown = await cardBytes(page, "300x250");
  assert.ok(Buffer.from(zip["retail-weather-300x250.png"]).equals(shown), "the zip holds the same bytes as the preview");
  for (const s of exampleSizes) {
    const png = decodePng(Buffer.from(zip[`retail-weather-${s}.png`]));
    assert.deepEqual([png.width, png.height], s.split("x").map(Number));
  }
  const decisions = JSON.parse(new TextDecoder().decode(zip["decisions.json"]));
  assert.equal(decisions.creatives.length, exampleSizes.length);
  assert.ok(decisions.creatives.every((c) => /^[0-9a-f]{32}$/.test(c.key)));
  assertNoConsoleErrors(p);
});

test("a share link restores the same state in a fresh page", async () => {
  const p = await freshPage();
  const { page } = p;
  await page.selectOption("#strip-preset", "builtin:sunny-morning-madrid");
  await page.click("#tab-data");
  await page.selectOption("#data-row", "row:1");
  const edited = exampleTemplate.replace(/"Shop now"/g, '"Buy it today"');
  assert.notEqual(edited, exampleTemplate);
  await replaceTemplate(page, edited);
  await waitIdle(page);
  await page.click('.card[data-size="728x90"]');
  const inputs = await page.evaluate(() => window.adloomPreview.inputs());
  const bytes = await cardBytes(page, "728x90");
  const rules = await firedRules(page, "728x90");

  await page.click("#share");
  const link = await page.$eval("#share-url", (e) => e.value);
  assert.match(link, /#s=[\w-]+$/);

  const q = await freshPage(link);
  const restored = await q.page.evaluate(() => window.adloomPreview.inputs());
  assert.deepEqual(restored, inputs, "template, data, context, size and format are restored");
  assert.equal(await q.page.$eval("#strip-preset", (e) => e.value), "builtin:sunny-morning-madrid");
  assert.equal(await q.page.$eval("#data-row", (e) => e.value), "row:1");
  assert.deepEqual(await firedRules(q.page, "728x90"), rules);
  assert.ok((await cardBytes(q.page, "728x90")).equals(bytes), "the restored page renders the same bytes");
  assert.ok(await q.page.$eval('.card[data-size="728x90"]', (e) => e.classList.contains("selected")));

  // A damaged link says so instead of failing silently.
  const bad = await openPage(browser, url.replace(/\/$/, "/#s=AAAA"));
  pages.push(bad);
  await waitIdle(bad.page);
  assert.match(await bad.page.$eval("#toast", (e) => e.textContent), /share link: /);
  assertNoConsoleErrors(p);
  assertNoConsoleErrors(q);
  assertNoConsoleErrors(bad);
});

test("the guardrail report is drawn over the creative, or its absence is stated", async () => {
  const p = await freshPage();
  const { page } = p;
  for (const size of exampleSizes) {
    const r = await page.evaluate((s) => window.adloomPreview.result(s), size);
    const card = `.card[data-size="${size}"]`;
    if (r.report === null || r.report === undefined) {
      assert.equal(await page.$eval(`${card} .guardrails .no-report`, (e) => e.textContent), "no guardrail report from this engine build");
    } else {
      const findings = Array.isArray(r.report) ? r.report : r.report.findings ?? [];
      assert.equal(await page.$$eval(`${card} .findings > li`, (els) => els.length), findings.length, `${size}: every finding listed`);
      const boxed = findings.filter((f) => f.box ?? f.rect ?? f.bounds).length;
      assert.equal(await page.$$eval(`${card} .overlay rect`, (els) => els.length), boxed, `${size}: a box per finding with a box`);
    }
  }
  assertNoConsoleErrors(p);
});

test("the matrix shows sizes × chosen contexts, and opens a context in the sizes view", async () => {
  const p = await freshPage();
  const { page } = p;
  await page.click("#view-matrix");
  await waitIdle(page);
  const rows = await page.$$eval("#matrix-table tbody tr", (els) => els.map((e) => e.dataset.ctx));
  assert.equal(rows.length, 4, "four contexts chosen by default");
  const cols = await page.$$eval("#matrix-table thead th", (els) => els.length - 1);
  assert.equal(cols, exampleSizes.length);
  const filled = await page.$$eval("#matrix-table td img", (imgs) => imgs.filter((i) => i.src.startsWith("blob:")).length);
  assert.equal(filled, rows.length * exampleSizes.length, "every cell rendered");
  // Contexts differ, so the rules differ between rows (Madrid sun vs Berlin rain).
  const chips = await page.$$eval("#matrix-table tbody tr", (trs) => trs.map((tr) => tr.querySelector("td .chips").textContent));
  assert.ok(new Set(chips).size > 1, `rows fire different rules: ${chips}`);
  // Add a context with its checkbox.
  await page.click("#matrix-pick summary");
  await page.check('#matrix-contexts input[value="builtin:arabic-mobile"]');
  await waitIdle(page);
  assert.equal(await page.$$eval("#matrix-table tbody tr", (els) => els.length), 5);
  // Approve a row; a change to its creatives puts it back to review.
  const row = 'tr[data-ctx="builtin:arabic-mobile"]';
  await page.check(`${row} .approve-box`);
  assert.equal(await page.$eval(row, (e) => e.dataset.approval), "approved");
  assert.match(await page.$eval("#matrix-approved", (e) => e.textContent), /^1 of 5 approved/);
  await page.screenshot({ path: join(outDir, "matrix.png") });
  const hot = exampleTemplate.replace(/"Shop summer"/g, '"Summer picks"');
  assert.notEqual(hot, exampleTemplate, "the example has a summer CTA");
  await replaceTemplate(page, hot);
  await waitIdle(page);
  assert.equal(await page.$eval(row, (e) => e.dataset.approval), "changed", "approval flags the changed creatives");
  assert.match(await page.$eval("#matrix-approved", (e) => e.textContent), /1 changed since approval/);
  await replaceTemplate(page, exampleTemplate);
  await waitIdle(page);
  assert.equal(await page.$eval(row, (e) => e.dataset.approval), "approved", "back to the approved pixels");
  await page.click('#matrix-table tr[data-ctx="builtin:arabic-mobile"] th .btn');
  await waitIdle(page);
  assert.equal(await page.$eval("#grid", (e) => e.hidden), false);
  assert.equal(await page.$eval("#strip-preset", (e) => e.value), "builtin:arabic-mobile");
  const locale = await page.$eval('.card[data-size="300x250"] .meta', (e) => e.textContent);
  assert.match(locale, /ar-AE/);
  assertNoConsoleErrors(p);
});

test("every bundled example renders all its sizes from the picker, with its own feed and contexts", async () => {
  const p = await freshPage();
  const { page } = p;
  for (const ex of ["travel-geo", "app-install"]) {
    await page.selectOption("#example", ex);
    await waitIdle(page);
    const tpl = JSON.parse(readFileSync(join(repo, "examples", ex, "template.json"), "utf8"));
    assert.deepEqual(await page.$$eval(".card", (els) => els.map((e) => e.dataset.size)), tpl.sizes.map((s) => s.size));
    assert.equal(await page.$$eval(".card.failed", (els) => els.length), 0, `${ex}: no size failed`);
    const dims = await page.$$eval(".card img.creative", (imgs) => imgs.map((i) => `${i.naturalWidth}x${i.naturalHeight}`));
    assert.deepEqual(dims, tpl.sizes.map((s) => s.size), `${ex}: every image decoded`);
    const rows = readFileSync(join(repo, "examples", ex, "feed.jsonl"), "utf8").split("\n").filter(Boolean).length;
    assert.equal(await page.$$eval("#data-row optgroup option", (els) => els.length), rows, `${ex}: its feed rows`);
    const labels = readFileSync(join(repo, "examples", ex, "contexts.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l).label);
    const options = await page.$$eval("#strip-preset option", (els) => els.map((e) => e.textContent));
    for (const l of labels) assert.ok(options.includes(l), `${ex}: preset "${l}"`);
  }
  // Right-to-left: the travel example in Hebrew fires its language rules.
  await page.selectOption("#example", "travel-geo");
  await waitIdle(page);
  await page.selectOption("#strip-preset", "builtin:hebrew-desktop");
  await waitIdle(page);
  const fired = await firedRules(page, "300x250");
  assert.ok(fired.includes("lang-he") && fired.includes("rtl"), `Hebrew rules fired: ${fired}`);
  assertNoConsoleErrors(p);
});

test("keyboard: tabs, context presets and re-render work without a mouse", async () => {
  const p = await freshPage();
  const { page } = p;
  await page.keyboard.press("Alt+2");
  assert.equal(await page.$eval("#panel-context", (e) => e.hidden), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-context");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.$eval("#panel-data", (e) => e.hidden), false);
  const before = await page.$eval("#strip-preset", (e) => e.value);
  await page.keyboard.press("Alt+ArrowDown");
  await waitIdle(page);
  const afterPreset = await page.$eval("#strip-preset", (e) => e.value);
  assert.notEqual(afterPreset, before, "Alt+↓ moves to the next preset");
  await page.keyboard.press("Alt+1");
  await page.keyboard.press("Control+Enter");
  await waitIdle(page);
  assertNoConsoleErrors(p);
});

test("a screenshot of the page is saved for a person to look at", async () => {
  const p = await freshPage();
  const { page } = p;
  await page.selectOption("#strip-preset", "builtin:rainy-evening-berlin");
  await waitIdle(page);
  await page.screenshot({ path: join(outDir, "preview.png") });
  const shot = decodePng(readFileSync(join(outDir, "preview.png")));
  assert.deepEqual([shot.width, shot.height], [1280, 800]);
  if (process.env.ADLOOM_UPDATE_SCREENSHOT) {
    await page.screenshot({ path: join(www, "screenshot.png") });
  }
  // Usable on a laptop screen too: nothing overflows the top bar at 1280 px.
  const overflow = await page.$eval(".topbar", (e) => e.scrollWidth - e.clientWidth);
  assert.ok(overflow <= 0, `the top bar fits at 1280 px (overflow ${overflow}px)`);
  assertNoConsoleErrors(p);
});
