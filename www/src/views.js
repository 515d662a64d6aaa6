// DOM for the results: one card per size (image, decision, guardrail report,
// score) and the review matrix (sizes × contexts). Cards are created once per
// size and updated in place, so re-rendering never moves the layout.

export const SIZE_NAMES = {
  "300x250": "Medium rectangle",
  "728x90": "Leaderboard",
  "160x600": "Wide skyscraper",
  "320x50": "Mobile banner",
  "300x600": "Half page",
  "970x250": "Billboard",
  "1200x628": "Social link",
  "1080x1080": "Square post",
  "1080x1920": "Story",
  "320x100": "Large mobile banner",
  "336x280": "Large rectangle",
  "468x60": "Banner",
  "120x600": "Skyscraper",
  "970x90": "Large leaderboard",
  "250x250": "Square",
  "1080x1350": "Portrait post",
};

/** Tiny element builder: h("div", { class: "x", onclick }, child, "text"). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "style" && typeof v === "object") {
      for (const [prop, val] of Object.entries(v)) {
        if (prop.startsWith("--")) el.style.setProperty(prop, String(val));
        else el.style[prop] = val;
      }
    }
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export function parseSize(size) {
  const m = /^(\d+)x(\d+)$/.exec(size);
  return m ? { w: +m[1], h: +m[2] } : { w: 1, h: 1 };
}

export function fmtValue(v) {
  if (v === undefined) return "undefined";
  const t = JSON.stringify(v);
  return t.length > 60 ? t.slice(0, 57) + "…" : t;
}

export function fmtMs(ms) {
  if (ms === undefined || ms === null) return "";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

// ---------------------------------------------------------------------------
// Guardrail report and score: read tolerantly (the fields are new in the core).

function normBox(b) {
  if (!b) return null;
  if (Array.isArray(b) && b.length >= 4) return { x: +b[0], y: +b[1], w: +b[2], h: +b[3] };
  const x = b.x ?? b.left, y = b.y ?? b.top;
  const w = b.width ?? b.w ?? (b.right !== undefined && x !== undefined ? b.right - x : undefined);
  const hh = b.height ?? b.h ?? (b.bottom !== undefined && y !== undefined ? b.bottom - y : undefined);
  if ([x, y, w, hh].some((n) => typeof n !== "number" || !Number.isFinite(n))) return null;
  return { x, y, w, h: hh };
}

/** The render's guardrail report as { findings: [...] }, or null when the engine gives none. */
export function normalizeReport(report) {
  if (report === undefined || report === null) return null;
  const list = Array.isArray(report) ? report : report.findings ?? report.issues ?? report.items ?? [];
  const findings = list.map((f) => ({
    severity: String(f.severity ?? f.level ?? "warning").toLowerCase(),
    rule: f.rule ?? f.ruleId ?? f.check ?? f.kind ?? f.code ?? "",
    id: f.element ?? f.elementId ?? f.id ?? f.node ?? null,
    box: normBox(f.box ?? f.rect ?? f.bounds),
    measured: f.measured ?? f.value ?? f.actual,
    threshold: f.threshold ?? f.limit ?? f.expected,
    message: f.message ?? f.reason ?? "",
  }));
  const order = { error: 0, warning: 1, warn: 1, info: 2 };
  findings.sort((a, b) => (order[a.severity] ?? 1) - (order[b.severity] ?? 1));
  return { findings, passed: report.passed ?? report.ok ?? !findings.some((f) => f.severity === "error") };
}

/** The aesthetic score as { value, components: [{ name, weight, value, reason }] }, or null. */
export function normalizeScore(score) {
  if (score === undefined || score === null) return null;
  if (typeof score === "number") return { value: score, components: [] };
  const value = score.value ?? score.total ?? score.score ?? score.overall;
  const comps = score.components ?? score.parts ?? score.terms ?? [];
  const components = (Array.isArray(comps) ? comps : Object.entries(comps).map(([name, c]) => ({ name, ...(typeof c === "object" ? c : { value: c }) }))).map((c) => ({
    name: c.name ?? c.id ?? "",
    weight: c.weight,
    value: c.value ?? c.score,
    reason: c.reason ?? c.why ?? c.note ?? "",
  }));
  return typeof value === "number" ? { value, components } : null;
}

// ---------------------------------------------------------------------------
// Cards

/**
 * A card for one size. `actions.download(size)` and `actions.select(size)`
 * are called on its buttons.
 */
export function createCard(size, actions) {
  const { w, h: hh } = parseSize(size);
  const img = h("img", { class: "creative", alt: `${size} creative`, width: w, height: hh, draggable: "false" });
  const overlay = s("svg", { class: "overlay", viewBox: `0 0 ${w} ${hh}`, preserveAspectRatio: "none", "aria-hidden": "true" });
  const stage = h("div", { class: "stage", style: { "--w": w, "--h": hh } }, img, overlay);
  const frame = h("div", { class: "frame" }, stage, h("div", { class: "frame-msg", hidden: true }));
  const ms = h("span", { class: "ms", title: "Time for plan + images + render in the worker" });
  const spinner = h("span", { class: "spinner", "aria-hidden": "true" });
  const dl = h("button", { class: "icon-btn", title: `Download ${size} (Ctrl+S when selected)`, "aria-label": `Download ${size}`, onclick: (e) => { e.stopPropagation(); actions.download(size); } }, "↓");
  const card = h(
    "article",
    { class: "card", tabindex: "0", "data-size": size, "aria-label": `${size} ${SIZE_NAMES[size] ?? ""}`, onfocus: () => actions.select(size), onclick: () => actions.select(size) },
    h("header", { class: "card-head" },
      h("strong", { class: "dims" }, size.replace("x", " × ")),
      h("span", { class: "size-name" }, SIZE_NAMES[size] ?? ""),
      h("span", { class: "grow" }),
      spinner, ms, dl),
    frame,
    h("div", { class: "decision" }),
  );
  card._parts = { img, overlay, stage, frame, ms, decision: card.querySelector(".decision") };
  return card;
}

/** Swap the image only once the new one is decoded: no flash, no jump. */
export async function setCardImage(card, url) {
  const { img } = card._parts;
  const next = new Image();
  next.src = url;
  try {
    await next.decode();
  } catch {
    /* shown anyway; the browser reports a broken image */
  }
  const old = img.dataset.url;
  img.src = url;
  img.dataset.url = url;
  if (old && old !== url) setTimeout(() => URL.revokeObjectURL(old), 1000);
}

function ruleLine(rule, fired) {
  const reads = Object.entries(rule.read ?? {});
  const sets = Object.entries(rule.set ?? {});
  const overridden = new Set(rule.overridden ?? []);
  return h("li", { class: `rule ${fired ? "fired" : "idle"}`, "data-rule": rule.id },
    h("div", { class: "rule-head" },
      h("span", { class: "rule-id" }, rule.id),
      rule.description ? h("span", { class: "rule-desc" }, rule.description) : null),
    reads.length ? h("div", { class: "reads" }, h("span", { class: "lbl" }, fired ? "because" : "read"), " ",
      reads.map(([k, v], i) => [i ? ", " : "", h("code", {}, k), " = ", h("code", { class: "val" }, fmtValue(v))])) : null,
    fired && sets.length ? setList(sets, overridden) : null);
}

function setList(sets, overridden) {
  const items = sets.map(([k, v]) => h("li", {},
    h("code", { class: overridden.has(k) ? "overridden" : "", title: overridden.has(k) ? "overridden by a later rule" : "" }, k), " → ", h("code", { class: "val" }, fmtValue(v))));
  if (sets.length <= 2) return h("div", { class: "sets" }, h("span", { class: "lbl" }, "set"), h("ul", { class: "set-list inline" }, items));
  const keys = sets.map(([k]) => k.split(".").pop());
  return h("details", { class: "sets" },
    h("summary", {}, h("span", { class: "lbl" }, "set"), ` ${sets.length} properties `, h("span", { class: "muted" }, `(${[...new Set(keys)].slice(0, 4).join(", ")}${keys.length > 4 ? ", …" : ""})`)),
    h("ul", { class: "set-list" }, items));
}

/** Fill a card's decision panel from a render result. */
export function fillDecision(card, result, { onCopyKey } = {}) {
  const box = card._parts.decision;
  box.replaceChildren();
  const d = result.decision ?? {};
  const rules = d.rules ?? [];
  const fired = rules.filter((r) => r.fired);
  const idle = rules.filter((r) => !r.fired);

  // Always visible: the rules that fired (hover for the values they read), guardrail and score pills.
  const report = normalizeReport(result.report);
  const score = normalizeScore(result.score ?? d.score);
  const errors = report ? report.findings.filter((f) => f.severity === "error").length : 0;
  const warnings = report ? report.findings.filter((f) => f.severity.startsWith("warn")).length : 0;
  box.append(h("div", { class: "summary-row" },
    fired.length ? fired.map((r) => h("span", { class: "chip", title: Object.entries(r.read ?? {}).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ") }, r.id)) : h("span", { class: "chip muted" }, "no rule fired"),
    report ? h("span", { class: `pill ${errors ? "bad" : warnings ? "warn" : "good"}`, title: "Guardrails" }, errors ? `${errors} guardrail error${errors > 1 ? "s" : ""}` : warnings ? `${warnings} warning${warnings > 1 ? "s" : ""}` : "guardrails pass") : null,
    score ? h("span", { class: `pill ${score.value >= 0.7 ? "good" : score.value >= 0.5 ? "warn" : "bad"}`, title: "Aesthetic score" }, `score ${score.value.toFixed(2)}`) : null));
  const full = h("div", { class: "full" });
  box.append(full);

  const meta = h("dl", { class: "meta" });
  const add = (k, v, cls) => meta.append(h("dt", {}, k), h("dd", { class: cls ?? "" }, v));
  if (d.variant !== undefined && d.variant !== null) add("variant", typeof d.variant === "object" ? fmtVariant(d.variant) : String(d.variant), "variant");
  else add("variant", "default (no variants)", "muted");
  add("key", h("button", { class: "key", title: "Decision key: equal keys mean identical pixels. Click to copy.", onclick: (e) => { e.stopPropagation(); onCopyKey?.(d.key); } }, d.key ?? "—"));
  add("locale", d.locale ?? "—");
  add("render", result.cached ? `${fmtMs(result.ms)} (key cached; rendered in ${fmtMs(result.renderMs)})` : fmtMs(result.ms));
  if (d.fit?.length) add("fit", d.fit.map((f) => `${f.id} ${f.fontSize}px${f.fits ? "" : " (does not fit)"}`).join(", "), d.fit.some((f) => !f.fits) ? "warn" : "");
  if (d.candidate) add("candidate", d.candidate, "variant");
  if (d.fallback) add("fallback", d.fallback, "warn");
  full.append(meta);

  full.append(h("div", { class: "section-title" }, `Rules fired (${fired.length} of ${rules.length})`));
  full.append(fired.length ? h("ul", { class: "rules" }, fired.map((r) => ruleLine(r, true))) : h("p", { class: "muted small" }, "No rule fired: the template as written."));
  if (idle.length) {
    full.append(h("details", { class: "idle-rules" }, h("summary", {}, `${idle.length} did not fire`), h("ul", { class: "rules" }, idle.map((r) => ruleLine(r, false)))));
  }
  if (d.warnings?.length) full.append(h("details", { class: "warnings" }, h("summary", {}, `${d.warnings.length} warning${d.warnings.length > 1 ? "s" : ""}`), h("ul", {}, d.warnings.map((w) => h("li", {}, w)))));

  // Guardrails and score.
  drawFindings(card, report);
  const gr = h("div", { class: "guardrails" });
  if (!report) {
    gr.append(h("div", { class: "section-title" }, "Guardrails"), h("p", { class: "muted small no-report" }, "no guardrail report from this engine build"));
  } else {
    gr.append(h("div", { class: "section-title" }, "Guardrails ",
      h("span", { class: `pill ${errors ? "bad" : warnings ? "warn" : "good"}` }, errors ? `${errors} error${errors > 1 ? "s" : ""}` : warnings ? `${warnings} warning${warnings > 1 ? "s" : ""}` : "pass")));
    if (report.findings.length) {
      gr.append(h("ol", { class: "findings" }, report.findings.map((f, i) => h("li", {
        class: `finding sev-${f.severity}`, "data-index": i,
        onmouseenter: () => highlightFinding(card, i, true), onmouseleave: () => highlightFinding(card, i, false),
      },
        h("span", { class: "badge" }, String(i + 1)),
        h("span", { class: "f-rule" }, f.rule), f.id ? [" on ", h("code", {}, f.id)] : null,
        f.message ? h("div", { class: "f-msg" }, f.message) : null,
        f.measured !== undefined || f.threshold !== undefined ? h("div", { class: "f-measure" }, `measured ${fmtValue(f.measured)} · threshold ${fmtValue(f.threshold)}`) : null))));
    }
  }
  full.append(gr);
  if (Array.isArray(d.candidates) && d.candidates.length) {
    full.append(h("div", { class: "section-title" }, "Candidates"),
      h("table", { class: "components candidates" }, h("tbody", {}, d.candidates.map((c) => h("tr", { class: c.chosen ? "chosen" : "" },
        h("td", {}, c.chosen ? "✓ " : "", h("code", {}, c.id)),
        h("td", { class: "num" }, typeof c.score === "number" ? c.score.toFixed(2) : "—"),
        h("td", {}, h("span", { class: `pill ${c.passed ? "good" : "bad"}` }, c.passed ? "pass" : `${c.errors} error${c.errors === 1 ? "" : "s"}`)),
        h("td", { class: "reason" }, c.reason ?? ""))))));
  }
  if (score) {
    full.append(h("div", { class: "score" },
      h("div", { class: "section-title" }, "Aesthetic score ", h("span", { class: `pill ${score.value >= 0.7 ? "good" : score.value >= 0.5 ? "warn" : "bad"}` }, score.value.toFixed(2))),
      score.components.length ? h("table", { class: "components" }, h("tbody", {}, score.components.map((c) => h("tr", {},
        h("td", {}, c.name),
        h("td", { class: "num" }, c.weight !== undefined ? `×${Number(c.weight).toFixed(2)}` : ""),
        h("td", { class: "bar" }, h("span", { style: { width: `${Math.max(0, Math.min(1, Number(c.value) || 0)) * 100}%` } })),
        h("td", { class: "num" }, typeof c.value === "number" ? c.value.toFixed(2) : ""),
        h("td", { class: "reason" }, c.reason))))) : null));
  }
}

/** The variant in one line (id, bucket, allocation mode); the reasons and each arm's share on hover. */
function fmtVariant(v) {
  if (typeof v.id !== "string") {
    return Object.entries(v).map(([k, val]) => `${k}: ${typeof val === "object" ? JSON.stringify(val) : val}`).join(" · ");
  }
  const arms = (v.allocation ?? []).map((a) => {
    const mean = a.posteriorMean !== undefined ? `, mean ${(a.posteriorMean * 100).toFixed(2)} %` : "";
    return `${a.id}: ${(a.share * 100).toFixed(1)} %${mean}`;
  });
  const title = [v.reason, v.allocationReason, ...arms].filter(Boolean).join("\n");
  const parts = [v.control ? `${v.id} (holdout)` : v.id];
  if (v.bucket !== undefined) parts.push(`bucket ${v.bucket}`);
  if (v.mode) parts.push(v.basis ? `${v.mode} · ${v.basis}` : v.mode);
  return h("span", { title }, parts.join(" · "));
}

function drawFindings(card, report) {
  const { overlay } = card._parts;
  overlay.replaceChildren();
  if (!report) return;
  report.findings.forEach((f, i) => {
    if (!f.box) return;
    const g = s("g", { class: `box sev-${f.severity}`, "data-index": i });
    g.append(s("rect", { x: f.box.x, y: f.box.y, width: Math.max(1, f.box.w), height: Math.max(1, f.box.h), "vector-effect": "non-scaling-stroke" }));
    const title = s("title");
    title.textContent = `${i + 1}. ${f.rule}${f.id ? ` on ${f.id}` : ""}: ${f.message}`;
    g.append(title);
    overlay.append(g);
  });
  // Numbered markers as HTML so they stay readable at any scale.
  card._parts.stage.querySelectorAll(".marker").forEach((m) => m.remove());
  const { w, h: hh } = parseSize(card.dataset.size);
  report.findings.forEach((f, i) => {
    if (!f.box) return;
    card._parts.stage.append(h("span", { class: `marker sev-${f.severity}`, "data-index": i, style: { left: `${(f.box.x / w) * 100}%`, top: `${(f.box.y / hh) * 100}%` } }, String(i + 1)));
  });
}

function highlightFinding(card, i, on) {
  card.querySelectorAll(`[data-index="${i}"]`).forEach((el) => el.classList.toggle("hot", on));
}

/** Show an error in place of a size's render (keeping the last good image dimmed). */
export function setCardError(card, message) {
  card.classList.add("failed");
  const msg = card._parts.frame.querySelector(".frame-msg");
  msg.hidden = false;
  msg.textContent = message;
}

export function clearCardError(card) {
  card.classList.remove("failed");
  const msg = card._parts.frame.querySelector(".frame-msg");
  msg.hidden = true;
  msg.textContent = "";
}
