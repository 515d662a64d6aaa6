// adloom's wasm package (pkg/ at the repository root, --target web output),
// loaded in Node with initSync. The engine embeds the same Inter files the
// peers are given (assets/fonts), so its font step is `new Engine()`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot, input, image } from "../scenes/scenes.mjs";

export const name = "adloom";
export const label = "adloom (wasm)";
export const pkgDir = process.env.ADLOOM_PKG ?? join(repoRoot, "pkg");

export async function load() {
  return import(pathToFileURL(join(pkgDir, "adloom.js")).href);
}

export function init(mod) {
  mod.initSync({ module: readFileSync(join(pkgDir, "adloom_bg.wasm")) });
}

/**
 * Template variants for the deletion profile: each drops one kind of work so
 * the difference in render time attributes it (the wasm API has no per-stage
 * timing). Nodes are walked iteratively.
 */
export const variants = {
  "no image": (node) => {
    if (node.type === "img") {
      node.type = "div";
      delete node.props.src;
      delete node.props.width;
      delete node.props.height;
      node.props.style = { ...node.props.style, backgroundColor: "#f2f2f0" };
      delete node.props.style.objectFit;
    }
  },
  "no gradient": (node) => {
    const st = node.props?.style;
    if (st?.backgroundImage) {
      delete st.backgroundImage;
      st.backgroundColor = "#155f86";
    }
  },
  "no text": (node) => {
    if (Array.isArray(node.props?.children)) node.props.children = node.props.children.map((c) => (typeof c === "string" ? "" : c));
  },
};

function mutate(text, fn) {
  const doc = JSON.parse(text);
  const stack = [doc.root];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== "object") continue;
    fn(n);
    for (const c of n.props?.children ?? []) if (typeof c === "object") stack.push(c);
  }
  // A rule that sets text on a node the variant emptied would bring it back.
  if (fn === variants["no text"]) doc.rules = [];
  return JSON.stringify(doc);
}

export async function setup(mod, scene, variant) {
  const engine = new mod.Engine();
  let text = readFileSync(scene.templateFile, "utf8");
  if (variant) {
    if (!variants[variant]) throw new Error(`unknown adloom variant "${variant}"`);
    text = mutate(text, variants[variant]);
  }
  const template = engine.compile(text);
  engine.addImage(image.key, readFileSync(image.file));
  // `analysis: false` as the edge worker renders: the guardrail checks and the
  // aesthetic score (work the peers do not do) are skipped on the hot path;
  // the profile run times them separately ("png + analysis").
  const base = { data: input.data, context: input.context, size: scene.size, analysis: false };
  return {
    render: () => template.render({ ...base, format: "png" }).bytes,
    // Used by the profile run and the checks: the full output and the plan alone.
    renderFull: (format = "png", quality, analysis = false) =>
      template.render({ ...base, format, analysis, ...(quality ? { quality } : {}) }),
    plan: () => template.plan(base),
  };
}
