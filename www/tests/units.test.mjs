// Unit tests of the page's pure modules (no browser): JSON paths ↔ positions,
// share-link encoding, context derivations.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tokenize, splitMessage, resolvePath, parseStrict, nodeRange, pathAtOffset, pointerSegments, dotted } from "../src/jsonpath.js";
import { encodeState, decodeState } from "../src/share.js";
import { daypartOf, weekdayOf, makeContext, BUILTIN_PRESETS } from "../src/context.js";
import { normalizeReport, normalizeScore } from "../src/views.js";
import { repo } from "./helpers.mjs";

test("engine paths tokenize like serde_path_to_error prints them", () => {
  assert.deepEqual(tokenize("root.props.children[2].props.style.width"), ["root", "props", "children", 2, "props", "style", "width"]);
  assert.deepEqual(tokenize("sizes[0].overrides.headline.fontSize"), ["sizes", 0, "overrides", "headline", "fontSize"]);
  assert.deepEqual(tokenize(""), []);
  assert.deepEqual(splitMessage("root.props.style.width: expected a length, got \"wide\""), { path: "root.props.style.width", reason: "expected a length, got \"wide\"" });
  assert.deepEqual(splitMessage("missing field `name`"), { path: "", reason: "missing field `name`" });
  assert.equal(splitMessage("image `img/x.png`: HTTP 404").path, "");
});

test("paths resolve against the document, including keys that contain dots", () => {
  const text = `{
  "rules": [
    { "id": "a", "set": { "headline.text": 5 } }
  ],
  "root": { "props": { "style": { "width": "wide" } } }
}`;
  const { tree, errors } = parseStrict(text);
  assert.deepEqual(errors, []);
  const r = resolvePath(tree, "rules[0].set.headline.text");
  assert.equal(r.exact, true);
  assert.deepEqual(r.segments, ["rules", 0, "set", "headline.text"]);
  const { from, to } = nodeRange(r.node);
  assert.equal(text.slice(from, to), '"headline.text": 5');
  const w = resolvePath(tree, "root.props.style.width");
  assert.equal(text.slice(nodeRange(w.node).from, nodeRange(w.node).to), '"width": "wide"');
  // A path past the end stops at the deepest existing node.
  const deep = resolvePath(tree, "root.props.style.height");
  assert.equal(deep.exact, false);
  assert.deepEqual(deep.segments, ["root", "props", "style"]);
  assert.equal(pathAtOffset(tree, text.indexOf("wide")), "root.props.style.width");
  assert.deepEqual(pointerSegments("/rules/0/set/a~1b"), ["rules", 0, "set", "a/b"]);
  assert.equal(dotted(["sizes", 1, "overrides"]), "sizes[1].overrides");
});

test("strict parsing reports syntax errors with offsets", () => {
  const { errors } = parseStrict('{\n  "a": 1\n  "b": 2\n}');
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /',' expected/);
  assert.equal(errors[0].offset, '{\n  "a": 1\n  '.length);
  assert.match(parseStrict('{ "a": 1, }').errors[0].message, /JSON syntax/);
  assert.match(parseStrict('{ /* c */ "a": 1 }').errors[0].message, /comments/);
});

test("share links round-trip the state and reject damaged ones", () => {
  const template = readFileSync(join(repo, "examples", "retail-weather", "template.json"), "utf8");
  const state = { example: "retail-weather", template, data: { row: 2 }, context: BUILTIN_PRESETS[0].context, view: "grid" };
  const hash = encodeState(state);
  assert.match(hash, /^s=[A-Za-z0-9_-]+$/);
  assert.ok(hash.length < template.length / 3, `compressed: ${hash.length} chars for ${template.length}`);
  assert.deepEqual(decodeState(`#${hash}`), { v: 1, ...state });
  assert.equal(decodeState("#other"), null);
  assert.throws(() => decodeState("#s=AAAA"), /share link: the state in the link is damaged/);
});

test("context derivations follow the examples' conventions", () => {
  assert.deepEqual([5, 11, 12, 17, 18, 21, 22, 4].map(daypartOf), ["morning", "morning", "afternoon", "afternoon", "evening", "evening", "night", "night"]);
  assert.equal(weekdayOf("2026-11-23"), "monday");
  assert.equal(weekdayOf("2027-01-12"), "tuesday");
  assert.equal(weekdayOf("nonsense"), undefined);
  // The example contexts agree with the derivations.
  for (const ex of ["retail-weather", "travel-geo", "app-install"]) {
    for (const line of readFileSync(join(repo, "examples", ex, "contexts.jsonl"), "utf8").split("\n").filter(Boolean)) {
      const c = JSON.parse(line);
      assert.equal(weekdayOf(c.date), c.weekday, `${ex}: ${c.label} weekday`);
      assert.equal(daypartOf(c.hour), c.daypart, `${ex}: ${c.label} daypart`);
    }
  }
  const dubai = makeContext({ city: "Dubai", weather: "clear", temp: 30, hour: 20, date: "2026-10-15", locale: "ar-AE", device: "mobile" });
  assert.equal(dubai.country, "AE");
  assert.equal(dubai.timezone, "Asia/Dubai");
  assert.equal(dubai.lang, "ar");
  assert.equal(dubai.daypart, "evening");
  assert.deepEqual(Object.keys(dubai).slice(0, 5), ["weather", "temp", "hour", "daypart", "date"]);
});

test("guardrail reports and scores are read in their likely shapes", () => {
  assert.equal(normalizeReport(undefined), null);
  const r = normalizeReport({ findings: [
    { severity: "warning", rule: "palette", element: "cta", box: [1, 2, 3, 4], measured: 12.5, threshold: 10, message: "off-palette" },
    { severity: "error", rule: "contrast", element: "headline", box: { x: 10, y: 20, width: 100, height: 30 }, measured: 3.1, threshold: 4.5, message: "low contrast" },
  ] });
  assert.equal(r.findings[0].severity, "error", "errors first");
  assert.deepEqual(r.findings[0].box, { x: 10, y: 20, w: 100, h: 30 });
  assert.deepEqual(r.findings[1].box, { x: 1, y: 2, w: 3, h: 4 });
  assert.equal(r.passed, false);
  assert.deepEqual(normalizeScore(0.8), { value: 0.8, components: [] });
  const s = normalizeScore({ value: 0.72, components: [{ name: "contrast", weight: 0.3, value: 0.9, reason: "AA everywhere" }] });
  assert.equal(s.components[0].reason, "AA everywhere");
});
