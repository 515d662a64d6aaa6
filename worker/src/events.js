// The outcome log for variant optimisation (issue #7): impressions, clicks and
// conversions per template, variant and segment, aggregated in the KV
// namespace ADLOOM_STATE under `outcomes/<template>`:
//
//   {"arms": {"<variant>": {"impressions": n, "clicks": n, "conversions": n,
//             "segments": {"<segment>": {"impressions": n, "clicks": n, "conversions": n}}}}}
//
// KV has no atomic increment: concurrent batches for one template can lose
// counts (last writer wins). That is acceptable for bandit statistics, which
// tolerate sampling noise; a deployment that needs exact counts would put a
// Durable Object in front of the key.
import { badRequest } from "./http.js";

export const MAX_EVENTS = 100;
export const MAX_COUNT = 10000;
export const MAX_BODY_BYTES = 64 * 1024;
// The engine's bounds on an outcomes document (src/bandit.rs): beyond them it
// would reject the whole state, so the log never grows past them.
export const MAX_ARMS = 1024;
export const MAX_SEGMENTS_PER_ARM = 1024;
const MAX_KEY_BYTES = 256;
const TYPES = { impression: "impressions", click: "clicks", conversion: "conversions" };
const enc = new TextEncoder();
// Variant ids look like `headline=urgent,cta=shop` or `control`.
const validKey = (v) => typeof v === "string" && v.length > 0 && !/[\x00-\x1f\x7f]/.test(v) && enc.encode(v).length <= MAX_KEY_BYTES;

export const outcomesKey = (template) => `outcomes/${template}`;
const emptyCounts = () => ({ impressions: 0, clicks: 0, conversions: 0 });

/**
 * Validate a POST /events body.
 * @param {unknown} body parsed JSON
 * @param {(name: string) => boolean} knownTemplate
 */
export function validateEvents(body, knownTemplate) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("body", "expected a JSON object");
  for (const k of Object.keys(body)) if (k !== "events") throw badRequest(k, "unknown field (expected only events)");
  const events = body.events;
  if (!Array.isArray(events)) throw badRequest("events", "expected an array");
  if (events.length === 0) throw badRequest("events", "expected at least one event");
  if (events.length > MAX_EVENTS) throw badRequest("events", `at most ${MAX_EVENTS} events per batch, got ${events.length}`);
  return events.map((e, i) => {
    const at = `events[${i}]`;
    if (!e || typeof e !== "object" || Array.isArray(e)) throw badRequest(at, "expected an object");
    for (const k of Object.keys(e)) {
      if (!["template", "variant", "segment", "type", "count"].includes(k)) throw badRequest(`${at}.${k}`, "unknown field");
    }
    if (typeof e.template !== "string" || !knownTemplate(e.template)) {
      throw badRequest(`${at}.template`, `no bundled template ${JSON.stringify(e.template)}`);
    }
    if (!validKey(e.variant)) {
      throw badRequest(`${at}.variant`, `expected a variant id such as "headline=urgent,cta=shop" (1-${MAX_KEY_BYTES} bytes, no control characters)`);
    }
    if (e.segment !== undefined && e.segment !== null && !validKey(e.segment)) {
      throw badRequest(`${at}.segment`, `expected a segment key (1-${MAX_KEY_BYTES} bytes, no control characters)`);
    }
    if (!(e.type in TYPES)) throw badRequest(`${at}.type`, "expected impression, click or conversion");
    const count = e.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw badRequest(`${at}.count`, `expected an integer from 1 to ${MAX_COUNT}`);
    }
    return { template: e.template, variant: e.variant, segment: e.segment ?? null, field: TYPES[e.type], count };
  });
}

/**
 * Add validated events to the stored state; one read and one write per
 * template. Events for a new arm or segment beyond the engine's bounds are
 * dropped (and counted as such) rather than poison the whole state.
 */
export async function recordEvents(kv, events) {
  let dropped = 0;
  const byTemplate = new Map();
  for (const e of events) {
    if (!byTemplate.has(e.template)) byTemplate.set(e.template, []);
    byTemplate.get(e.template).push(e);
  }
  const totals = {};
  for (const [template, list] of byTemplate) {
    const state = await readOutcomes(kv, template);
    let arms = Object.keys(state.arms).length;
    let accepted = 0;
    for (const e of list) {
      if (!Object.hasOwn(state.arms, e.variant)) {
        if (arms >= MAX_ARMS) {
          dropped++;
          continue;
        }
        arms++;
        state.arms[e.variant] = { ...emptyCounts(), segments: {} };
      }
      const arm = state.arms[e.variant];
      arm.segments ??= {};
      if (e.segment && !Object.hasOwn(arm.segments, e.segment)) {
        if (Object.keys(arm.segments).length >= MAX_SEGMENTS_PER_ARM) {
          dropped++;
          continue;
        }
        arm.segments[e.segment] = emptyCounts();
      }
      arm[e.field] += e.count;
      if (e.segment) arm.segments[e.segment][e.field] += e.count;
      accepted++;
    }
    if (accepted) await kv.put(outcomesKey(template), JSON.stringify(state));
    totals[template] = accepted;
  }
  return { totals, dropped };
}

export async function readOutcomes(kv, template) {
  const stored = await kv.get(outcomesKey(template), "json");
  if (stored && typeof stored === "object" && stored.arms && typeof stored.arms === "object") return stored;
  return { arms: {} };
}
