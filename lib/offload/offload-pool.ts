// The CPU work of large mail, off the event loop: a small pool of worker threads
// (lib/offload/offload-worker.mjs, at a lower CPU priority on Linux) that parse large
// request bodies, decode their attachments' base64 and seal large fields. Buffers move
// to and from the workers without a copy where they can (a body is handed over; a
// result is transferred back), so the event loop never holds a 25 MB JSON string,
// its parse, its base64 or its encryption.
import "server-only";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";

/** Worker threads: one per core beyond the event loop's, at least one, at most two. */
const WORKERS = Math.min(2, Math.max(1, availableParallelism() - 1));
/** The workers' nice value on Linux (the event loop keeps the process's, usually 0). */
const WORKER_NICE = 10;
/** A worker holds one large body's JSON text and parse at a time. */
const WORKER_HEAP_MB = 256;

export type OffloadedJson =
  | { ok: true; body: unknown; decoded: { index: number; bytes: Buffer; base64Length: number }[] }
  | { ok: false };

type Reply = {
  id: number;
  ok: boolean;
  error?: string;
  body?: unknown;
  decoded?: { index: number; bytes: ArrayBuffer; base64Length: number }[];
  sealed?: ArrayBuffer;
};
type Pending = { resolve: (r: Reply) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; pending: Map<number, Pending> };

const slots: (Slot | null)[] = Array.from({ length: WORKERS }, () => null);
let nextId = 1;
let nextSlot = 0;

function startWorker(index: number): Slot {
  const file = path.join(process.cwd(), "lib", "offload", "offload-worker.mjs");
  const worker = new Worker(file, { workerData: { nice: WORKER_NICE }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  worker.unref(); // an idle worker never keeps the process alive
  const slot: Slot = { worker, pending: new Map() };
  worker.on("message", (reply: Reply) => {
    const waiting = slot.pending.get(reply.id);
    if (!waiting) return;
    slot.pending.delete(reply.id);
    if (slot.pending.size === 0) worker.unref();
    waiting.resolve(reply);
  });
  // A worker that dies (out of memory on a hostile body) fails its jobs and is replaced on next use.
  const fail = (err: Error) => {
    if (slots[index] === slot) slots[index] = null;
    for (const waiting of slot.pending.values()) waiting.reject(err);
    slot.pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`The offload worker exited with code ${code}`)));
  return slot;
}

function run(job: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<Reply> {
  const index = nextSlot;
  nextSlot = (nextSlot + 1) % WORKERS;
  const slot = (slots[index] ??= startWorker(index));
  const id = nextId++;
  return new Promise<Reply>((resolve, reject) => {
    slot.pending.set(id, { resolve, reject });
    slot.worker.ref(); // while a job is in work, the worker keeps the process alive
    slot.worker.postMessage({ ...job, id }, transfer);
  });
}

/** An ArrayBuffer holding exactly `buf`'s bytes: its own when it has one (then handed over), else a copy. */
function ownBuffer(buf: Buffer): ArrayBuffer {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer) return buf.buffer;
  return copyToOwnBuffer(buf);
}

/** A copy of `buf`'s bytes in a new ArrayBuffer (Buffer.from would put a small one in the shared pool). */
function copyToOwnBuffer(buf: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return copy;
}

/**
 * Parses a whole request body and decodes its large attachment contents (`attachments[i].content`
 * of at least 64 KiB that is standard base64; the body has null in their place).
 * `bytes` is handed over: the caller must not use it afterwards.
 */
export async function parseJsonOffLoop(bytes: Buffer): Promise<OffloadedJson> {
  const buffer = ownBuffer(bytes);
  const reply = await run({ kind: "json", bytes: buffer }, [buffer]);
  if (!reply.ok) return { ok: false };
  const decoded = (reply.decoded ?? []).map((d) => ({ index: d.index, bytes: Buffer.from(d.bytes), base64Length: d.base64Length }));
  return { ok: true, body: reply.body, decoded };
}

/** Fields at least this large are sealed by a worker; smaller ones on the event loop, where it is cheaper. */
export const OFFLOAD_SEAL_BYTES = 256 * 1024;

/**
 * AES-256-GCM-seals `plaintext` in lib/crypto/aead.ts's format. The plaintext is copied
 * once and the copy moves to the worker (the caller keeps its own); the sealed bytes
 * come back without a copy.
 */
export async function sealOffLoop(input: { key: Buffer; keyVersion: number; aad: string; plaintext: Buffer }): Promise<Buffer> {
  const plaintext = copyToOwnBuffer(input.plaintext); // one copy, exactly the view's bytes
  const reply = await run({ kind: "seal", key: input.key, keyVersion: input.keyVersion, aad: input.aad, plaintext }, [plaintext]);
  if (!reply.ok || !reply.sealed) throw new Error(`Sealing off the event loop failed: ${reply.error ?? "no result"}`);
  return Buffer.from(reply.sealed);
}
