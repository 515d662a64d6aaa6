// Build steps shared by `npm start` and the tests: make sure the wasm package
// in ../pkg is fresh (else run scripts/build-wasm.sh) and that dist/ is built
// from the current sources (else run the Vite build).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const www = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repo = join(www, "..");
export const dist = join(www, "dist");

/** Newest modification time (ms) of files under the given paths. */
function newest(paths, skip = () => false) {
  let t = 0;
  const stack = paths.filter((p) => existsSync(p));
  while (stack.length) {
    const p = stack.pop();
    if (skip(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) stack.push(join(p, e));
    else t = Math.max(t, st.mtimeMs);
  }
  return t;
}

function mtime(p) {
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

/** `npm ci` in www/ when node_modules is missing or older than the lock file. */
export function ensureDeps({ log = console.error } = {}) {
  const stamp = join(www, "node_modules", ".package-lock.json");
  if (mtime(stamp) >= mtime(join(www, "package-lock.json"))) return false;
  log("installing the page's npm packages (npm ci)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: www, stdio: "inherit" });
  return true;
}

/** Rebuild ../pkg when it is missing or older than the Rust sources. */
export function ensurePkg({ log = console.error } = {}) {
  const wasm = join(repo, "pkg", "adloom_bg.wasm");
  const sources = newest(["src", "Cargo.toml", "Cargo.lock", "build.rs", "assets", "schema"].map((p) => join(repo, p)));
  if (mtime(wasm) >= sources && existsSync(join(repo, "pkg", "adloom.js"))) return false;
  log(existsSync(wasm) ? "pkg/ is older than the Rust sources: rebuilding it" : "pkg/ is missing: building it");
  execFileSync(join(repo, "scripts", "build-wasm.sh"), { cwd: repo, stdio: "inherit" });
  return true;
}

/** Rebuild dist/ when it is missing or older than its inputs. */
export function ensureBuild({ log = console.error, force = false } = {}) {
  const built = mtime(join(dist, "index.html"));
  const inputs = Math.max(
    newest([join(www, "src"), join(www, "index.html"), join(www, "vite.config.js"), join(www, "package-lock.json"), join(www, "scripts", "prepare-assets.mjs")]),
    newest([join(repo, "examples")]),
    newest([join(repo, "pkg")]),
    mtime(join(repo, "schema", "template.schema.json")),
  );
  if (!force && built >= inputs) return false;
  log("building the page (vite build)");
  execFileSync(process.execPath, [join(www, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], {
    cwd: www,
    stdio: "inherit",
    env: { ...process.env, ADLOOM_PREPARE: "1" },
  });
  return true;
}
