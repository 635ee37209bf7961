"use strict";
// Runs calls of a JavaScript client against a server, for the Python tests (tests/api/node.py).
// Input (argv[2], JSON): {"client": "deepl" | "libretranslate", "url", "key", "calls": [...]},
// each call {"method", "args"}. In args, {"$entries": {...}} is a deepl-node GlossaryEntries
// and "$N.field" is a field of call N's result. Output (stdout, JSON): per call, {"ok": result}
// or {"error": {"name", "message"}}; a failed call does not stop the later ones.

const deepl = require("deepl-node");
const libretranslate = require("libretranslate");

const program = JSON.parse(process.argv[2]);
const results = [];

function resolve(value) {
  if (typeof value === "string" && /^\$\d+\./.test(value)) {
    const [index, ...path] = value.slice(1).split(".");
    return path.reduce((found, key) => found[key], results[Number(index)].ok);
  }
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === "object") {
    if ("$entries" in value) return new deepl.GlossaryEntries({ entries: value.$entries });
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

// Class instances as plain data: entries as objects, usage with what clients ask of it.
function plain(value) {
  if (value instanceof deepl.GlossaryEntries) return value.entries();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    if (typeof value.anyLimitReached === "function") out.anyLimitReached = value.anyLimitReached();
    if (typeof value.limitReached === "function") out.limitReached = value.limitReached();
    return out;
  }
  return value;
}

async function main() {
  let call;
  if (program.client === "deepl") {
    const client = new deepl.DeepLClient(program.key, { serverUrl: program.url, maxRetries: 0 });
    call = (method, args) => client[method](...args);
  } else {
    call = (method, args) => libretranslate[method](...args);
  }
  for (const { method, args } of program.calls) {
    try {
      const result = await call(method, resolve(args || []));
      results.push({ ok: result === undefined ? null : plain(result) });
    } catch (error) {
      results.push({ error: { name: error.constructor.name, message: String(error.message) } });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main();
