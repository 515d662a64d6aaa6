// One engine per bundled template, created on first use in the isolate.
// Each template gets its own engine because image keys are template-relative
// (`img/logo.png` differs between brands) and the engine keys images globally.
import { Engine } from "../pkg/adloom.js";
import { ImageError, fetchRemote, isRemote, remoteRefusal } from "./images.js";

const NEGATIVE_TTL_MS = 30 * 1000;

export class TemplateHost {
  /**
   * @param {string} name
   * @param {{text: string, feed: Record<string, object>, images: Record<string, ArrayBuffer>, fonts: ArrayBuffer[]}} entry
   * @param {object} config
   */
  constructor(name, entry, config) {
    this.name = name;
    this.entry = entry;
    this.config = config;
    this.engine = null;
    this.tpl = null;
    this.error = null;
    this.remoteLoaded = 0;
    this.remoteFailures = new Map();
    this.inflight = new Map();
    this.outcomesSupported = undefined;
    // Static facts read from the JSON text, valid even when it does not compile.
    this.needsWeather = /context\.(weather|temp)\b/.test(entry.text);
    this.declaredSizes = declaredSizes(entry.text);
    this.fallbackImageKeys = Object.keys(entry.images).filter((k) => entry.text.includes(JSON.stringify(k)));
  }

  /** Compile on first use; afterwards `tpl` or `error` is set. */
  ensure() {
    if (this.tpl || this.error) return;
    const engine = new Engine();
    try {
      for (const font of this.entry.fonts) engine.addFont(new Uint8Array(font));
      this.tpl = engine.compile(this.entry.text);
      this.engine = engine;
      this.remoteLoaded = 0;
    } catch (e) {
      engine.free();
      this.error = e;
    }
  }

  /** The sizes served: the compiled template's, else those its JSON lists. */
  get sizes() {
    return this.tpl ? this.tpl.sizes : this.declaredSizes;
  }

  /** Drop the engine (and every decoded image) to bound memory; recompiled on next use. */
  reset() {
    this.tpl?.free();
    this.engine?.free();
    this.tpl = null;
    this.engine = null;
    this.error = null;
  }

  /** Make sure every image key is loaded; throws ImageError. */
  async loadImages(keys) {
    const remote = keys.filter((k) => isRemote(k) && !this.engine.hasImage(k));
    if (this.remoteLoaded + remote.length > this.config.maxRemoteImages) {
      // Decoded remote images accumulate per URL: start a fresh engine
      // rather than let an isolate grow without bound.
      this.reset();
      this.ensure();
      if (this.error) throw this.error;
    }
    for (const key of keys) {
      if (this.engine.hasImage(key)) continue;
      if (!isRemote(key)) {
        const buf = this.entry.images[key];
        if (!buf) throw new ImageError("image-missing", key, "not bundled with this template");
        this.#add(key, new Uint8Array(buf));
        continue;
      }
      const failed = this.remoteFailures.get(key);
      if (failed && failed.expires > Date.now()) throw failed.error;
      let pending = this.inflight.get(key);
      if (!pending) {
        pending = this.#loadRemote(key).finally(() => this.inflight.delete(key));
        this.inflight.set(key, pending);
      }
      await pending;
    }
  }

  async #loadRemote(key) {
    try {
      const refusal = remoteRefusal(key, this.config.imageHosts);
      if (refusal) throw new ImageError("image-not-allowed", key, refusal);
      const bytes = await fetchRemote(key, this.config.imageLimits);
      if (!this.engine.hasImage(key)) {
        this.#add(key, bytes);
        this.remoteLoaded++;
      }
    } catch (e) {
      if (this.remoteFailures.size > 1000) this.remoteFailures.clear();
      this.remoteFailures.set(key, { error: e, expires: Date.now() + NEGATIVE_TTL_MS });
      throw e;
    }
  }

  #add(key, bytes) {
    try {
      this.engine.addImage(key, bytes);
    } catch (e) {
      const msg = String(e?.message || e);
      throw new ImageError(/exceeds/.test(msg) ? "image-too-large" : "image-corrupt", key, msg);
    }
  }

  /** Load the bundled images the fallback creative may show. */
  loadFallbackImages() {
    for (const key of this.fallbackImageKeys) {
      if (!this.engine.hasImage(key)) {
        try {
          this.#add(key, new Uint8Array(this.entry.images[key]));
        } catch {
          // The fallback render reports it if it needs this image.
        }
      }
    }
  }
}

function declaredSizes(text) {
  try {
    const doc = JSON.parse(text);
    return Array.isArray(doc?.sizes) ? doc.sizes.map((s) => s?.size).filter((s) => typeof s === "string") : [];
  } catch {
    return [];
  }
}
