// Worker thread entry: runs every case of hostile-cases.ts in turn, posting
// { name, started } before and { name, summary | error } after each one. Plain
// JavaScript that loads the TypeScript through tsx, since a worker cannot start from .ts.
import { parentPort } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { hostileCases } = await tsImport("./hostile-cases.ts", import.meta.url);
for (const [name, run] of Object.entries(hostileCases)) {
  parentPort.postMessage({ name, started: true });
  try {
    parentPort.postMessage({ name, summary: await run() });
  } catch (err) {
    parentPort.postMessage({ name, error: err instanceof Error ? err.stack : String(err) });
  }
}
