// SPEC §6 rotation loses no mailbox: a data key created mid-rotation by an app still
// on the old key is re-wrapped after the switch, and start-up refuses to run while a
// data key is wrapped by a master key the deployment does not have.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { masterKeyId, overrideMasterKeySource } from "@/lib/crypto/master-key";
import { forgetMailboxCipher } from "@/lib/mailboxes/data-keys";
import { rotateMasterKey } from "@/lib/mailboxes/rotate-master-key";
import { getMessageDto, storeInboundMessage } from "@/lib/messages/store-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

async function storedMessage(subject: string) {
  const world = await createTestWorld();
  const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
  const m = await storeInboundMessage({ ...scope, content: testContent({ subject }) });
  return { ...scope, id: m.message.id, subject };
}

function migrate(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/migrate.ts"], {
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, stderr: result.stderr };
}

describe("data keys wrapped by a master key the deployment does not have", () => {
  it("start-up refuses to run while a data key is wrapped by a key the deployment does not have, naming the fix", async () => {
    await storedMessage("Wrapped by the test key");
    // (stderr may also carry a dependency's deprecation warning: only our lines are counted.)
    const ours = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("[sairaph]") || l.startsWith("db:migrate"));
    const right = migrate({});
    expect(ours(right.stderr)).toEqual([]);
    expect(right.code).toBe(0);
    const wrong = migrate({ SAIRAPH_MASTER_KEY: randomBytes(32).toString("base64") });
    expect(wrong.code).toBe(1);
    const lines = ours(wrong.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`wrapped by master key ${masterKeyId(Buffer.from(getEnv().SAIRAPH_MASTER_KEY, "base64"))}`);
    expect(lines[0]).toContain("SAIRAPH_MASTER_KEY_PREVIOUS");
    expect(lines[0]).toContain("npm run cli -- master-key rotate");
  });

  it("a data key created by an app still on the old key between the last batch and the switch ends up readable", async () => {
    const before = await storedMessage("Before the rotation");
    const dir = mkdtempSync(path.join(os.tmpdir(), "sairaph-mk-"));
    const oldKey = getEnv().SAIRAPH_MASTER_KEY;
    let during: Awaited<ReturnType<typeof storedMessage>> | undefined;
    try {
      writeFileSync(path.join(dir, "master.key"), `${oldKey}\n`, { mode: 0o600 });
      overrideMasterKeySource({ kind: "file", dir });
      const result = await rotateMasterKey({
        beforeSwitch: async () => {
          // Another instance that has not seen master.key.next yet creates a mailbox.
          overrideMasterKeySource({ kind: "env", current: oldKey });
          during = await storedMessage("Created mid-rotation");
          overrideMasterKeySource({ kind: "file", dir });
        },
      });
      const newKey = readFileSync(path.join(dir, "master.key"), "utf8").trim();
      const newId = masterKeyId(Buffer.from(newKey, "base64"));
      expect(result.masterKeyId).toBe(newId);
      expect(await getDb().mailboxDataKey.count({ where: { masterKeyId: { not: newId } } })).toBe(0);
      // Only the new key is left on disk; every message, the mid-rotation one included, still reads.
      overrideMasterKeySource({ kind: "env", current: newKey });
      for (const m of [before, during!]) {
        forgetMailboxCipher(m.tenantId, m.mailboxId);
        expect((await getMessageDto(m)).subject).toBe(m.subject);
      }
    } finally {
      overrideMasterKeySource(undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
