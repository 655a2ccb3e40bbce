// A benchmark module default-exports a Benchmark. prepare() runs in the runner's
// process, whose environment points at the server's database and master key, so it
// can seed data with the app's own lib functions.
export type BenchTarget = {
  title: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  /** Spreads the load: each request takes the next of these (path, extra headers), round robin; `path` is the first. */
  rotate?: { path: string; headers?: Record<string, string> }[];
  /** Load that runs at full speed during the measured run (and its warm-up), not measured itself. */
  background?: Omit<BenchTarget, "title" | "background">;
  /** Builds every request afresh (unique ids, fresh signatures); the probe uses it too. */
  next?: () => { path?: string; headers?: Record<string, string>; body?: string | Buffer };
};

export type BenchResult = { title: string; rps: number };

export type Benchmark = {
  name: string;
  prepare(): Promise<BenchTarget[]>;
  /** Extra lines for the report (in-process measurements such as time spent decrypting); gets this benchmark's results. */
  report?(results: BenchResult[]): Promise<string[]>;
};
