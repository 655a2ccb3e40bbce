import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { DecryptionError } from "@/lib/crypto/aead";
import { forgetMailboxCipher, getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { masterKeyId, overrideMasterKeySource } from "@/lib/crypto/master-key";
import { runCli } from "@/lib/cli/run-cli";
import { deleteMailbox } from "@/lib/mailboxes/delete-mailbox";
import { getAttachment } from "@/lib/messages/get-attachment";
import { getMessageDto, prepareOutbound, storeInboundMessage, storeOutboundMessage } from "@/lib/messages/store-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestMailbox, createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

afterEach(() => overrideMasterKeySource(undefined));

/** Every column of every row of every table as text, plus every bytea column as escape and hex. */
async function dumpDatabase(): Promise<string> {
  const pool = getPool();
  const { rows: tables } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const { rows } = await pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
    parts.push(...rows.map((r) => r.row));
    const { rows: byteaColumns } = await pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND data_type = 'bytea'`,
      [table],
    );
    for (const { column_name: column } of byteaColumns) {
      const { rows: encoded } = await pool.query<{ e: string | null; h: string | null }>(
        `SELECT encode("${column}", 'escape') AS e, encode("${column}", 'hex') AS h FROM "${table}"`,
      );
      for (const r of encoded) parts.push(r.e ?? "", r.h ?? "");
    }
  }
  return parts.join("\n").toLowerCase();
}

/** The canary as plaintext, hex and base64 at each of the three byte alignments. */
function canaryForms(canary: string): string[] {
  const forms = [canary, Buffer.from(canary).toString("hex")];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift, 0x20), Buffer.from(canary)]).toString("base64");
    // Drop the characters that mix in the padding bytes on either end.
    forms.push(b64.slice(shift ? 4 : 0, -4));
  }
  return forms.map((f) => f.toLowerCase());
}

describe("encryption at rest", () => {
  it("a dump of every table holds no canary from a subject, body, address or attachment", async () => {
    const world = await createTestWorld();
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const canary = `canary${randomBytes(8).toString("hex")}`;
    await storeInboundMessage({
      ...scope,
      content: testContent({
        subject: `Subject ${canary}`,
        from: { address: `${canary}@sender.example`, name: `Name ${canary}` },
        cc: [{ address: `cc-${canary}@example.org` }],
        text: `Body ${canary} text`,
        html: `<p>${canary}</p>`,
        headers: [["X-Canary", canary]],
        messageId: `<${canary}@example.org>`,
        attachments: [{ filename: `${canary}.txt`, contentType: "text/plain", content: Buffer.from(`bytes ${canary} bytes`) }],
      }),
    });
    const content = testContent({
      subject: canary,
      to: [{ address: `${canary}@recipient.example` }],
      text: canary,
      inReplyTo: `<${canary}@example.org>`,
      references: [`<${canary}@example.org>`],
    });
    const { cipher } = await prepareOutbound({ ...scope, content });
    await getDb().$transaction((tx) => storeOutboundMessage(tx, { ...scope, content, status: "queued", cipher }));

    const dump = await dumpDatabase();
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).toContain(world.mailbox.address); // the dump really covers the tables
    for (const form of canaryForms(canary)) expect(dump, form).not.toContain(form);
    // And the data is all there, readable through the mailbox key.
    const listed = await getDb().message.findMany({ where: scope, orderBy: { id: "asc" } });
    const dto = await getMessageDto({ ...scope, id: listed[0].id });
    expect(dto.subject).toBe(`Subject ${canary}`);
    expect(dto.text).toContain(canary);
  });

  it("ciphertext copied to another row, field or mailbox fails to decrypt", async () => {
    const world = await createTestWorld();
    const other = await createTestMailbox(world.tenant.id);
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const a = (await storeInboundMessage({ ...scope, content: testContent({ subject: "A" }) })).message;
    const b = (await storeInboundMessage({ ...scope, content: testContent({ subject: "B" }) })).message;
    const c = (await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: other.id, content: testContent({ subject: "C" }) })).message;
    const db = getDb();

    await db.message.update({ where: { id: b.id }, data: { metaCipher: a.metaCipher } });
    await expect(getMessageDto({ ...scope, id: b.id })).rejects.toThrow(DecryptionError);

    await db.message.update({ where: { id: b.id }, data: { metaCipher: b.bodyCipher } });
    await expect(getMessageDto({ ...scope, id: b.id })).rejects.toThrow(DecryptionError);

    await db.message.update({ where: { id: c.id }, data: { metaCipher: a.metaCipher, bodyCipher: a.bodyCipher } });
    await expect(getMessageDto({ tenantId: world.tenant.id, mailboxId: other.id, id: c.id })).rejects.toThrow(DecryptionError);

    // Untouched rows still read.
    expect((await getMessageDto({ ...scope, id: a.id })).subject).toBe("A");
  });

  it("deleting a mailbox shreds its data keys with the delete, then purges its rows", async () => {
    const world = await createTestWorld();
    const keep = await createTestMailbox(world.tenant.id);
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const stored = (
      await storeInboundMessage({
        ...scope,
        content: testContent({ attachments: [{ filename: "a.txt", contentType: "text/plain", content: Buffer.from("a") }] }),
      })
    ).message;
    const kept = (await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: keep.id, content: testContent() })).message;
    const db = getDb();
    const saved = await db.message.findUniqueOrThrow({ where: { id: stored.id } });
    const savedAttachments = await db.attachment.findMany({ where: { messageId: stored.id } });

    await deleteMailbox({ ...scope, actor: TEST_ACTOR });

    expect(await db.mailboxDataKey.count({ where: scope })).toBe(0);
    for (const table of [db.message, db.attachment, db.thread] as const) {
      expect(await (table as typeof db.message).count({ where: scope })).toBe(0);
    }
    expect(await db.mailbox.count({ where: { id: world.mailbox.id } })).toBe(0);
    // Ciphertext that survived somewhere (a backup, a crashed purge) has no key left.
    await db.thread.create({ data: { id: saved.threadId, tenantId: saved.tenantId, mailboxId: saved.mailboxId } });
    await db.message.create({ data: { ...saved, labels: saved.labels, searchTokens: saved.searchTokens } });
    await db.attachment.createMany({ data: savedAttachments });
    await expect(getMailboxCipher(world.tenant.id, world.mailbox.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(getMessageDto({ ...scope, id: stored.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(getAttachment({ ...scope, messageId: stored.id, id: savedAttachments[0].id })).rejects.toMatchObject({ code: "not_found" });
    // The tenant's other mailbox is untouched.
    expect((await getMessageDto({ tenantId: world.tenant.id, mailboxId: keep.id, id: kept.id })).subject).toBe("Quarterly invoice");
  });
});

describe("data key versions", () => {
  it("starts a new DEK version when the budget is spent; older messages stay readable", async () => {
    const world = await createTestWorld();
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const old = (await storeInboundMessage({ ...scope, content: testContent({ subject: "before" }) })).message;
    await getDb().mailboxDataKey.updateMany({ where: scope, data: { encryptions: 2n ** 30n } });
    forgetMailboxCipher(scope.tenantId, scope.mailboxId);
    const fresh = (await storeInboundMessage({ ...scope, content: testContent({ subject: "after" }) })).message;
    const versions = await getDb().mailboxDataKey.findMany({ where: scope, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(Buffer.from(fresh.metaCipher).readUInt32BE(1)).toBe(2);
    expect(Buffer.from(old.metaCipher).readUInt32BE(1)).toBe(1);
    forgetMailboxCipher(scope.tenantId, scope.mailboxId);
    expect((await getMessageDto({ ...scope, id: old.id })).subject).toBe("before");
    expect((await getMessageDto({ ...scope, id: fresh.id })).subject).toBe("after");
    // The blind index keeps using the first version's key: old mail is still found by its Message-ID.
    const again = await storeInboundMessage({ ...scope, content: { ...testContent(), messageId: (await getMessageDto({ ...scope, id: old.id })).messageId } });
    expect(again.duplicate).toBe(true);
  });

  it("concurrent callers sharing one cached cipher never spend each other's reservation", async () => {
    const world = await createTestWorld();
    const cipher = await getMailboxCipher(world.tenant.id, world.mailbox.id);
    expect(await getMailboxCipher(world.tenant.id, world.mailbox.id)).toBe(cipher);
    // 30 requests reserve at once (the first ones wait for the database top-up), then each encrypts its share.
    await Promise.all(Array.from({ length: 30 }, () => cipher.reserve(3)));
    for (let caller = 0; caller < 30; caller++) {
      for (let k = 0; k < 3; k++) expect(() => cipher.encrypt(`row${caller}`, "f", "x")).not.toThrow();
    }
    // Exactly what was reserved was granted: one more encryption is refused loudly.
    expect(() => cipher.encrypt("row", "f", "x")).toThrow(/without a reservation/);
    const row = await getDb().mailboxDataKey.findFirstOrThrow({ where: { tenantId: world.tenant.id, mailboxId: world.mailbox.id } });
    expect(row.encryptions).toBeGreaterThanOrEqual(90n);
  });

  it("concurrent inbound stores to one mailbox all land, each once", async () => {
    const world = await createTestWorld();
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const attachments = [{ filename: "a.txt", contentType: "text/plain", content: Buffer.from("a") }];
    const contents = Array.from({ length: 20 }, (_, i) => testContent({ subject: `c${i}`, attachments }));
    // Each message twice, all at once: the unique index lets exactly one copy of each win.
    const results = await Promise.all([...contents, ...contents].map((content) => storeInboundMessage({ ...scope, content })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(20);
    expect(await getDb().message.count({ where: scope })).toBe(20);
    expect(await getDb().attachment.count({ where: scope })).toBe(20);
  });
});

describe("master-key rotate", () => {
  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, (l) => out.push(l), (l) => err.push(l));
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  async function expectAllReadable(messages: { tenantId: string; mailboxId: string; id: string; subject: string }[]) {
    for (const m of messages) {
      forgetMailboxCipher(m.tenantId, m.mailboxId);
      expect((await getMessageDto(m)).subject).toBe(m.subject);
    }
  }

  it("with the generated key file: writes a new key, re-wraps every DEK, replaces the file; everything stays readable", async () => {
    const stored: { tenantId: string; mailboxId: string; id: string; subject: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const world = await createTestWorld();
      const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
      const subject = `Rotate ${i}`;
      const m = await storeInboundMessage({ ...scope, content: testContent({ subject, attachments: [{ filename: "f", contentType: "text/plain", content: Buffer.from(`f${i}`) }] }) });
      stored.push({ ...scope, id: m.message.id, subject });
    }
    const dekCount = await getDb().mailboxDataKey.count();

    // The development setup: the current key lives in <data dir>/master.key.
    const dir = mkdtempSync(path.join(os.tmpdir(), "sairaph-mk-"));
    try {
      const oldKey = getEnv().SAIRAPH_MASTER_KEY;
      const keyFile = path.join(dir, "master.key");
      writeFileSync(keyFile, `${oldKey}\n`, { mode: 0o600 });
      overrideMasterKeySource({ kind: "file", dir });

      const result = await cli("master-key", "rotate", "--json");
      expect(result.err).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out)).toEqual({ rewrapped: dekCount });

      const newKey = readFileSync(keyFile, "utf8").trim();
      expect(newKey).not.toBe(oldKey);
      expect(Buffer.from(newKey, "base64")).toHaveLength(32);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(existsSync(path.join(dir, "master.key.next"))).toBe(false);
      const newId = masterKeyId(Buffer.from(newKey, "base64"));
      expect(await getDb().mailboxDataKey.count({ where: { masterKeyId: { not: newId } } })).toBe(0);
      await expectAllReadable(stored);
      const attachment = await getDb().attachment.findFirstOrThrow({ where: { messageId: stored[1].id } });
      expect((await getAttachment({ ...stored[1], messageId: stored[1].id, id: attachment.id })).data.toString()).toBe("f1");

      // The old key alone no longer unwraps anything.
      overrideMasterKeySource({ kind: "env", current: oldKey });
      forgetMailboxCipher(stored[0].tenantId, stored[0].mailboxId);
      await expect(getMessageDto(stored[0])).rejects.toThrow(/not configured/);

      // A rotation that crashed after writing master.key.next resumes with that key;
      // meanwhile a new mailbox is wrapped by the next key already.
      overrideMasterKeySource({ kind: "file", dir });
      const pending = randomBytes(32).toString("base64");
      writeFileSync(path.join(dir, "master.key.next"), `${pending}\n`, { mode: 0o600 });
      const during = await createTestWorld();
      const duringKey = await getDb().mailboxDataKey.findFirstOrThrow({ where: { mailboxId: during.mailbox.id } });
      expect(duringKey.masterKeyId).toBe(masterKeyId(Buffer.from(pending, "base64")));
      const resumed = await cli("master-key", "rotate", "--json");
      expect(JSON.parse(resumed.out)).toEqual({ rewrapped: dekCount });
      expect(readFileSync(keyFile, "utf8").trim()).toBe(pending);
      await expectAllReadable(stored);

      // With SAIRAPH_MASTER_KEY: the operator sets the new key and the previous one.
      const envKey = randomBytes(32).toString("base64");
      overrideMasterKeySource({ kind: "env", current: envKey, previous: pending });
      const envRotation = await cli("master-key", "rotate", "--json");
      expect(JSON.parse(envRotation.out)).toEqual({ rewrapped: dekCount + 1 });
      expect(JSON.parse((await cli("master-key", "rotate", "--json")).out)).toEqual({ rewrapped: 0 });
      // Then drops the previous key: everything still reads.
      overrideMasterKeySource({ kind: "env", current: envKey });
      await expectAllReadable(stored);

      // A DEK under a key that is not configured stops the rotation loudly.
      overrideMasterKeySource({ kind: "env", current: randomBytes(32).toString("base64") });
      const refused = await cli("master-key", "rotate");
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/not configured/);
    } finally {
      overrideMasterKeySource(undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
