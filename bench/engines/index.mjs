// The engines under test, in report order. adloom first: every ratio is adloom ÷ peer.
import * as adloom from "./adloom.mjs";
import * as satori from "./satori.mjs";
import { wasm as takumiWasm, native as takumiNative } from "./takumi.mjs";

export const engines = [adloom, satori, takumiWasm, takumiNative];
export const peers = engines.filter((e) => e.name !== "adloom");

export function engine(name) {
  const e = engines.find((x) => x.name === name);
  if (!e) throw new Error(`unknown engine "${name}" (known: ${engines.map((x) => x.name).join(", ")})`);
  return e;
}
