// Prepares everything the worker imports, idempotently (files are rewritten
// only when their content changes, so `wrangler dev` does not loop):
//
//   worker/pkg/    the wasm package, copied from the repo's pkg/ (built by
//                  scripts/build-wasm.sh when missing or older than the sources)
//   worker/build/  bundle.js (templates, sku-indexed feeds) and the images and
//                  fonts as `.bin` Data modules it imports
//
// Usage: node scripts/build.mjs [--fixtures]
//   --fixtures   also bundle the test templates in test/fixtures/
// Env: ADLOOM_TEMPLATES  comma-separated template folders (default: every
//                        examples/* folder holding a template.json)
//      ADLOOM_SKIP_WASM_BUILD=1  never run scripts/build-wasm.sh (use pkg/ as is)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const workerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = path.resolve(workerDir, "..");
const withFixtures = process.argv.includes("--fixtures");
const log = (msg) => process.stderr.write(`worker build: ${msg}\n`);

/** Newest modification time (ms) of a file or of every file under a folder. */
function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of fs.readdirSync(p)) t = Math.max(t, newest(path.join(p, name)));
  return t;
}

/** Write only when different; returns true when written. */
function writeIfChanged(file, content) {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
  if (fs.existsSync(file) && fs.readFileSync(file).equals(buf)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buf);
  return true;
}

// 1. Templates, feeds, images and fonts.
function templateDirs() {
  const dirs = [];
  if (process.env.ADLOOM_TEMPLATES) {
    for (const d of process.env.ADLOOM_TEMPLATES.split(",").filter(Boolean)) dirs.push(path.resolve(repoDir, d));
  } else {
    const ex = path.join(repoDir, "examples");
    for (const name of fs.readdirSync(ex).sort()) {
      if (fs.existsSync(path.join(ex, name, "template.json"))) dirs.push(path.join(ex, name));
    }
  }
  if (withFixtures) {
    const fx = path.join(workerDir, "test", "fixtures");
    for (const name of fs.readdirSync(fx).sort()) {
      if (fs.existsSync(path.join(fx, name, "template.json"))) dirs.push(path.join(fx, name));
    }
  }
  return dirs;
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif)$/i;
const FONT_EXT = /\.(ttf|otf|ttc)$/i;
const buildDir = path.join(workerDir, "build");
const imports = [];
const entries = [];
const keep = new Set([path.join(buildDir, "bundle.js")]);
let n = 0;

function binModule(file, rel) {
  const target = path.join(buildDir, "assets", `${rel}.bin`);
  writeIfChanged(target, fs.readFileSync(file));
  keep.add(target);
  const id = `b${n++}`;
  imports.push(`import ${id} from ${JSON.stringify("./" + path.relative(buildDir, target).split(path.sep).join("/"))};`);
  return id;
}

for (const dir of templateDirs()) {
  const name = path.basename(dir);
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) throw new Error(`${dir}: folder name must be a lowercase slug`);
  const text = fs.readFileSync(path.join(dir, "template.json"), "utf8");
  // Feed: one JSON object per line, indexed by product.sku (else sku / id).
  const feed = {};
  const feedFile = path.join(dir, "feed.jsonl");
  if (fs.existsSync(feedFile)) {
    fs.readFileSync(feedFile, "utf8").split("\n").forEach((line, i) => {
      if (!line.trim()) return;
      let row;
      try {
        row = JSON.parse(line);
      } catch (e) {
        throw new Error(`${feedFile}:${i + 1}: ${e.message}`);
      }
      const sku = row?.product?.sku ?? row?.sku ?? row?.id;
      if (typeof sku !== "string" || !sku) throw new Error(`${feedFile}:${i + 1}: row has no product.sku`);
      if (feed[sku]) throw new Error(`${feedFile}:${i + 1}: duplicate sku ${sku}`);
      feed[sku] = row;
    });
  }
  const images = [];
  const imgDir = path.join(dir, "img");
  if (fs.existsSync(imgDir)) {
    for (const file of fs.readdirSync(imgDir).sort()) {
      if (IMAGE_EXT.test(file) || file.endsWith(".bin")) {
        const key = `img/${file}`;
        images.push(`${JSON.stringify(key)}: ${binModule(path.join(imgDir, file), `${name}/${key}`)}`);
      }
    }
  }
  const fonts = [];
  const fontDir = path.join(dir, "fonts");
  if (fs.existsSync(fontDir)) {
    for (const file of fs.readdirSync(fontDir).sort()) {
      if (FONT_EXT.test(file)) fonts.push(binModule(path.join(fontDir, file), `${name}/fonts/${file}`));
    }
  }
  entries.push(
    `  ${JSON.stringify(name)}: {\n` +
      `    text: ${JSON.stringify(text)},\n` +
      `    feed: ${JSON.stringify(feed)},\n` +
      `    images: { ${images.join(", ")} },\n` +
      `    fonts: [${fonts.join(", ")}],\n` +
      `  }`,
  );
}

const bundle =
  "// Generated by scripts/build.mjs: do not edit.\n" +
  imports.join("\n") +
  "\n\n/** Bundled templates: JSON text, feed rows by sku, images by key (ArrayBuffer), fonts. */\n" +
  `export const TEMPLATES = {\n${entries.join(",\n")}\n};\n`;
const changed = writeIfChanged(path.join(buildDir, "bundle.js"), bundle);

// Drop assets of templates no longer bundled.
function prune(p) {
  if (!fs.existsSync(p)) return;
  for (const name of fs.readdirSync(p)) {
    const f = path.join(p, name);
    if (fs.statSync(f).isDirectory()) prune(f);
    else if (!keep.has(f)) fs.rmSync(f);
  }
}
prune(path.join(buildDir, "assets"));
log(`${entries.length} templates bundled${changed ? "" : " (unchanged)"}${withFixtures ? " with test fixtures" : ""}`);

// 2. The wasm package.
const rootWasm = path.join(repoDir, "pkg", "adloom_bg.wasm");
const sources = ["src", "Cargo.toml", "Cargo.lock", "build.rs", "assets/fonts", "schema"].map((p) =>
  newest(path.join(repoDir, p)),
);
const stale = !fs.existsSync(rootWasm) || fs.statSync(rootWasm).mtimeMs < Math.max(...sources);
if (stale && process.env.ADLOOM_SKIP_WASM_BUILD !== "1") {
  log(fs.existsSync(rootWasm) ? "pkg/ is older than the sources: rebuilding" : "building the wasm package");
  execFileSync(path.join(repoDir, "scripts", "build-wasm.sh"), { stdio: ["ignore", "inherit", "inherit"] });
} else if (stale && !fs.existsSync(rootWasm)) {
  throw new Error(`${rootWasm} is missing and ADLOOM_SKIP_WASM_BUILD=1`);
}
for (const file of ["adloom.js", "adloom_bg.wasm", "adloom.d.ts"]) {
  const from = path.join(repoDir, "pkg", file);
  if (fs.existsSync(from)) writeIfChanged(path.join(workerDir, "pkg", file), fs.readFileSync(from));
}
