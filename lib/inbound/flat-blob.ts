// postal-mime collects every decoded MIME part as `new Blob(lines)`: one Uint8Array
// and one "\n" per line. Node 20 builds a native blob for each part, about 20 µs
// apiece and synchronously, so a 25 MB message of short lines froze the whole
// process for over a minute. FlatBlob joins the parts into one buffer first (the
// same bytes, the same type: an ordinary Blob), and withFlatBlob installs it as the
// global Blob only while a parse is running.
const NativeBlob = globalThis.Blob;

class FlatBlob extends NativeBlob {
  constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
    if (!parts || parts.length < 2 || parts.some((p) => p instanceof NativeBlob)) {
      super(parts, options);
      return;
    }
    // One pass to size, one to copy: no intermediate buffer per part.
    const list = parts as (string | ArrayBuffer | ArrayBufferView)[];
    let total = 0;
    for (const p of list) total += typeof p === "string" ? Buffer.byteLength(p) : p.byteLength;
    const joined = Buffer.allocUnsafe(total);
    let at = 0;
    for (const p of list) {
      if (typeof p === "string") at += joined.write(p, at);
      else {
        joined.set(p instanceof ArrayBuffer ? new Uint8Array(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
        at += p.byteLength;
      }
    }
    super([joined], options);
  }
}

let running = 0;

/** Runs `parse` with FlatBlob as the global Blob; concurrent parses share one installation. */
export async function withFlatBlob<T>(parse: () => Promise<T>): Promise<T> {
  if (running++ === 0) globalThis.Blob = FlatBlob;
  try {
    return await parse();
  } finally {
    if (--running === 0) globalThis.Blob = NativeBlob;
  }
}
