// satori (element tree → SVG with text as paths) + @resvg/resvg-wasm
// (SVG → PNG): the @vercel/og stack.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fonts, image } from "../scenes/scenes.mjs";

const require = createRequire(import.meta.url);
export const name = "satori";
export const label = "satori + resvg-wasm";

export async function load() {
  const [satori, resvg] = await Promise.all([import("satori"), import("@resvg/resvg-wasm")]);
  return { satori: satori.default, resvg };
}

export async function init(mod) {
  await mod.resvg.initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
}

export async function setup(mod, scene) {
  const fontList = fonts.map((f) => ({ name: f.name, weight: f.weight, style: f.style, data: readFileSync(f.file) }));
  const mime = image.file.endsWith(".png") ? "image/png" : "image/jpeg";
  const dataUrl = `data:${mime};base64,${readFileSync(image.file).toString("base64")}`;
  const element = scene.element(dataUrl);
  const { Resvg } = mod.resvg;
  return {
    render: async () => {
      const svg = await mod.satori(element, { width: scene.width, height: scene.height, fonts: fontList });
      const resvg = new Resvg(svg, { fitTo: { mode: "original" }, font: { loadSystemFonts: false } });
      const rendered = resvg.render();
      const png = rendered.asPng();
      rendered.free();
      resvg.free();
      return png;
    },
  };
}
