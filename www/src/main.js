// adloom preview: the page's main thread. It owns the inputs (template editor,
// context, data) and the views; all rendering happens in the worker.

import { zipSync } from "fflate";
import { createEditor } from "./editor.js";
import { validateTemplate, engineProblem } from "./validate.js";
import { pathAtOffset } from "./jsonpath.js";
import {
  BUILTIN_PRESETS, CITIES, COUNTRY_NAMES, DAYPARTS, DEVICES, LOCALES, OSES, SEGMENTS, WEATHER,
  cityInfo, daypartOf, ordered, summary, weekdayOf, slug,
} from "./context.js";
import { encodeState, decodeState } from "./share.js";
import { h, createCard, setCardImage, fillDecision, setCardError, clearCardError, parseSize, fmtMs, SIZE_NAMES } from "./views.js";

const $ = (id) => document.getElementById(id);
const DEBOUNCE_MS = 150;
const EXT = { png: "png", jpeg: "jpg", webp: "webp" };

// ---------------------------------------------------------------------------
// State

const S = {
  version: "",
  examples: [],
  exampleId: null,
  original: "", // the example's template as shipped
  feed: [],
  exampleContexts: [],
  templateText: "",
  parsed: undefined, // last parsed template object (valid JSON)
  tree: undefined,
  schemaProblems: [],
  engineError: null,
  dataMode: "sample", // "sample" | "row" | "custom"
  dataRow: 0,
  dataCustom: null, // object when custom
  context: {},
  presetId: null,
  daypartAuto: true,
  format: "png",
  quality: 85,
  view: "grid",
  matrixSel: [],
  selected: null,
  sizes: [],
  results: new Map(), // size → last good grid result
  renderErrors: new Map(), // message → sizes, from the current grid render
  approvals: {}, // matrix row (preset id) → the decision keys it was approved for
  templateName: "",
};

let seq = 0;
const pending = new Map(); // reqId → resolve, for example loads and exports
const exports = new Map(); // channel → { results, resolve, reject }

// ---------------------------------------------------------------------------
// Worker

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let readyResolve;
const ready = new Promise((r) => (readyResolve = r));

worker.onmessage = (ev) => {
  const m = ev.data;
  switch (m.type) {
    case "ready":
      S.version = m.version;
      S.examples = m.examples;
      readyResolve();
      return;
    case "example":
      pending.get(m.reqId)?.(m);
      pending.delete(m.reqId);
      return;
    case "compiled":
    case "compile-error":
    case "result":
    case "done":
    case "cancelled":
      if (m.channel === "grid") onGridMessage(m);
      else if (m.channel === "matrix") onMatrixMessage(m);
      else onExportMessage(m);
      return;
    case "fatal":
      console.error(`render worker: ${m.message}`);
      setStatus(`Engine error: ${m.message}`, "bad");
      return;
  }
};
worker.onerror = (e) => {
  console.error(`render worker failed: ${e.message}`);
  setStatus(`The render worker failed to start: ${e.message}`, "bad");
};

function requestExample(id) {
  const reqId = ++seq;
  return new Promise((resolve) => {
    pending.set(reqId, resolve);
    worker.postMessage({ type: "example", id, reqId });
  });
}

// ---------------------------------------------------------------------------
// Status, toast, banner

function setStatus(text, tone = "") {
  const el = $("status");
  el.textContent = text;
  el.dataset.tone = tone;
}

let toastTimer = 0;
function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 2600);
}

function setRenderState(state) {
  document.body.dataset.renderState = state;
}

// ---------------------------------------------------------------------------
// Editor and validation

const editor = createEditor($("editor"), {
  onChange(text) {
    S.templateText = text;
    revalidate();
    schedule();
  },
  onCursor(offset) {
    $("cursor-path").textContent = pathAtOffset(S.tree, offset);
  },
  onRun: () => renderNow(),
});

function revalidate() {
  const { value, tree, problems } = validateTemplate(S.templateText);
  S.tree = tree;
  S.schemaProblems = problems;
  if (value !== undefined) S.parsed = value;
  S.syntaxOk = value !== undefined;
  showProblems();
  return value;
}

function allProblems() {
  const list = [...S.schemaProblems];
  if (S.engineError && S.syntaxOk) list.unshift(engineProblem(S.templateText, S.tree, S.engineError));
  // Errors found while rendering (a binding to a missing value, an image that
  // cannot load): once per message, with the sizes they hit.
  if (S.syntaxOk && !S.engineError) {
    for (const [message, sizes] of S.renderErrors) {
      const p = engineProblem(S.templateText, S.tree, message);
      list.unshift({ ...p, source: "render", message: `${message} (${sizes.join(", ")})` });
    }
  }
  return list;
}

function showProblems() {
  const problems = allProblems();
  editor.setDiagnostics(problems);
  const box = $("problems");
  box.replaceChildren();
  if (!problems.length) {
    box.append(h("div", { class: "ok" }, "✓ Valid template", S.templateName ? ` · ${S.templateName}` : "", S.sizes.length ? ` · ${S.sizes.length} sizes` : ""));
    return;
  }
  for (const p of problems.slice(0, 12)) {
    box.append(
      h("button", { class: `problem sev-${p.severity}`, "data-source": p.source, title: "Show in the editor", onclick: () => editor.reveal(p.from, p.to) },
        h("span", { class: "where" }, `line ${p.line}`),
        h("span", { class: "src" }, p.source),
        h("span", { class: "msg" }, p.message)),
    );
  }
  if (problems.length > 12) box.append(h("div", { class: "muted small" }, `… and ${problems.length - 12} more`));
}

// ---------------------------------------------------------------------------
// Context presets and form

function presetList() {
  const list = [];
  const sample = S.parsed?.sample?.context;
  if (sample && typeof sample === "object") list.push({ id: "sample", group: "Template", label: "Template sample context", context: ordered(sample) });
  for (const p of BUILTIN_PRESETS) list.push({ id: `builtin:${p.id}`, group: "Common situations", label: p.label, context: p.context });
  S.exampleContexts.forEach((c, i) => {
    const { label, ...ctx } = c;
    list.push({ id: `example:${i}`, group: `${S.exampleId} contexts`, label: label ?? `context ${i + 1}`, context: ordered(ctx) });
  });
  return list;
}

function fillPresetSelect(select) {
  const list = presetList();
  select.replaceChildren();
  select.append(h("option", { value: "", disabled: true }, "Custom context"));
  const groups = new Map();
  for (const p of list) {
    if (!groups.has(p.group)) groups.set(p.group, h("optgroup", { label: p.group }));
    groups.get(p.group).append(h("option", { value: p.id }, p.label));
  }
  for (const g of groups.values()) select.append(g);
  select.value = S.presetId ?? "";
}

function applyPreset(id) {
  const p = presetList().find((x) => x.id === id);
  if (!p) return;
  S.presetId = id;
  S.context = structuredClone(p.context);
  S.daypartAuto = S.context.daypart === undefined || S.context.daypart === daypartOf(S.context.hour);
  syncContextForm();
  schedule(0);
}

function option(value, label = value) {
  return h("option", { value }, label);
}

function buildContextForm() {
  for (const id of ["ctx-weather", "strip-weather"]) {
    const box = $(id);
    box.replaceChildren(
      ...WEATHER.map((w) =>
        h("button", { type: "button", role: "radio", "aria-checked": "false", "data-weather": w, class: `wx wx-${w}`, onclick: () => setContextKey("weather", w) },
          h("span", { class: "wx-icon", "aria-hidden": "true" }), h("span", { class: "wx-label" }, w)),
      ),
    );
    // Arrow keys move within the radio group.
    box.addEventListener("keydown", (e) => {
      if (!["ArrowLeft", "ArrowRight"].includes(e.key)) return;
      const i = WEATHER.indexOf(S.context.weather);
      const next = WEATHER[(i + (e.key === "ArrowRight" ? 1 : WEATHER.length - 1)) % WEATHER.length];
      setContextKey("weather", next);
      box.querySelector(`[data-weather="${next}"]`).focus();
      e.preventDefault();
    });
  }
  $("ctx-daypart").replaceChildren(option("", "auto (from the hour)"), ...DAYPARTS.map((d) => option(d)));
  const countries = [...new Set(CITIES.map((c) => c.country))].sort((a, b) => (COUNTRY_NAMES[a] ?? a).localeCompare(COUNTRY_NAMES[b] ?? b));
  $("ctx-country").replaceChildren(...countries.map((c) => option(c, `${COUNTRY_NAMES[c] ?? c} (${c})`)));
  $("ctx-locale").replaceChildren(...LOCALES.map((l) => option(l)));
  $("ctx-device").replaceChildren(...DEVICES.map((d) => option(d)));
  $("ctx-os").replaceChildren(...OSES.map((o) => option(o)));
  $("segments").replaceChildren(...SEGMENTS.map((s) => option(s)));

  $("ctx-temp").addEventListener("input", (e) => e.target.value !== "" && setContextKey("temp", Number(e.target.value)));
  $("ctx-hour").addEventListener("input", (e) => {
    const v = Number(e.target.value);
    if (e.target.value !== "" && Number.isInteger(v) && v >= 0 && v <= 23) setContextKey("hour", v);
  });
  $("ctx-date").addEventListener("change", (e) => e.target.value && setContextKey("date", e.target.value));
  $("ctx-daypart").addEventListener("change", (e) => {
    S.daypartAuto = e.target.value === "";
    setContextKey("daypart", S.daypartAuto ? daypartOf(S.context.hour) : e.target.value);
  });
  $("ctx-country").addEventListener("change", (e) => {
    const first = CITIES.find((c) => c.country === e.target.value);
    if (first) setCity(first.city);
  });
  $("ctx-city").addEventListener("change", (e) => setCity(e.target.value));
  $("ctx-locale").addEventListener("change", (e) => {
    S.context.lang = e.target.value.split("-")[0];
    setContextKey("locale", e.target.value);
  });
  $("ctx-device").addEventListener("change", (e) => setContextKey("device", e.target.value));
  $("ctx-os").addEventListener("change", (e) => setContextKey("os", e.target.value));
  $("ctx-segment").addEventListener("input", (e) => setContextKey("segment", e.target.value));
  $("ctx-viewer").addEventListener("input", (e) => setContextKey("viewerId", e.target.value));
  $("ctx-viewer-new").addEventListener("click", () => {
    const id = `v-${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}`;
    setContextKey("viewerId", id);
  });
  $("ctx-json").addEventListener("input", (e) => {
    const err = $("ctx-json-error");
    try {
      const v = JSON.parse(e.target.value);
      if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("the context is a JSON object");
      err.textContent = "";
      S.context = v;
      S.presetId = null;
      syncContextForm({ skipJson: true });
      schedule();
    } catch (x) {
      err.textContent = `context: ${x.message}`;
    }
  });
  for (const id of ["ctx-preset", "strip-preset"]) $(id).addEventListener("change", (e) => applyPreset(e.target.value));
}

function setCity(name) {
  const c = cityInfo(name);
  if (!c) return;
  Object.assign(S.context, { country: c.country, region: c.region, city: c.city, lat: c.lat, lon: c.lon, timezone: c.timezone });
  setContextKey("city", c.city);
}

function setContextKey(key, value) {
  S.context[key] = value;
  if (key === "hour" && S.daypartAuto) S.context.daypart = daypartOf(value);
  if (key === "date") S.context.weekday = weekdayOf(value);
  S.context = ordered(S.context);
  S.presetId = null;
  syncContextForm();
  schedule();
}

function syncContextForm({ skipJson = false } = {}) {
  const c = S.context;
  for (const id of ["ctx-weather", "strip-weather"]) {
    $(id).querySelectorAll("button").forEach((b) => {
      const on = b.dataset.weather === c.weather;
      b.setAttribute("aria-checked", String(on));
      b.tabIndex = on || (!WEATHER.includes(c.weather) && b.dataset.weather === "clear") ? 0 : -1;
    });
  }
  const set = (id, v) => {
    const el = $(id);
    if (document.activeElement !== el) el.value = v ?? "";
  };
  set("ctx-temp", c.temp);
  set("ctx-hour", c.hour);
  set("ctx-date", c.date);
  $("ctx-daypart").value = S.daypartAuto ? "" : c.daypart ?? "";
  $("ctx-weekday").value = c.weekday ?? "";
  const country = c.country ?? cityInfo(c.city)?.country;
  if (country && ![...$("ctx-country").options].some((o) => o.value === country)) $("ctx-country").append(option(country));
  $("ctx-country").value = country ?? "";
  const cities = CITIES.filter((x) => x.country === country);
  const citySel = $("ctx-city");
  citySel.replaceChildren(...cities.map((x) => option(x.city)));
  if (c.city && !cities.some((x) => x.city === c.city)) citySel.append(option(c.city));
  citySel.value = c.city ?? "";
  if (c.locale && ![...$("ctx-locale").options].some((o) => o.value === c.locale)) $("ctx-locale").append(option(c.locale));
  $("ctx-locale").value = c.locale ?? "";
  $("ctx-timezone").value = c.timezone ?? "";
  if (c.device && ![...$("ctx-device").options].some((o) => o.value === c.device)) $("ctx-device").append(option(c.device));
  $("ctx-device").value = c.device ?? "";
  if (c.os && ![...$("ctx-os").options].some((o) => o.value === c.os)) $("ctx-os").append(option(c.os));
  $("ctx-os").value = c.os ?? "";
  set("ctx-segment", c.segment);
  set("ctx-viewer", c.viewerId);
  if (!skipJson && document.activeElement !== $("ctx-json")) {
    $("ctx-json").value = JSON.stringify(c, null, 2);
    $("ctx-json-error").textContent = "";
  }
  for (const id of ["ctx-preset", "strip-preset"]) $(id).value = S.presetId ?? "";
  $("context-summary").textContent = summary(c);
}

// ---------------------------------------------------------------------------
// Data panel

function currentData() {
  if (S.dataMode === "row") return S.feed[S.dataRow];
  if (S.dataMode === "custom") return S.dataCustom;
  return undefined; // the template's sample
}

function dataLabel(row, i) {
  const p = row?.product ?? row;
  const id = p?.sku ?? p?.id ?? `row ${i + 1}`;
  const title = p?.title ?? p?.name ?? "";
  return title ? `${id} — ${title}` : String(id);
}

function fillDataPanel() {
  const sel = $("data-row");
  sel.replaceChildren(
    option("sample", "Template sample data"),
    ...(S.feed.length ? [h("optgroup", { label: `Feed (${S.feed.length} rows)` }, S.feed.map((r, i) => option(`row:${i}`, dataLabel(r, i))))] : []),
    option("custom", "Custom JSON (edited below)"),
  );
  syncDataPanel();
}

function syncDataPanel() {
  const sel = $("data-row");
  sel.value = S.dataMode === "row" ? `row:${S.dataRow}` : S.dataMode;
  const shown = S.dataMode === "sample" ? S.parsed?.sample?.data ?? {} : currentData() ?? {};
  if (document.activeElement !== $("data-json")) $("data-json").value = JSON.stringify(shown, null, 2);
  $("data-error").textContent = "";
  $("data-hint").textContent =
    S.dataMode === "sample" ? "The template's own sample data. Pick a feed row, or edit the JSON to try your own." :
    S.dataMode === "row" ? `Row ${S.dataRow + 1} of the example's feed.jsonl.` : "Your own data: edits render as you type.";
}

function buildDataPanel() {
  $("data-row").addEventListener("change", (e) => {
    const v = e.target.value;
    if (v === "sample") S.dataMode = "sample";
    else if (v.startsWith("row:")) {
      S.dataMode = "row";
      S.dataRow = Number(v.slice(4));
    } else {
      S.dataMode = "custom";
      S.dataCustom = S.dataCustom ?? structuredClone(S.parsed?.sample?.data ?? {});
    }
    syncDataPanel();
    schedule(0);
  });
  $("data-json").addEventListener("input", (e) => {
    const err = $("data-error");
    let v;
    try {
      v = JSON.parse(e.target.value);
    } catch (x) {
      err.textContent = `data: ${x.message}`;
      return;
    }
    if (!v || typeof v !== "object" || Array.isArray(v)) {
      err.textContent = "data: must be a JSON object ({ \"product\": … })";
      return;
    }
    err.textContent = "";
    S.dataMode = "custom";
    S.dataCustom = v;
    $("data-row").value = "custom";
    schedule();
  });
}

// ---------------------------------------------------------------------------
// Rendering: debounced requests, sequence numbers, cards updated in place

let timer = 0;
const chan = { grid: 0, matrix: 0 };
let gridStart = 0;
const swaps = []; // image swaps in flight for the current grid render

function schedule(delay = DEBOUNCE_MS) {
  setRenderState("pending");
  clearTimeout(timer);
  timer = setTimeout(renderNow, delay);
}

function renderNow() {
  clearTimeout(timer);
  if (!S.syntaxOk) {
    S.engineError = null;
    markStale("The template is not valid JSON: showing the last good render.");
    setRenderState("error");
    return;
  }
  const base = {
    type: "render",
    template: S.templateText,
    base: S.exampleId,
    format: "png",
  };
  if (S.view === "grid") {
    gridStart = performance.now();
    stats.requests++;
    worker.postMessage({ ...base, channel: "grid", seq: ++chan.grid, jobs: [{ id: "main", data: currentData(), context: S.context }] });
    document.body.classList.add("busy");
  } else {
    const sel = presetList().filter((p) => S.matrixSel.includes(p.id));
    worker.postMessage({ ...base, channel: "matrix", seq: ++chan.matrix, jobs: sel.map((p) => ({ id: p.id, data: currentData(), context: p.context })) });
    document.body.classList.add("busy");
  }
  setRenderState("rendering");
}

function markStale(message) {
  const b = $("banner");
  b.hidden = false;
  b.textContent = message;
  $("grid").classList.add("stale");
  $("matrix").classList.add("stale");
}

function clearStale() {
  $("banner").hidden = true;
  $("grid").classList.remove("stale");
  $("matrix").classList.remove("stale");
}

const cardActions = {
  download: (size) => downloadOne(size),
  select: (size) => selectSize(size),
};

function selectSize(size) {
  S.selected = size;
  document.querySelectorAll(".card").forEach((c) => c.classList.toggle("selected", c.dataset.size === size));
  $("download-one").title = `Download ${size} (Ctrl+S)`;
}

function syncCards(sizes) {
  const grid = $("grid");
  const existing = new Map([...grid.children].map((c) => [c.dataset.size, c]));
  const cards = sizes.map((size) => existing.get(size) ?? createCard(size, cardActions));
  for (const [size, card] of existing) if (!sizes.includes(size)) card.remove();
  // Re-append in order only when the order changed (appending moves nodes).
  if (cards.some((c, i) => grid.children[i] !== c)) grid.replaceChildren(...cards);
  for (const size of [...S.results.keys()]) if (!sizes.includes(size)) S.results.delete(size);
  S.sizes = sizes;
  if (!sizes.includes(S.selected)) selectSize(sizes[0]);
  else selectSize(S.selected);
}

function cardFor(size) {
  return $("grid").querySelector(`.card[data-size="${CSS.escape(size)}"]`);
}

const stats = { requests: 0, results: 0, cancelled: 0 };

function onGridMessage(m) {
  if (m.type === "result") stats.results++;
  if (m.type === "cancelled") stats.cancelled++;
  if (m.seq !== chan.grid) return; // stale
  if (m.type === "compile-error") {
    S.engineError = m.message;
    showProblems();
    markStale(`Template error — ${m.message}. Showing the last good render.`);
    document.body.classList.remove("busy");
    setRenderState("error");
    setStatus("Template error", "bad");
    return;
  }
  if (m.type === "compiled") {
    S.engineError = null;
    S.renderErrors = new Map();
    S.templateName = m.name;
    $("template-name").textContent = `${m.name} · ${m.sizes.length} sizes`;
    syncCards(m.sizes);
    showProblems();
    clearStale();
    return;
  }
  if (m.type === "result") {
    const card = cardFor(m.size);
    if (!card) return;
    if (!m.ok) {
      setCardError(card, m.message);
      card.querySelector(".ms").textContent = "failed";
      if (!S.renderErrors.has(m.message)) S.renderErrors.set(m.message, []);
      S.renderErrors.get(m.message).push(m.size);
      showProblems();
      return;
    }
    clearCardError(card);
    S.results.set(m.size, m);
    swaps.push(setCardImage(card, URL.createObjectURL(new Blob([m.bytes], { type: m.mime }))));
    card.dataset.key = m.decision?.key ?? "";
    card.querySelector(".ms").textContent = m.cached ? "cached" : fmtMs(m.ms);
    card.querySelector(".ms").title = m.cached ? `Same decision key as an earlier render (${fmtMs(m.renderMs)} then)` : "Plan + images + render + encode, in the worker";
    fillDecision(card, m, { onCopyKey: copyText });
    return;
  }
  if (m.type === "done") {
    document.body.classList.remove("busy");
    const total = performance.now() - gridStart;
    const parts = [`${S.sizes.length} sizes in ${fmtMs(total)}`];
    if (m.cached) parts.push(`${m.cached} from cache`);
    if (m.errors) parts.push(`${m.errors} failed`);
    setStatus(parts.join(" · "), m.errors ? "bad" : "");
    // "idle" once every new image is decoded and on screen.
    const done = swaps.splice(0);
    Promise.all(done).then(() => {
      if (m.seq === chan.grid && document.body.dataset.renderState === "rendering") setRenderState(m.errors ? "error" : "idle");
    });
  }
}

// ---------------------------------------------------------------------------
// Matrix view

function defaultMatrixSelection() {
  const ids = presetList().map((p) => p.id);
  const ex = ids.filter((id) => id.startsWith("example:")).slice(0, 4);
  return ex.length ? ex : ids.filter((id) => id.startsWith("builtin:")).slice(0, 4);
}

function buildMatrixPicker() {
  const box = $("matrix-contexts");
  box.replaceChildren();
  const list = presetList();
  S.matrixSel = S.matrixSel.filter((id) => list.some((p) => p.id === id));
  if (!S.matrixSel.length) S.matrixSel = defaultMatrixSelection();
  for (const p of list) {
    const cb = h("input", { type: "checkbox", value: p.id, checked: S.matrixSel.includes(p.id) });
    cb.addEventListener("change", () => {
      S.matrixSel = list.filter((x) => (x.id === p.id ? cb.checked : S.matrixSel.includes(x.id))).map((x) => x.id);
      showChosen();
      if (S.view === "matrix") schedule(0);
    });
    box.append(h("label", { class: "check", title: summary(p.context) }, cb, p.label));
  }
  showChosen();
}

function showChosen() {
  const list = presetList().filter((p) => S.matrixSel.includes(p.id));
  $("matrix-chosen").replaceChildren(...list.map((p) => h("span", {}, p.label)));
}

function onMatrixMessage(m) {
  if (m.seq !== chan.matrix) return;
  const table = $("matrix-table");
  if (m.type === "compile-error") {
    S.engineError = m.message;
    showProblems();
    markStale(`Template error — ${m.message}. Showing the last good render.`);
    document.body.classList.remove("busy");
    setRenderState("error");
    return;
  }
  if (m.type === "compiled") {
    S.engineError = null;
    S.sizes = m.sizes;
    showProblems();
    clearStale();
    const rows = presetList().filter((p) => S.matrixSel.includes(p.id));
    const sameShape = table.dataset.shape === JSON.stringify([m.sizes, rows.map((r) => r.id)]);
    if (!sameShape) {
      table.dataset.shape = JSON.stringify([m.sizes, rows.map((r) => r.id)]);
      table.replaceChildren(
        h("thead", {}, h("tr", {}, h("th", { class: "corner" }, "Context \\ size"), m.sizes.map((s) => h("th", { scope: "col" }, h("div", {}, s.replace("x", "×")), h("div", { class: "muted small" }, SIZE_NAMES[s] ?? ""))))),
        h("tbody", {}, rows.map((r) => h("tr", { "data-ctx": r.id },
          h("th", { scope: "row" }, h("div", { class: "ctx-label" }, r.label), h("div", { class: "muted small" }, summary(r.context)),
            h("div", { class: "row-actions" },
              h("label", { class: "approve", title: "Approve this context's creatives; the approval holds while their decision keys stay the same" },
                h("input", { type: "checkbox", class: "approve-box", onchange: (e) => approveRow(r.id, e.target.checked) }), h("span", { class: "approve-label" }, "Approve")),
              h("button", { class: "btn small ghost", title: "Open this context in the sizes view", onclick: () => { applyPreset(r.id); setView("grid"); } }, "Open"))),
          m.sizes.map((s) => {
            const { w, h: hh } = parseSize(s);
            return h("td", { "data-size": s }, h("div", { class: "cell" }, h("div", { class: "thumb" }, h("div", { class: "stage", style: { "--w": w, "--h": hh } }, h("img", { alt: `${s} for ${r.label}`, width: w, height: hh }))), h("div", { class: "chips" })));
          })))),
      );
    }
    return;
  }
  if (m.type === "result") {
    const td = table.querySelector(`tr[data-ctx="${CSS.escape(m.id)}"] td[data-size="${CSS.escape(m.size)}"]`);
    if (!td) return;
    const chips = td.querySelector(".chips");
    if (!m.ok) {
      td.classList.add("failed");
      chips.replaceChildren(h("span", { class: "chip bad", title: m.message }, "failed"));
      return;
    }
    td.classList.remove("failed");
    td.dataset.key = m.decision?.key ?? "";
    const img = td.querySelector("img");
    const old = img.src;
    img.src = URL.createObjectURL(new Blob([m.bytes], { type: m.mime }));
    if (old.startsWith("blob:")) setTimeout(() => URL.revokeObjectURL(old), 1000);
    const fired = (m.decision?.rules ?? []).filter((r) => r.fired);
    chips.replaceChildren(...(fired.length ? fired.map((r) => h("span", { class: "chip", title: Object.entries(r.read ?? {}).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ") }, r.id)) : [h("span", { class: "chip muted" }, "no rule")]));
    const errs = (m.report?.findings ?? []).filter((f) => String(f.severity).toLowerCase() === "error").length;
    if (errs) chips.append(h("span", { class: "chip bad" }, `${errs} guardrail error${errs > 1 ? "s" : ""}`));
    return;
  }
  if (m.type === "done") {
    document.body.classList.remove("busy");
    setStatus(`Matrix: ${S.matrixSel.length} contexts × ${S.sizes.length} sizes in ${fmtMs(m.ms)}${m.cached ? ` · ${m.cached} from cache` : ""}`, m.errors ? "bad" : "");
    showApprovals();
    setRenderState(m.errors ? "error" : "idle");
  }
}

// Approvals: a row is approved for the exact creatives it shows (their
// decision keys); any change to those pixels puts it back to review.
function rowSignature(ctxId) {
  const tr = $("matrix-table").querySelector(`tr[data-ctx="${CSS.escape(ctxId)}"]`);
  if (!tr) return "";
  return [...tr.querySelectorAll("td")].map((td) => `${td.dataset.size}=${td.dataset.key ?? ""}`).join(",");
}

function approveRow(ctxId, on) {
  if (on) S.approvals[ctxId] = rowSignature(ctxId);
  else delete S.approvals[ctxId];
  showApprovals();
}

function showApprovals() {
  let approved = 0, changed = 0;
  for (const tr of $("matrix-table").querySelectorAll("tbody tr")) {
    const id = tr.dataset.ctx;
    const sig = S.approvals[id];
    const state = sig === undefined ? "review" : sig === rowSignature(id) ? "approved" : "changed";
    tr.dataset.approval = state;
    tr.querySelector(".approve-box").checked = state !== "review";
    tr.querySelector(".approve-label").textContent = state === "changed" ? "Changed since approval" : state === "approved" ? "Approved" : "Approve";
    if (state === "approved") approved++;
    if (state === "changed") changed++;
  }
  const rows = $("matrix-table").querySelectorAll("tbody tr").length;
  $("matrix-approved").textContent = rows ? `${approved} of ${rows} approved${changed ? ` · ${changed} changed since approval` : ""}` : "";
}

function setView(view) {
  S.view = view;
  $("view-grid").setAttribute("aria-checked", String(view === "grid"));
  $("view-matrix").setAttribute("aria-checked", String(view === "matrix"));
  $("grid").hidden = view !== "grid";
  $("matrix").hidden = view !== "matrix";
  $("context-summary").parentElement.classList.toggle("dim", view === "matrix");
  if (view === "matrix") buildMatrixPicker();
  schedule(0);
}

// ---------------------------------------------------------------------------
// Exports

let exportSeq = 0;
function onExportMessage(m) {
  const job = exports.get(m.channel);
  if (!job) return;
  if (m.type === "compile-error") {
    exports.delete(m.channel);
    job.reject(new Error(m.message));
  } else if (m.type === "result") {
    job.results.push(m);
  } else if (m.type === "done" || m.type === "cancelled") {
    exports.delete(m.channel);
    job.resolve(job.results);
  }
}

function renderForExport(sizes) {
  const channel = `export-${++exportSeq}`;
  return new Promise((resolve, reject) => {
    exports.set(channel, { results: [], resolve, reject });
    worker.postMessage({
      type: "render", channel, seq: 1, template: S.templateText, base: S.exampleId,
      format: S.format, quality: S.format === "jpeg" ? S.quality : undefined,
      jobs: sizes.map((size) => ({ id: "export", size, data: currentData(), context: S.context })),
    });
  });
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileName(size, ext) {
  return `${slug(S.templateName || S.exampleId || "creative")}-${size}.${ext}`;
}

async function downloadOne(size = S.selected) {
  if (!size) return;
  try {
    if (!S.syntaxOk || S.engineError) throw new Error("fix the template error first");
    let r = S.format === "png" && $("grid").classList.contains("stale") === false ? S.results.get(size) : null;
    if (!r || S.view !== "grid" || document.body.dataset.renderState !== "idle") {
      [r] = await renderForExport([size]);
    }
    if (!r?.ok) throw new Error(r?.message ?? "render failed");
    saveBlob(new Blob([r.bytes], { type: r.mime }), fileName(size, EXT[S.format]));
    toast(`Downloaded ${size} (${(r.bytes.byteLength / 1024).toFixed(1)} KB)`);
  } catch (e) {
    toast(`Download failed: ${e.message}`);
  }
}

async function downloadAll() {
  try {
    if (!S.syntaxOk || S.engineError) throw new Error("fix the template error first");
    setStatus("Rendering all sizes for the zip…");
    const results = await renderForExport(S.sizes);
    const files = {};
    const manifest = [];
    for (const r of results) {
      if (!r.ok) throw new Error(`${r.size}: ${r.message}`);
      const name = fileName(r.size, EXT[S.format]);
      files[name] = [r.bytes, { level: 0 }]; // already compressed images
      manifest.push({ file: name, size: r.size, key: r.decision?.key, fired: r.decision?.fired ?? [], variant: r.decision?.variant ?? null });
    }
    files["decisions.json"] = new TextEncoder().encode(JSON.stringify({ template: S.templateName, context: S.context, data: currentData() ?? "template sample", creatives: manifest }, null, 2));
    const zip = zipSync(files);
    saveBlob(new Blob([zip], { type: "application/zip" }), `${slug(S.templateName || "creatives")}-${S.format}.zip`);
    toast(`Downloaded ${results.length} sizes as a zip (${(zip.byteLength / 1024).toFixed(0)} KB)`);
    setStatus(`Zip of ${results.length} sizes ready`);
  } catch (e) {
    toast(`Zip failed: ${e.message}`);
  }
}

// ---------------------------------------------------------------------------
// Share links

function shareState() {
  return {
    example: S.exampleId,
    template: S.templateText,
    data: S.dataMode === "row" ? { row: S.dataRow } : S.dataMode === "custom" ? { json: S.dataCustom } : { sample: true },
    context: S.context,
    preset: S.presetId,
    daypartAuto: S.daypartAuto,
    view: S.view,
    matrix: S.matrixSel,
    approvals: S.approvals,
    format: S.format,
    quality: S.quality,
    selected: S.selected,
  };
}

function shareUrl() {
  const url = new URL(location.href);
  url.hash = encodeState(shareState());
  return url.href;
}

function openShare() {
  const url = shareUrl();
  history.replaceState(null, "", url);
  $("share-url").value = url;
  $("share-size").textContent = `${url.length.toLocaleString("en")} characters`;
  $("share-dialog").showModal();
  $("share-url").select();
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast("Copied");
  } catch {
    toast("Copy failed: select the text and copy it");
  }
}

// ---------------------------------------------------------------------------
// Loading an example or a shared state

async function loadExample(id, { keepTemplate = null } = {}) {
  const ex = await requestExample(id);
  if (ex.error) {
    setStatus(`Cannot load ${id}: ${ex.error}`, "bad");
    throw new Error(ex.error);
  }
  S.exampleId = id;
  S.original = ex.template;
  S.feed = ex.feed;
  S.exampleContexts = ex.contexts;
  $("example").value = id;
  S.templateText = keepTemplate ?? ex.template;
  editor.setText(S.templateText);
  revalidate();
}

async function openExample(id) {
  setRenderState("pending");
  setStatus(`Loading ${id}…`);
  await loadExample(id);
  S.dataMode = "sample";
  S.dataCustom = null;
  S.matrixSel = [];
  fillDataPanel();
  rebuildPresets();
  applyPreset(presetList()[0]?.id);
  if (S.view === "matrix") buildMatrixPicker();
  // Fresh cards: a different template's sizes.
  $("grid").replaceChildren();
  S.results.clear();
  schedule(0);
}

function rebuildPresets() {
  fillPresetSelect($("ctx-preset"));
  fillPresetSelect($("strip-preset"));
}

async function restore(state) {
  setRenderState("pending");
  const id = S.examples.some((e) => e.id === state.example) ? state.example : S.examples[0].id;
  await loadExample(id, { keepTemplate: state.template });
  if (state.data?.row !== undefined && S.feed[state.data.row]) {
    S.dataMode = "row";
    S.dataRow = state.data.row;
  } else if (state.data?.json && typeof state.data.json === "object") {
    S.dataMode = "custom";
    S.dataCustom = state.data.json;
  } else S.dataMode = "sample";
  fillDataPanel();
  rebuildPresets();
  S.context = state.context && typeof state.context === "object" ? state.context : {};
  S.presetId = presetList().some((p) => p.id === state.preset) ? state.preset : null;
  S.daypartAuto = state.daypartAuto !== false;
  S.format = ["png", "jpeg", "webp"].includes(state.format) ? state.format : "png";
  S.quality = Number(state.quality) || 85;
  S.matrixSel = Array.isArray(state.matrix) ? state.matrix : [];
  S.approvals = state.approvals && typeof state.approvals === "object" ? state.approvals : {};
  S.selected = state.selected ?? null;
  $("format").value = S.format;
  $("quality").value = S.quality;
  $("quality-field").hidden = S.format !== "jpeg";
  syncContextForm();
  rebuildPresets();
  setView(state.view === "matrix" ? "matrix" : "grid");
}

// ---------------------------------------------------------------------------
// Tabs, keyboard, wiring

const TABS = ["template", "context", "data"];
function selectTab(name, focus = false) {
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
}

function isTyping(el) {
  return el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

function wire() {
  for (const t of TABS) $(`tab-${t}`).addEventListener("click", () => selectTab(t));
  document.querySelector(".tabs").addEventListener("keydown", (e) => {
    const i = TABS.findIndex((t) => $(`tab-${t}`).getAttribute("aria-selected") === "true");
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      selectTab(TABS[(i + (e.key === "ArrowRight" ? 1 : 2)) % 3], true);
      e.preventDefault();
    }
  });
  $("example").addEventListener("change", (e) => openExample(e.target.value));
  $("view-grid").addEventListener("click", () => setView("grid"));
  $("view-matrix").addEventListener("click", () => setView("matrix"));
  $("format").addEventListener("change", (e) => {
    S.format = e.target.value;
    $("quality-field").hidden = S.format !== "jpeg";
  });
  $("quality").addEventListener("change", (e) => (S.quality = Math.max(1, Math.min(100, Number(e.target.value) || 85))));
  $("download-one").addEventListener("click", () => downloadOne());
  $("download-all").addEventListener("click", () => downloadAll());
  $("share").addEventListener("click", openShare);
  $("share-copy").addEventListener("click", () => copyText($("share-url").value));
  $("help").addEventListener("click", () => $("help-dialog").showModal());
  $("reset-template").addEventListener("click", () => {
    S.templateText = S.original;
    editor.setText(S.original);
    revalidate();
    schedule(0);
  });
  $("format-json").addEventListener("click", formatTemplate);
  $("show-reasons").addEventListener("change", (e) => setReasons(e.target.checked));
  $("toggle-sidebar").addEventListener("click", toggleSidebar);

  $("grid").addEventListener("keydown", (e) => {
    const card = e.target.closest?.(".card");
    if (!card || e.target !== card) return;
    const cards = [...$("grid").children];
    const i = cards.indexOf(card);
    if (e.key === "ArrowRight" || e.key === "ArrowDown") cards[Math.min(cards.length - 1, i + 1)].focus();
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") cards[Math.max(0, i - 1)].focus();
    else if (e.key === "Enter") downloadOne(card.dataset.size);
    else return;
    e.preventDefault();
  });

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented) return; // handled by the editor or a widget
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && e.key === "Enter") {
      e.preventDefault();
      renderNow();
    } else if (mod && key === "s") {
      e.preventDefault();
      if (e.shiftKey) downloadAll();
      else downloadOne();
    } else if (mod && e.shiftKey && key === "l") {
      e.preventDefault();
      openShare();
    } else if (e.altKey && ["1", "2", "3"].includes(e.key)) {
      e.preventDefault();
      selectTab(TABS[Number(e.key) - 1], true);
    } else if (e.altKey && key === "g") {
      e.preventDefault();
      setView("grid");
    } else if (e.altKey && key === "m") {
      e.preventDefault();
      setView("matrix");
    } else if (e.altKey && key === "r") {
      e.preventDefault();
      setReasons(!$("show-reasons").checked);
    } else if (e.altKey && key === "i") {
      e.preventDefault();
      toggleSidebar();
    } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      e.preventDefault();
      const list = presetList();
      const i = list.findIndex((p) => p.id === S.presetId);
      const next = list[(i + (e.key === "ArrowDown" ? 1 : list.length - 1) + (i < 0 && e.key === "ArrowUp" ? 1 : 0)) % list.length];
      if (next) {
        applyPreset(next.id);
        toast(next.label);
      }
    } else if (e.shiftKey && e.altKey && key === "f") {
      e.preventDefault();
      formatTemplate();
    } else if (e.key === "?" && !isTyping(document.activeElement) && !document.activeElement?.closest(".cm-editor")) {
      e.preventDefault();
      $("help-dialog").showModal();
    }
  });
}

function setReasons(on) {
  $("show-reasons").checked = on;
  $("grid").classList.toggle("compact", !on);
}

function toggleSidebar() {
  const hidden = document.body.classList.toggle("no-sidebar");
  $("toggle-sidebar").setAttribute("aria-pressed", String(hidden));
}

function formatTemplate() {
  if (!S.syntaxOk) {
    toast("Fix the JSON syntax first");
    return;
  }
  const text = JSON.stringify(JSON.parse(S.templateText), null, 2) + "\n";
  if (text === S.templateText) return;
  S.templateText = text;
  editor.setText(text);
  revalidate();
  schedule(0);
}

// ---------------------------------------------------------------------------
// Start

async function start() {
  setRenderState("starting");
  buildContextForm();
  buildDataPanel();
  wire();
  worker.postMessage({ type: "init", baseUrl: new URL(".", document.baseURI).href });
  await ready;
  $("example").replaceChildren(...S.examples.map((e) => option(e.id, `${e.name}`)));
  setStatus(`Engine ${S.version} ready`);
  let state = null;
  try {
    state = decodeState(location.hash);
  } catch (e) {
    toast(e.message);
  }
  if (state) await restore(state);
  else await openExample(S.examples[0].id);
}

window.addEventListener("hashchange", async () => {
  try {
    const state = decodeState(location.hash);
    if (state) await restore(state);
  } catch (e) {
    toast(e.message);
  }
});

// A small hook for the browser tests and for people in the console.
window.adloomPreview = {
  ready,
  inputs: () => ({ template: S.templateText, data: currentData() ?? null, context: S.context, size: S.selected, format: S.format, example: S.exampleId }),
  shareUrl,
  /** Grid render requests sent, results received, renders stopped because a newer one came. */
  stats: () => ({ ...stats }),
  /** The last good render of a size: its decision, report and score (no bytes). */
  result: (size) => {
    const r = S.results.get(size);
    return r ? { decision: r.decision, report: r.report ?? null, score: r.score ?? null, ms: r.ms, cached: r.cached } : null;
  },
};

start().catch((e) => {
  console.error(`adloom preview failed to start: ${e.message}`);
  setStatus(`Failed to start: ${e.message}`, "bad");
});
