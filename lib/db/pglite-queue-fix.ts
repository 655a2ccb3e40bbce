// pglite-socket serves every connection from one PGlite session through a queue of
// protocol messages. Outside a transaction it interleaves messages of different
// connections one by one, so two concurrent extended-protocol queries (Parse, Bind,
// Execute, …, Sync) trample each other's unnamed statement ("unnamed prepared
// statement does not exist"), and any two concurrent parameterised queries can fail.
// This keeps a connection's batch together: once it sent Parse/Bind/Describe/Execute/
// Close/Flush, only its messages run until its Sync (or a simple Query).
import "server-only";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

type QueueItem = {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
};

type QueryQueue = {
  queue: QueueItem[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
};

// P, B, D, E, C, H: messages of an extended-protocol batch that Sync ('S') ends.
const BATCH_MESSAGES = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

export function keepProtocolBatchesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== "function") return;
  let openBatch: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.db.isInTransaction() && this.lastHandlerId ? this.lastHandlerId : openBatch;
        let item: QueueItem | undefined;
        if (owner !== null) {
          const index = this.queue.findIndex((q) => q.handlerId === owner);
          // The owner's next message has not arrived yet; its enqueue restarts processing.
          if (index === -1) break;
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          openBatch = null;
          item.reject(err);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        openBatch = BATCH_MESSAGES.has(item.message[0]) ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(queue);

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (openBatch === handlerId) {
      openBatch = null;
      void queue.processQueue();
    }
  };
}
