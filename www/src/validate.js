// Template validation in the main thread: strict JSON syntax, then the JSON
// Schema (generated from the engine's Rust types) with Ajv. The engine's own
// compile error (from the worker) is added by the caller; all three become
// editor diagnostics at their line, each message starting with its JSON path.

import Ajv2020 from "ajv/dist/2020.js";
import schema from "../../schema/template.schema.json";
import { dotted, nodeAt, nodeRange, parseStrict, pointerSegments, resolvePath, splitMessage } from "./jsonpath.js";

let validator = null;
function schemaValidator() {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    validator = ajv.compile(schema);
  }
  return validator;
}

/**
 * Ajv reports every failed branch of an anyOf/oneOf; keep what helps a
 * person: per path, the specific messages (dropping the "must match a schema
 * in anyOf" summary when a specific one exists), and only the deepest paths.
 */
function condense(errors) {
  const byPath = new Map();
  for (const e of errors) {
    let segs = pointerSegments(e.instancePath);
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      segs = [...segs, e.params.additionalProperty];
      message = `unknown field \`${e.params.additionalProperty}\``;
    } else if (e.keyword === "enum") {
      message = `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    } else if (e.keyword === "required") {
      message = `missing field \`${e.params.missingProperty}\``;
    }
    const key = JSON.stringify(segs);
    if (!byPath.has(key)) byPath.set(key, { segs, messages: [], keywords: [] });
    const entry = byPath.get(key);
    if (!entry.messages.includes(message)) {
      entry.messages.push(message);
      entry.keywords.push(e.keyword);
    }
  }
  const entries = [...byPath.values()];
  // Drop a path when a deeper error exists below it (the deeper one is the cause).
  const deepest = entries.filter(
    (a) => !entries.some((b) => b !== a && b.segs.length > a.segs.length && a.segs.every((s, i) => b.segs[i] === s)),
  );
  return deepest.map((e) => {
    let msgs = e.messages.filter((m) => !/^must match (a|exactly one) schema/.test(m));
    if (!msgs.length) msgs = e.messages;
    // "must be number", "must be string" → "must be number or string"
    const types = msgs.filter((m) => /^must be \w+$/.test(m)).map((m) => m.slice(8));
    if (types.length > 1) msgs = [`must be ${types.join(" or ")}`, ...msgs.filter((m) => !/^must be \w+$/.test(m))];
    return { segments: e.segs, message: msgs.slice(0, 3).join("; ") };
  });
}

/** Line (1-based) of an offset in text. */
export function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Validate template text. Returns { value, tree, problems } where each problem
 * is { from, to, line, path, message, severity, source }.
 * `value` is undefined when the JSON does not parse.
 */
export function validateTemplate(text) {
  const { tree, value, errors } = parseStrict(text);
  const problems = [];
  for (const e of errors) {
    problems.push({
      from: e.offset,
      to: Math.min(text.length, e.offset + e.length),
      line: lineOf(text, e.offset),
      path: "",
      message: e.message,
      severity: "error",
      source: "json",
    });
  }
  if (value === undefined) return { value, tree, problems };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push({ from: 0, to: Math.min(text.length, 1), line: 1, path: "", message: "a template is a JSON object", severity: "error", source: "json" });
    return { value: undefined, tree, problems };
  }
  const validate = schemaValidator();
  if (!validate(value)) {
    for (const { segments, message } of condense(validate.errors ?? []).slice(0, 30)) {
      let node = nodeAt(tree, segments);
      // For an unknown field, underline the key itself.
      if (node?.parent?.type === "property") node = node.parent.children[1] ?? node;
      const { from, to } = nodeRange(node ?? tree);
      const path = dotted(segments);
      problems.push({ from, to, line: lineOf(text, from), path, message: `${path || "template"}: ${message}`, severity: "warning", source: "schema" });
    }
  }
  return { value, tree, problems };
}

/** The engine's compile error → a problem at the line its JSON path names. */
export function engineProblem(text, tree, message) {
  const { path } = splitMessage(message);
  let from = 0, to = Math.min(text.length, 1), exact = false;
  if (path && tree) {
    const r = resolvePath(tree, path);
    exact = r.exact;
    ({ from, to } = nodeRange(r.node));
  }
  return { from, to, line: lineOf(text, from), path, message, severity: "error", source: "engine", exact };
}
