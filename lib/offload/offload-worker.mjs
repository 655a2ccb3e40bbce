// The offload worker (a worker thread, see lib/offload/offload-pool.ts): the CPU work of
// large mail, off the event loop, so a 25 MB send costs the event loop little more than
// reading its bytes and handing the ciphertext to PostgreSQL. Two jobs:
//   - "json": parse a large request body and decode its large attachment contents;
//   - "seal": AES-256-GCM-seal a large field, in the format of lib/crypto/aead.ts.
// It runs at a lower CPU priority than the event loop: large mail uses the CPU that
// small requests leave over.
//
// Plain JavaScript with Node's own modules only: it is loaded by path, not bundled.
import { createCipheriv, randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";

/** Attachment contents at least this long are decoded here; shorter ones by the schema. */
const DECODE_FROM = 64 * 1024;
const PLUS = 43;
const SLASH = 47;
const EQUALS = 61;

// Linux gives each thread its own nice value; elsewhere this thread keeps the process's.
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, workerData?.nice ?? 10);
} catch {
  // not Linux, or not allowed: the same priority as the event loop
}

/** Standard base64 with at most two trailing "=": one pass over the characters, no pattern. */
function isStandardBase64(s) {
  const n = s.length;
  if (n === 0 || n % 4 !== 0) return false;
  let end = n;
  if (s.charCodeAt(end - 1) === EQUALS) end -= 1;
  if (s.charCodeAt(end - 1) === EQUALS) end -= 1;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === PLUS || c === SLASH;
    if (!ok) return false;
  }
  return true;
}

/** A buffer over an ArrayBuffer of its own (not a slice of the shared pool), so it can be transferred. */
function owned(buf) {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) return buf;
  const copy = Buffer.from(new ArrayBuffer(buf.byteLength));
  buf.copy(copy);
  return copy;
}

function parseJson(bytes) {
  let body;
  try {
    body = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return { result: { ok: false }, transfer: [] };
  }
  // Decoded contents go back as transferred buffers; the body keeps null in their place.
  const decoded = [];
  const transfer = [];
  const attachments = body !== null && typeof body === "object" && !Array.isArray(body) ? body.attachments : undefined;
  if (Array.isArray(attachments)) {
    attachments.forEach((a, index) => {
      if (a === null || typeof a !== "object" || typeof a.content !== "string" || a.content.length < DECODE_FROM) return;
      if (!isStandardBase64(a.content)) return; // left as sent: the schema names the error
      const data = owned(Buffer.from(a.content, "base64"));
      decoded.push({ index, bytes: data.buffer, base64Length: a.content.length });
      transfer.push(data.buffer);
      a.content = null;
    });
  }
  return { result: { ok: true, body, decoded }, transfer };
}

// [version 1][keyVersion u32 BE][nonce 12][tag 16][ciphertext], as lib/crypto/aead.ts seal().
function seal({ key, keyVersion, aad, plaintext }) {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(key), nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const data = Buffer.from(plaintext);
  const out = Buffer.allocUnsafe(5 + 12 + 16 + data.length);
  out[0] = 1;
  out.writeUInt32BE(keyVersion, 1);
  nonce.copy(out, 5);
  let at = 33 + cipher.update(data).copy(out, 33);
  at += cipher.final().copy(out, at);
  cipher.getAuthTag().copy(out, 17);
  if (at !== out.length) throw new Error("AES-GCM changed the length");
  const own = owned(out);
  return { result: { ok: true, sealed: own.buffer }, transfer: [own.buffer] };
}

parentPort.on("message", (job) => {
  let answer;
  try {
    answer = job.kind === "seal" ? seal(job) : parseJson(job.bytes);
  } catch (err) {
    answer = { result: { ok: false, error: String(err?.message ?? err) }, transfer: [] };
  }
  parentPort.postMessage({ id: job.id, ...answer.result }, answer.transfer);
});
