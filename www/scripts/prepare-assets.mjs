// Copies what the page loads at run time into public/ (git-ignored), which
// Vite serves in development and copies into dist/ on build:
//   public/examples/index.json          the example list (id, name, description, sizes)
//   public/examples/<id>/template.json  each example's template, feed, contexts and images
// The template schema and the wasm package are imported by the sources and
// bundled by Vite, so they need no copy here.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const www = join(dirname(fileURLToPath(import.meta.url)), "..");
const examples = join(www, "..", "examples");
const out = join(www, "public", "examples");

// The order of the picker: the retail example first (it is the default page).
const ORDER = ["retail-weather", "travel-geo", "app-install"];

export function prepareAssets({ quiet = false } = {}) {
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const ids = readdirSync(examples)
  .filter((d) => existsSync(join(examples, d, "template.json")))
  .sort((a, b) => {
    const ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });

const index = [];
for (const id of ids) {
  const src = join(examples, id);
  const dst = join(out, id);
  mkdirSync(dst, { recursive: true });
  for (const f of ["template.json", "feed.jsonl", "contexts.jsonl"]) {
    if (existsSync(join(src, f))) cpSync(join(src, f), join(dst, f));
  }
  if (existsSync(join(src, "img")) && statSync(join(src, "img")).isDirectory()) {
    cpSync(join(src, "img"), join(dst, "img"), { recursive: true });
  }
  const t = JSON.parse(readFileSync(join(src, "template.json"), "utf8"));
  index.push({
    id,
    name: t.name,
    description: t.description ?? "",
    sizes: (t.sizes ?? []).map((s) => s.size),
    hasFeed: existsSync(join(src, "feed.jsonl")),
    hasContexts: existsSync(join(src, "contexts.jsonl")),
  });
}
writeFileSync(join(out, "index.json"), JSON.stringify(index, null, 2) + "\n");
if (!quiet) console.error(`prepare-assets: ${index.length} examples → public/examples/`);
return index;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) prepareAssets();
