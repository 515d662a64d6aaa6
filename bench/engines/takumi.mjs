// takumi: `@takumi-rs/wasm` (the edge/browser build) and `@takumi-rs/core`
// (the native napi build, the reference for "native" speed). Same node tree,
// same fonts, image bytes handed over as an image source keyed by `src`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fonts, image, toTakumi } from "../scenes/scenes.mjs";

const require = createRequire(import.meta.url);

function variant(kind) {
  return {
    name: kind === "wasm" ? "takumi-wasm" : "takumi-native",
    label: kind === "wasm" ? "takumi (wasm)" : "takumi (native napi)",
    async load() {
      return import(kind === "wasm" ? "@takumi-rs/wasm" : "@takumi-rs/core");
    },
    init(mod) {
      if (kind === "wasm") {
        const wasmFile = require.resolve("@takumi-rs/wasm/takumi_wasm_bg.wasm");
        mod.initSync({ module: readFileSync(wasmFile) });
      }
    },
    async setup(mod, scene) {
      const renderer = new mod.Renderer();
      for (const f of fonts) await renderer.registerFont({ name: f.name, weight: f.weight, style: f.style, data: readFileSync(f.file) });
      const images = [{ src: image.key, data: readFileSync(image.file) }];
      const node = toTakumi(scene.element(image.key));
      const options = { width: scene.width, height: scene.height, format: "png", images };
      return { render: () => renderer.render(node, options) };
    },
  };
}

export const wasm = variant("wasm");
export const native = variant("native");
