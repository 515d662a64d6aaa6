// `npm --prefix www start`: installs the page's npm packages, builds the wasm
// package and the page when they are missing or stale, then serves dist/ on 127.0.0.1:8080 (PORT and HOST override).
import { ensureBuild, ensureDeps, ensurePkg, dist } from "./ensure.mjs";
import { serve } from "./serve.mjs";

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? "127.0.0.1";
ensureDeps();
ensurePkg();
ensureBuild();
const server = await serve({ root: dist, host, port });
console.log(`adloom preview: http://${host}:${server.address().port}/`);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
