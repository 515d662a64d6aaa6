// Writes pkg/package.json for the npm package `adloom` (wasm-pack runs with
// --no-pack so that the exports map and types are ours), and copies the schemas.
import { readFileSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";

const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
const field = (k) => (cargo.match(new RegExp(`^${k} = "([^"]*)"`, "m")) || [])[1];
const pkg = new URL("../pkg/", import.meta.url);
mkdirSync(new URL("schema/", pkg), { recursive: true });
for (const f of ["template.schema.json", "decision.schema.json", "render-input.schema.json"]) {
  copyFileSync(new URL(`../schema/${f}`, import.meta.url), new URL(`schema/${f}`, pkg));
}
const json = {
  name: "adloom",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  type: "module",
  main: "adloom.js",
  module: "adloom.js",
  types: "adloom.d.ts",
  files: ["adloom.js", "adloom.d.ts", "adloom_bg.wasm", "adloom_bg.wasm.d.ts", "schema/"],
  exports: {
    ".": { types: "./adloom.d.ts", default: "./adloom.js" },
    "./adloom_bg.wasm": "./adloom_bg.wasm",
    "./schema/*": "./schema/*",
  },
  sideEffects: ["./snippets/*"],
  keywords: ["ads", "banner", "creative", "wasm", "rendering"],
};
writeFileSync(new URL("package.json", pkg), JSON.stringify(json, null, 2) + "\n");
