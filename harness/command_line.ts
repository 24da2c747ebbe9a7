// Command lines of the project's tools (check, bench, soak, mutation,
// new-kata): parseArgs, with --help, and a wrong option told in a line and
// the usage instead of a stack trace.
import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * Parses this process's arguments with `config`. With --help (or -h) prints
 * `usage` and exits 0; with an option it does not know, or one missing its
 * value, prints what was wrong and `usage` on stderr, and exits 2.
 */
export function parseCommandLine<T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  const end = args.indexOf("--");
  const own = end === -1 ? args : args.slice(0, end);
  if (own.includes("--help") || own.includes("-h")) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (err) {
    if (!String((err as { code?: unknown })?.code).startsWith("ERR_PARSE_ARGS")) throw err;
    console.error(`${(err as Error).message.split(". To specify")[0]}\n${usage}`);
    process.exit(2);
  }
}
