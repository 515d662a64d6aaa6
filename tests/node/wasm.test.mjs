// The npm package (pkg/, built by scripts/build-wasm.sh) under Node's test
// runner: the same fixtures as the native reference test must give the very
// same bytes and decision keys (the native run writes target/fixture-out/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { initSync, Engine, templateSchema, version } from "../../pkg/adloom.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
initSync({ module: readFileSync(join(root, "pkg/adloom_bg.wasm")) });

function fixtures(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "assets") out.push(...fixtures(p));
    } else if (name.endsWith(".json")) out.push(p);
  }
  return out.sort();
}

function renderFixture(file) {
  const spec = JSON.parse(readFileSync(file, "utf8"));
  const dir = dirname(file);
  let templateText, base;
  if (spec.template) {
    templateText = JSON.stringify(spec.template);
    base = dir;
  } else {
    const tp = join(dir, spec.templatePath);
    templateText = readFileSync(tp, "utf8");
    base = dirname(tp);
  }
  const engine = new Engine();
  const tpl = engine.compile(templateText);
  for (const [key, f] of Object.entries(spec.images ?? {})) engine.addImage(key, readFileSync(join(dir, f)));
  const input = { data: spec.data, context: spec.context, size: spec.size, format: spec.format };
  const plan = tpl.plan(input);
  for (const key of plan.assets.images) if (!engine.hasImage(key)) engine.addImage(key, readFileSync(join(base, key)));
  return tpl.render(input);
}

const fixtureRoot = join(root, "tests/fixtures");

// Rust f32 fields (boxes, Lab values, shares) reach JS as their shortest f32
// spelling from wasm, but the native harness widens them to f64 first
// (12.8 vs 12.800000190734863): compare at f32 precision.
const f32json = (v) => JSON.stringify(v, (_, x) => (typeof x === "number" ? Number(x.toPrecision(7)) : x));
const nativeOut = join(root, "target/fixture-out");

test("every fixture renders to the same bytes as the native build", () => {
  const files = fixtures(fixtureRoot);
  assert.ok(files.length >= 40, `expected at least 40 fixtures, found ${files.length}`);
  const mismatches = [];
  for (const file of files) {
    const rel = relative(fixtureRoot, file).replace(/\.json$/, "");
    const native = join(nativeOut, rel + ".png");
    assert.ok(existsSync(native), `${native} is missing: run the native reference test first`);
    const out = renderFixture(file);
    const expected = readFileSync(native);
    const nativeDecision = JSON.parse(readFileSync(join(nativeOut, rel + ".decision.json"), "utf8"));
    if (out.decision.key !== nativeDecision.key) mismatches.push(`${rel}: key ${out.decision.key} != native ${nativeDecision.key}`);
    if (Buffer.compare(Buffer.from(out.bytes), expected) !== 0) mismatches.push(`${rel}: ${out.bytes.length} bytes differ from native ${expected.length}`);
    // Guardrail report and score: the same measurements in wasm as natively.
    for (const part of ["report", "score"]) {
      if (f32json(out.decision[part]) !== f32json(nativeDecision[part])) mismatches.push(`${rel}: ${part} differs from native`);
    }
  }
  assert.deepEqual(mismatches, []);
});

test("themeColors equal the native ones; render returns report and score", () => {
  const file = join(nativeOut, "themes.json");
  assert.ok(existsSync(file), `${file} is missing: run \`cargo test --test intel\` first`);
  const native = JSON.parse(readFileSync(file, "utf8"));
  const engine = new Engine();
  const keys = Object.keys(native);
  assert.ok(keys.length >= 15);
  for (const key of keys) {
    engine.addImage(key, readFileSync(join(root, key)));
    assert.equal(f32json(engine.themeColors(key)), f32json(native[key]), key);
  }
  assert.throws(() => engine.themeColors("missing.png"), /image `missing.png`: not loaded/);
  const tpl = engine.compile({
    name: "rails", sizes: [{ size: "120x60" }],
    guardrails: { contrast: { min: 4.5 } },
    root: { type: "div", props: { id: "root", style: { backgroundColor: "#eeeeee", padding: 8 },
      children: [{ type: "div", props: { id: "t", style: { color: "#ffffff", fontSize: 14 }, children: ["Pale"] } }] } },
  });
  const plan = tpl.plan({});
  assert.equal(plan.report.complete, false);
  const out = tpl.render({});
  assert.equal(out.report.complete, true);
  const f = out.report.findings.find((x) => x.rule === "contrast");
  assert.equal(f.element, "t");
  assert.ok(f.measured < 1.3, String(f.measured));
  assert.equal(out.score.components.length, 7);
  assert.deepEqual(out.score, out.decision.score);
});

test("API shape: name, sizes, plan and render", () => {
  const tpl = new Engine().compile({
    name: "api", sizes: [{ size: "120x60" }, { size: "60x60" }],
    sample: { data: {}, context: { weather: "rain" } },
    rules: [{ id: "wet", when: { "==": [{ var: "context.weather" }, "rain"] }, set: { "root.backgroundColor": "#0000ff" } }],
    root: { type: "div", props: { id: "root", style: { backgroundColor: "#ff0000" } } },
  });
  assert.equal(tpl.name, "api");
  assert.deepEqual(tpl.sizes, ["120x60", "60x60"]);
  const plan = tpl.plan({ size: "60x60" });
  assert.equal(plan.size, "60x60");
  assert.deepEqual(plan.fired, ["wet"]);
  assert.equal(plan.rules[0].read["context.weather"], "rain");
  assert.match(plan.key, /^[0-9a-f]{32}$/);
  const sunny = tpl.plan({ size: "60x60", context: { weather: "clear" } });
  assert.notEqual(sunny.key, plan.key);
  const out = tpl.render({ size: "120x60", format: "png" });
  assert.equal(out.width, 120);
  assert.equal(out.height, 60);
  assert.equal(out.mime, "image/png");
  assert.deepEqual([...out.bytes.slice(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
  const jpeg = tpl.render({ format: "jpeg", quality: 70 });
  assert.equal(jpeg.bytes[0], 0xff);
  const webp = tpl.render({ format: "webp" });
  assert.equal(Buffer.from(webp.bytes.slice(8, 12)).toString(), "WEBP");
});

test("errors are thrown as Error with the JSON path", () => {
  const engine = new Engine();
  assert.throws(
    () => engine.compile({ name: "x", sizes: [{ size: "300x250" }], root: { type: "div", props: { style: { width: "wide" } } } }),
    (e) => e instanceof Error && e.message === 'root.props.style.width: expected a length, got "wide"',
  );
  assert.throws(() => engine.compile("{not json"), (e) => e instanceof Error && /line 1/.test(e.message));
  const tpl = engine.compile({ name: "x", sizes: [{ size: "300x250" }], root: { type: "div", props: {} } });
  assert.throws(() => tpl.render({ size: "1x1" }), /size 1x1 is not served by this template; it has 300x250/);
  assert.throws(() => tpl.render({ bogus: 1 }), /input.*bogus/);
  assert.throws(() => engine.addImage("x.png", new Uint8Array([1, 2, 3])), /image `x.png`/);
  assert.throws(() => engine.addFont(new Uint8Array(10)), /font/);
});

test("fallback creative renders with the reason recorded", () => {
  const tpl = new Engine().compile({
    name: "fb", sizes: [{ size: "50x50" }],
    rules: [{ id: "r", when: true, set: { "root.backgroundColor": "#000" } }],
    root: { type: "div", props: { id: "root", style: { backgroundColor: "#fff" } } },
  });
  const out = tpl.renderFallback({ size: "50x50" }, "weather source down");
  assert.equal(out.decision.fallback, "weather source down");
  assert.deepEqual(out.decision.fired, []);
});

test("the schema and version are exported", () => {
  const schema = JSON.parse(templateSchema());
  assert.equal(schema.title, "adloom template");
  assert.ok(schema.$defs.Style.properties.fitText);
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

test("TypeScript types are shipped and fresh", () => {
  const dts = readFileSync(join(root, "pkg/adloom.d.ts"), "utf8");
  for (const name of ["interface TemplateDoc", "interface Decision", "interface RenderInput", "interface RenderResult"]) {
    assert.ok(dts.includes(name), `pkg/adloom.d.ts lacks ${name}`);
  }
  assert.match(dts, /render\(input: RenderInput\): RenderResult/);
});
