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

export async function setup(mod, scene) {
  const engine = new mod.Engine();
  const template = engine.compile(readFileSync(scene.templateFile, "utf8"));
  engine.addImage(image.key, readFileSync(image.file));
  const base = { data: input.data, context: input.context, size: scene.size };
  return {
    render: () => template.render({ ...base, format: "png" }).bytes,
    // Used by the profile run and the checks: the full output and the plan alone.
    renderFull: (format = "png", quality) => template.render({ ...base, format, ...(quality ? { quality } : {}) }),
    plan: () => template.plan(base),
  };
}
