// The repository stands alone: a clone on another machine has no sibling folders
// and none of this machine's paths, so no source, test, script or doc may name them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Generated, installed or built: not written by us.
const SKIP_DIRS = new Set([".git", "node_modules", ".next", ".data", "generated", "test-results", "playwright-report", "reports", "fixtures"]);
const TEXT = /\.(ts|tsx|mts|mjs|cjs|js|json|md|css|prisma|sql|yml|yaml|sh|toml)$|^(\.ci\/run|Dockerfile)$/;

// Built from parts so this file does not match itself.
const SIBLING = ".." + "/shared";
// An absolute path into a machine's own folders (work, home, Users, root, tmp, mnt) or a drive letter.
const ABSOLUTE = new RegExp(String.raw`(^|[\s"'\x60(=:])(/(work|home|Users|root|tmp|mnt)/|[A-Za-z]:\\)`, "m");

function repoFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const rel = path.relative(ROOT, full).split(path.sep).join("/");
    if (entry.isDirectory()) files.push(...repoFiles(full));
    else if (TEXT.test(entry.name) || TEXT.test(rel)) files.push(rel);
  }
  return files;
}

describe("the repository stands alone", () => {
  it("finds the files it checks", () => {
    const files = repoFiles();
    expect(files).toContain("README.md");
    expect(files).toContain("lib/env.ts");
  });

  it("names no sibling folder and no absolute machine path in any source, test, script or doc", () => {
    const offenders = repoFiles().filter((file) => {
      if (file === "package-lock.json") return false;
      const text = readFileSync(path.join(ROOT, file), "utf8");
      return text.includes(SIBLING) || ABSOLUTE.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it("reads the email fixtures from inside the repository", () => {
    const dir = path.join(ROOT, "test/fixtures/emails");
    const names = readdirSync(dir);
    expect(names).toContain("SOURCES.md");
    expect(names).toContain("LICENSES");
    expect(names.filter((n) => n.endsWith(".eml")).length).toBeGreaterThan(10);
  });
});
