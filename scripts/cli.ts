import { parseArgs, type ParseArgsOptionDescriptor } from "node:util";

/**
 * The npm scripts' command lines: node:util's parseArgs, plus `--help` (usage on stdout, exit 0) and a one-line
 * error for a bad flag or value (on stderr, exit 1) instead of parseArgs' stack trace. The usage text is made from
 * the same option list parseArgs reads, so flags and defaults are written once.
 */

/** A flag as parseArgs takes it, plus what --help says about it. */
export interface Flag extends ParseArgsOptionDescriptor {
  description: string;
  /** The value's name in the usage text, e.g. `N`; none for a boolean flag. */
  value?: string;
}

export interface Cli<O extends Record<string, Flag>> {
  /** The npm script, e.g. `load`: the error prefix and `npm run load -- --help`. */
  script: string;
  summary: string;
  options: O;
  /** The positional arguments in the usage line, e.g. `[FOLDER]`; none when the script takes none. */
  positionals?: string;
  /** Arguments of one example run; empty when the script is run without any. */
  example: string;
}

const HELP = { type: "boolean", short: "h", description: "show this text" } as const satisfies Flag;

export function usage<O extends Record<string, Flag>>(cli: Cli<O>): string {
  const command = `npm run ${cli.script} --`;
  const flags = Object.entries<Flag>({ ...cli.options, help: HELP }).map(([name, flag]) => {
    const label = `${flag.short ? `-${flag.short}, ` : ""}--${name}${flag.value ? ` ${flag.value}` : ""}`;
    const fallback = typeof flag.default === "string" ? ` (default: ${flag.default})` : "";
    return [label, flag.description + fallback] as const;
  });
  const width = Math.max(...flags.map(([label]) => label.length));
  return [
    `Usage: ${command} [flags]${cli.positionals ? ` ${cli.positionals}` : ""}`,
    "",
    cli.summary,
    "",
    "Flags:",
    ...flags.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
    "",
    "Example:",
    `  ${cli.example ? `${command} ${cli.example}` : `npm run ${cli.script}`}`,
    "",
  ].join("\n");
}

/** Prints the usage text and exits 0. */
export function printUsage<O extends Record<string, Flag>>(cli: Cli<O>): never {
  process.stdout.write(usage(cli));
  process.exit(0);
}

/**
 * parseArgs takes `--amount -5` for a flag followed by another flag ("argument is ambiguous"); a negative number after
 * a flag that takes a value is that value, so that the value's own check can say what is wrong with it.
 */
function withNegativeValues(options: Record<string, Flag>, args: string[]): string[] {
  const takesValue = new Set(
    Object.entries(options).flatMap(([name, flag]) => (flag.type === "string" ? [`--${name}`, ...(flag.short ? [`-${flag.short}`] : [])] : [])),
  );
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [arg, next] = [args[i]!, args[i + 1]];
    if (takesValue.has(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(arg.startsWith("--") ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** Parses process.argv, answering --help and bad flags itself; returns the values and a `fail` for bad values. */
export function parseCli<const O extends Record<string, Flag>>(cli: Cli<O>) {
  const fail = (message: string): never => {
    process.stderr.write(`${cli.script}: ${message} (see npm run ${cli.script} -- --help)\n`);
    process.exit(1);
  };
  const config = {
    args: withNegativeValues(cli.options, process.argv.slice(2)),
    options: { ...cli.options, help: HELP },
    allowPositionals: cli.positionals !== undefined,
  };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    // parseArgs' first sentence names the flag and the fault; the rest is advice about "--" and "=-" spelling.
    return fail(error instanceof Error ? error.message.split("\n")[0]!.split(/\.(?: |$)/)[0]! : String(error));
  }
  const { values, positionals } = parsed;
  const given = values as Record<string, string | boolean | undefined>;
  if (given.help) printUsage(cli);

  /** A string flag's value as a whole number of at least `min`. */
  const wholeNumber = (name: keyof O & string, min = 1): number => {
    const text = String(given[name]);
    const number = Number(text);
    return /^\d+$/.test(text) && Number.isSafeInteger(number) && number >= min
      ? number
      : fail(`--${name} must be a whole number of at least ${min}, not "${text}"`);
  };
  return { values, positionals, fail, wholeNumber };
}
