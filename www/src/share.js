// Share links: the page state (template text, data, context, view) as JSON,
// deflated with fflate and base64url-encoded into the URL's hash, so the link
// works on any static host and nothing is sent to a server.

import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";

const PREFIX = "s=";
export const SHARE_VERSION = 1;

function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** State → the hash fragment (without "#"). */
export function encodeState(state) {
  const json = JSON.stringify({ v: SHARE_VERSION, ...state });
  return PREFIX + toBase64Url(deflateSync(strToU8(json), { level: 9 }));
}

/**
 * The hash fragment → state, or null when the hash carries none.
 * Throws an Error saying what is wrong with a damaged link.
 */
export function decodeState(hash) {
  const h = hash.replace(/^#/, "");
  if (!h.startsWith(PREFIX)) return null;
  let json;
  try {
    json = strFromU8(inflateSync(fromBase64Url(h.slice(PREFIX.length))));
  } catch {
    throw new Error("share link: the state in the link is damaged (cannot decompress it)");
  }
  let state;
  try {
    state = JSON.parse(json);
  } catch {
    throw new Error("share link: the state in the link is not valid JSON");
  }
  if (!state || typeof state !== "object" || state.v !== SHARE_VERSION) {
    throw new Error(`share link: unsupported version ${JSON.stringify(state?.v)}`);
  }
  if (typeof state.template !== "string") throw new Error("share link: no template in the link");
  return state;
}
