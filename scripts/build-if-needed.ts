// Builds the app when the sources changed since the last build. `npm run build` and
// `npm start` share the fingerprint, so a CI build is not repeated by the start.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
const FINGERPRINT_FILE = path.join(process.cwd(), ".next", "sairaph-build-fingerprint");
const INPUTS = ["app", "components", "lib", "public", "next.config.ts", "package-lock.json", "postcss.config.mjs", "prisma/schema.prisma", "instrumentation.ts"];

/** A hash over the contents of everything that goes into the build. */
export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const entry of readdirSync(p).sort()) walk(path.join(p, entry));
    } else {
      hash.update(`${p}\n`).update(readFileSync(p));
    }
  };
  INPUTS.forEach(walk);
  return hash.digest("hex");
}

export function buildIfNeeded(force = false): void {
  const fingerprint = sourceFingerprint();
  const built =
    existsSync(path.join(".next", "BUILD_ID")) &&
    existsSync(FINGERPRINT_FILE) &&
    readFileSync(FINGERPRINT_FILE, "utf8") === fingerprint;
  if (built && !force) return;
  console.log("[sairaph] building the app…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error("[sairaph] build failed");
    process.exit(1);
  }
  writeFileSync(FINGERPRINT_FILE, fingerprint);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  buildIfNeeded(true);
}
