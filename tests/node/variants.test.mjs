// Variants in the wasm build: plan in wasm must choose the same variant,
// bucket and allocation (posterior means, intervals, Thompson shares) as
// the native build, which pins them in tests/variants/plans-expected.json
// (tests/variants.rs checks the native side against the same file).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { initSync, Engine } from "../../pkg/adloom.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
initSync({ module: readFileSync(join(root, "pkg/adloom_bg.wasm")) });

const read = (p) => JSON.parse(readFileSync(join(root, p), "utf8"));

test("wasm plans choose the same variants and allocations as native", () => {
  const tpl = new Engine().compile(readFileSync(join(root, "examples/retail-weather/template.json"), "utf8"));
  const { cases } = read("tests/variants/plans-input.json");
  const expected = read("tests/variants/plans-expected.json");
  assert.equal(cases.length, expected.length);
  assert.ok(cases.length >= 10);
  for (const [i, c] of cases.entries()) {
    const plan = tpl.plan(c.input);
    assert.deepEqual(
      { name: c.name, key: plan.key, variant: plan.variant },
      expected[i],
      `case ${c.name}`,
    );
  }
  // The pinned cases are not all alike: several arms, the holdout and
  // Thompson sampling all occur.
  const ids = new Set(expected.map((e) => e.variant.id));
  assert.ok(ids.size >= 3, `only ${[...ids]} chosen`);
  assert.ok(expected.some((e) => e.variant.basis === "segment"));
});

test("bucketing over many ids matches the native golden list", () => {
  const golden = read("tests/variants/buckets.json");
  const tpl = new Engine().compile(readFileSync(join(root, "examples/retail-weather/template.json"), "utf8"));
  for (const g of golden) {
    if (g.id === "") continue; // an empty viewerId means "no viewer id"
    const plan = tpl.plan({
      context: { viewerId: g.id, weather: "clear", daypart: "afternoon", hour: 14, temp: 18, city: "Leeds" },
    });
    assert.equal(plan.variant.bucket, g.arm, `arm bucket of ${g.id}`);
    assert.equal(plan.variant.holdoutBucket, g.holdout, `holdout bucket of ${g.id}`);
  }
});

test("bad outcomes and variants name the JSON path", () => {
  const engine = new Engine();
  const tpl = engine.compile(readFileSync(join(root, "examples/retail-weather/template.json"), "utf8"));
  assert.throws(
    () => tpl.plan({ outcomes: { arms: { "headline=weather,cta=shop": { impressions: -3 } } } }),
    (e) => e instanceof Error && /^input\.outcomes\.arms\.headline=weather,cta=shop\.impressions: /.test(e.message),
  );
  assert.throws(() => tpl.plan({ variant: "headline=nope" }), /^Error: variant: unknown variant|^variant: unknown variant/);
  assert.throws(
    () =>
      engine.compile({
        name: "v", sizes: [{ size: "10x10" }],
        variants: { dimensions: [{ id: "h", alternatives: [{ id: "a", set: { "nope.text": "x" } }] }] },
        root: { type: "div", props: { id: "root" } },
      }),
    (e) => e.message === 'variants.dimensions[0].alternatives[0].set["nope.text"]: no node has id `nope`',
  );
});
