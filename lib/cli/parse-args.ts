// Minimal argv parsing for the operator CLI: positional words, then --flags.
export type ParsedArgs = { words: string[]; flags: Map<string, string | true> };

export class CliError extends Error {}

export function parseArgs(argv: string[]): ParsedArgs {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) {
        flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        flags.set(arg.slice(2), argv[++i]);
      } else {
        flags.set(arg.slice(2), true);
      }
    } else {
      words.push(arg);
    }
  }
  return { words, flags };
}

export function stringFlag(args: ParsedArgs, name: string, required: true): string;
export function stringFlag(args: ParsedArgs, name: string, required?: false): string | undefined;
export function stringFlag(args: ParsedArgs, name: string, required = false): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new CliError(`--${name} needs a value`);
  if (value === undefined && required) throw new CliError(`--${name} is required`);
  return value;
}

const MAX_DURATION_MS = 36_500 * 86_400_000;

/** Durations like 90s, 12h, 30d, at most 100 years. */
export function parseDuration(value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (!match) throw new CliError(`"${value}" is not a duration (use e.g. 90s, 12h, 30d)`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
  const ms = Number(match[1]) * unit;
  if (ms <= 0) throw new CliError(`"${value}" must be longer than zero`);
  // Beyond this a date is no longer representable (99999999d was an invalid expiry date).
  if (ms > MAX_DURATION_MS) throw new CliError(`"${value}" is too long (at most 36500d)`);
  return ms;
}
