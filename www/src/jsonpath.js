// JSON paths ↔ positions in the editor's text.
//
// The engine names a problem by a path such as
//   root.props.children[2].props.style.width: expected a length, got "wide"
// (serde_path_to_error's notation: keys joined by ".", indices as "[n]").
// Keys may themselves contain dots (rule `set` keys such as "headline.text"),
// so the path is resolved against the document's real tree: at each object
// the longest run of segments that names an existing key wins.

import { parseTree, findNodeAtLocation, printParseErrorCode, parse } from "jsonc-parser";

/** Split `a.b[2].c` into raw tokens: strings for keys, numbers for indices. */
export function tokenize(path) {
  const tokens = [];
  let i = 0, cur = "", hasCur = false;
  const flush = () => {
    if (hasCur) tokens.push(cur);
    cur = "";
    hasCur = false;
  };
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      flush();
      i++;
    } else if (c === "[") {
      const end = path.indexOf("]", i);
      const inner = end < 0 ? "" : path.slice(i + 1, end);
      if (end > 0 && /^\d+$/.test(inner)) {
        flush();
        tokens.push(Number(inner));
        i = end + 1;
      } else {
        cur += c;
        hasCur = true;
        i++;
      }
    } else {
      cur += c;
      hasCur = true;
      i++;
    }
  }
  flush();
  return tokens;
}

/** Split an engine message into its JSON path and reason (path may be ""). */
export function splitMessage(message) {
  // Paths have no spaces; the reason follows the first ": ".
  const m = /^([^\s:`]+): (.*)$/s.exec(message);
  if (!m) return { path: "", reason: message };
  // "image `x`: reason" and "font: reason" are not paths into the template.
  if (m[1] === "image" || m[1] === "font" || m[1] === "encode" || m[1] === "input" || m[1].startsWith("input.")) return { path: "", reason: message };
  return { path: m[1], reason: m[2] };
}

/**
 * Resolve a path string against the document tree.
 * Returns { node, segments, exact }: the deepest node found (the root when
 * nothing matched), the JSON segments leading to it, and whether the whole
 * path resolved.
 */
export function resolvePath(tree, path) {
  const tokens = tokenize(path);
  let node = tree;
  const segments = [];
  let i = 0;
  while (node && i < tokens.length) {
    const t = tokens[i];
    if (typeof t === "number") {
      if (node.type !== "array" || !node.children || t >= node.children.length) break;
      node = node.children[t];
      segments.push(t);
      i++;
      continue;
    }
    if (node.type !== "object" || !node.children) break;
    // Longest run of string tokens that is a key of this object.
    let found = null, used = 0;
    for (let j = tokens.length; j > i; j--) {
      const run = tokens.slice(i, j);
      if (run.some((x) => typeof x === "number")) continue;
      const key = run.join(".");
      const prop = node.children.find((p) => p.children?.[0]?.value === key);
      if (prop) {
        found = prop;
        used = j - i;
        break;
      }
    }
    if (!found) break;
    node = found.children[1] ?? found;
    segments.push(tokens.slice(i, i + used).join("."));
    i += used;
  }
  return { node, segments, exact: i >= tokens.length };
}

/** The node for JSON-pointer-like segments (from Ajv's instancePath). */
export function nodeAt(tree, segments) {
  return findNodeAtLocation(tree, segments);
}

/** Ajv's instancePath ("/root/props/children/2") → segments. */
export function pointerSegments(pointer) {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Segments → the engine's dotted notation (for showing Ajv errors alike). */
export function dotted(segments) {
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/** The range to underline for a node: a property's key and value, else the value. */
export function nodeRange(node) {
  if (!node) return { from: 0, to: 0 };
  const prop = node.parent?.type === "property" ? node.parent : null;
  // For containers underline just the first line's worth (the key), not the whole block.
  if (node.type === "object" || node.type === "array") {
    const start = prop ? prop.offset : node.offset;
    const keyEnd = prop ? prop.children[0].offset + prop.children[0].length : node.offset + 1;
    return { from: start, to: Math.max(keyEnd, start + 1) };
  }
  const from = prop ? prop.offset : node.offset;
  return { from, to: node.offset + node.length };
}

/** Parse strictly (no comments, no trailing commas); errors with their offsets. */
export function parseStrict(text) {
  const errors = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const value = errors.length ? undefined : parse(text);
  return {
    tree,
    value,
    errors: errors.map((e) => ({ offset: e.offset, length: Math.max(1, e.length), message: describeParseError(printParseErrorCode(e.error)) })),
  };
}

function describeParseError(code) {
  const words = {
    InvalidSymbol: "invalid symbol",
    InvalidNumberFormat: "invalid number",
    PropertyNameExpected: "property name expected (in double quotes)",
    ValueExpected: "value expected",
    ColonExpected: "':' expected",
    CommaExpected: "',' expected",
    CloseBraceExpected: "'}' expected",
    CloseBracketExpected: "']' expected",
    EndOfFileExpected: "end of document expected",
    InvalidCommentToken: "comments are not allowed in JSON",
    UnexpectedEndOfComment: "unterminated comment",
    UnexpectedEndOfString: "unterminated string",
    UnexpectedEndOfNumber: "unterminated number",
    InvalidUnicode: "invalid unicode escape",
    InvalidEscapeCharacter: "invalid escape character",
    InvalidCharacter: "invalid character in string",
  };
  return `JSON syntax: ${words[code] ?? code}`;
}

/** The JSON path of the node at `offset` (for the editor's status line). */
export function pathAtOffset(tree, offset) {
  if (!tree) return "";
  const segs = [];
  let node = tree;
  outer: while (node) {
    if (node.type === "object" || node.type === "array") {
      const kids = node.children ?? [];
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        if (offset >= k.offset && offset <= k.offset + k.length) {
          if (node.type === "object") {
            segs.push(k.children?.[0]?.value);
            node = k.children?.[1];
            if (!node || offset < node.offset) break outer;
          } else {
            segs.push(i);
            node = k;
          }
          continue outer;
        }
      }
    }
    break;
  }
  return dotted(segs);
}
