import { defineConfig } from "vite";
import { prepareAssets } from "./scripts/prepare-assets.mjs";

// Relative base: dist/ works from any path on any static host.
export default defineConfig({
  base: "./",
  publicDir: "public",
  plugins: [
    {
      name: "adloom-example-assets",
      // Copy examples/ into public/ before every build and dev start.
      config() {
        prepareAssets({ quiet: true });
      },
    },
  ],
  worker: { format: "es" },
  server: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 8080),
    strictPort: true,
    fs: { allow: [".."] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 4096,
    assetsInlineLimit: 0,
  },
});
