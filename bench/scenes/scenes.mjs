// The three benchmark scenes, each defined once per engine family:
//
// - adloom: `<name>.template.json` + `data.json` (bindings, a rule and a
//   currency formatter are evaluated on every render, as in production);
// - satori: the React-element-shaped tree below (plain objects, no JSX), with
//   the text adloom's rule and bindings resolve to;
// - takumi: the same tree converted node for node by `toTakumi` (div →
//   container, string → text, img → image), so both peers draw the very same
//   boxes, colours and strings.
//
// Every container sets `display: flex` (satori requires it for more than one
// child) and `boxSizing: border-box` (satori defaults to content-box, adloom
// and takumi size boxes border-box), and every text box an explicit
// `lineHeight`, since the engines' `normal` line heights differ.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const sceneDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(sceneDir, "..", "..");
const { data, context } = JSON.parse(readFileSync(join(sceneDir, "data.json"), "utf8"));

/** Data and context every adloom render gets. */
export const input = { data, context };
/** The product image: its key in the templates (`src`) and its file. */
export const image = { key: data.product.image, file: join(repoRoot, "examples/retail-weather", data.product.image) };
/** Fonts for every engine: the repository's Inter (the files adloom embeds). */
export const fonts = [
  { name: "Inter", weight: 400, style: "normal", file: join(repoRoot, "assets/fonts/Inter-Regular.ttf") },
  { name: "Inter", weight: 700, style: "normal", file: join(repoRoot, "assets/fonts/Inter-Bold.ttf") },
];

// What the template's rule and bindings resolve to for data.json (checked
// against adloom's own decision by the runner).
const text = {
  brand: data.brand,
  headline: context.weather === "rain" ? "Rain today? Stay dry in style" : data.product.title,
  price: "€49.99",
  blurb: data.product.blurb,
  cta: "Shop now",
};

const div = (style, ...children) => ({ type: "div", props: { style: { display: "flex", boxSizing: "border-box", ...style }, children } });
const img = (src, width, height, style) => ({ type: "img", props: { src, width, height, style: { width, height, ...style } } });
const font = { fontFamily: "Inter" };
const gradient = (angle) => `linear-gradient(${angle}, #0f4c81 0%, #1b998b 100%)`;
const cta = (fontSize, padding) =>
  div({ alignSelf: "flex-start", backgroundColor: "#ffd166", color: "#1d1d1d", borderRadius: 999, padding, fontSize, fontWeight: 700, lineHeight: 1.2 }, text.cta);

function mediumRectangle(src) {
  return div(
    { flexDirection: "column", width: 300, height: 250, padding: 16, gap: 8, backgroundImage: gradient("135deg"), color: "#ffffff", ...font },
    div({ fontSize: 12, fontWeight: 700, color: "#ffd166", lineHeight: 1.2 }, text.brand),
    div(
      { flexDirection: "row", gap: 12, height: 180 },
      div(
        { flexDirection: "column", width: 140, height: 180, justifyContent: "space-between" },
        div({ fontSize: 19, fontWeight: 700, lineHeight: 1.2 }, text.headline),
        div({ fontSize: 24, fontWeight: 700, lineHeight: 1.2 }, text.price),
        cta(14, "8px 16px"),
      ),
      img(src, 116, 180, { objectFit: "cover", borderRadius: 12 }),
    ),
  );
}

function leaderboard(src) {
  const button = cta(16, "10px 20px");
  delete button.props.style.alignSelf;
  return div(
    { flexDirection: "row", alignItems: "center", justifyContent: "space-between", width: 728, height: 90, padding: "0px 16px", gap: 16,
      backgroundImage: gradient("90deg"), color: "#ffffff", ...font },
    div({ width: 72, fontSize: 13, fontWeight: 700, color: "#ffd166", lineHeight: 1.2 }, text.brand),
    img(src, 96, 70, { objectFit: "cover", borderRadius: 10 }),
    div({ width: 220, fontSize: 20, fontWeight: 700, lineHeight: 1.2 }, text.headline),
    div({ fontSize: 24, fontWeight: 700, lineHeight: 1.2 }, text.price),
    button,
  );
}

function ogCard(src) {
  const button = cta(26, "16px 36px");
  delete button.props.style.alignSelf;
  return div(
    { flexDirection: "column", width: 1200, height: 628, padding: 64, gap: 24, backgroundImage: gradient("135deg"), color: "#ffffff", ...font },
    div({ fontSize: 24, fontWeight: 700, color: "#ffd166", lineHeight: 1.2 }, text.brand),
    div(
      { flexDirection: "row", gap: 48, height: 440 },
      div(
        { flexDirection: "column", width: 624, height: 440, gap: 24 },
        div({ fontSize: 56, fontWeight: 700, lineHeight: 1.15 }, text.headline),
        div({ fontSize: 24, lineHeight: 1.4, color: "#e6f0f7" }, text.blurb),
        div(
          { flexDirection: "row", alignItems: "center", gap: 32, marginTop: 8 },
          div({ fontSize: 44, fontWeight: 700, lineHeight: 1.2 }, text.price),
          button,
        ),
      ),
      img(src, 400, 440, { objectFit: "cover", borderRadius: 24 }),
    ),
  );
}

/** The scenes in report order. `element(src)` builds the satori tree for an image source. */
export const scenes = [
  { name: "medium-rectangle", label: "300x250 medium rectangle", width: 300, height: 250, size: "300x250", element: mediumRectangle },
  { name: "leaderboard", label: "728x90 leaderboard", width: 728, height: 90, size: "728x90", element: leaderboard },
  { name: "og-card", label: "1200x628 Open Graph card", width: 1200, height: 628, size: "1200x628", element: ogCard },
];

export function scene(name) {
  const s = scenes.find((x) => x.name === name);
  if (!s) throw new Error(`unknown scene "${name}" (known: ${scenes.map((x) => x.name).join(", ")})`);
  return { ...s, templateFile: join(sceneDir, `${s.name}.template.json`) };
}

/** The texts the adloom templates must resolve to (the runner compares them with adloom's decision). */
export const expectedText = text;

/**
 * Converts a satori element tree to a takumi node tree: `div` → container,
 * a string child → text node, `img` → image. Styles carry over unchanged
 * (both take camelCase CSS); attributes width/height of images too.
 */
export function toTakumi(el) {
  if (typeof el === "string") return { type: "text", text: el };
  const { type, props } = el;
  if (type === "img") return { type: "image", src: props.src, width: props.width, height: props.height, style: { ...props.style } };
  const kids = props.children === undefined ? [] : [].concat(props.children);
  return { type: "container", style: { ...props.style }, children: kids.map(toTakumi) };
}
