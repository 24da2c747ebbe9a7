// Finds the crashes in a run's stderr: each uncaught error Node printed (it
// ends such a report with a "Node.js v<version>" line) and each fatal error of
// V8 (out of memory), quoted in the few lines a learner needs to read; and
// the crashes that each Node process of a run notes itself, for children whose
// stderr nobody read.
import { readFileSync } from "node:fs";

/** A crash found in stderr. */
export interface Crash {
  /**
   * - `load`: Node could not load a file (a syntax error, a missing module);
   * - `uncaught`: an error nobody caught, thrown while running;
   * - `fatal`: V8 gave up (out of memory), and the process was aborted.
   */
  kind: "load" | "uncaught" | "fatal";
  /** The error's own line: `TypeError: x is not a function`, `FATAL ERROR: ...`. */
  headline: string;
  /** The lines to quote: where it happened, the error, its first frame in the program's code. */
  quote: string[];
  /** The program file it names (where it was thrown, or the file that could not be loaded), if any. */
  file?: string;
}

/** The line Node prints last after an uncaught error. */
const NODE_TRAILER = /^Node\.js v\d+\.\d+\.\d+/;
const FATAL = /^FATAL ERROR: .*/;
/** `TypeError: ...`, `Error [ERR_MODULE_NOT_FOUND]: ...`, `Error [TransformError]: ...`. */
const ERROR_LINE = /^(?:[A-Z][A-Za-z]*(?:Error|Exception)|Error)(?: \[[A-Za-z_]+\])?: /;
/** Errors that mean a file could not be loaded, when no frame of the program's own code is on the stack. */
const LOAD_ERROR = /SyntaxError|TransformError|ERR_MODULE_NOT_FOUND|Cannot find module|ERR_UNKNOWN_FILE_EXTENSION|ERR_UNSUPPORTED|ERR_IMPORT/;
const FRAME = /^\s+at /;
/** A stack frame into Node itself or a package, not the program's code. */
const FOREIGN_FRAME = /\(?(?:node:|file:\/\/\/.*\/node_modules\/|\/.*\/node_modules\/)|\(<anonymous>\)|^\s+at (?:new )?Promise|^\s+at async /;
/** Node's own lines around an error: where it re-threw it, and its caret. */
const NODE_NOISE = /^node:internal\/|triggerUncaughtException\(|^\s+throw (?:new )?\w|^\s*\^+\s*$/;
const MAX_QUOTE_LINES = 6;
/** Node's line above the source line it quotes: `/path/main.ts:3` or `file:///path/main.ts:3`. */
const LOCATION = /^(?:file:\/\/)?\/\S*:\d+$/;

/** Every crash Node reported in `stderr`, in order. */
export function crashesIn(stderr: string): Crash[] {
  const lines = stderr.split("\n");
  const crashes: Crash[] = [];
  let from = 0;
  for (let i = 0; i < lines.length; i++) {
    if (FATAL.test(lines[i])) {
      crashes.push({ kind: "fatal", headline: lines[i].trim(), quote: [lines[i].trim()] });
      from = i + 1;
    } else if (NODE_TRAILER.test(lines[i])) {
      const crash = parseBlock(lines.slice(from, i));
      if (crash) crashes.push(crash);
      from = i + 1;
    }
  }
  return crashes;
}

/** One uncaught error's report, from after the previous report to its "Node.js v" line. */
function parseBlock(block: string[]): Crash | undefined {
  const at = block.findIndex((l) => ERROR_LINE.test(l));
  if (at < 0) {
    // A thrown value that is not an Error: Node prints it as it is.
    const readable = block.filter((l) => l.trim() !== "" && !NODE_NOISE.test(l) && !FRAME.test(l) && !l.startsWith("(Use `node"));
    if (readable.length === 0) return undefined;
    return { kind: "uncaught", headline: `Uncaught ${readable.at(-1)!.trim()}`, quote: readable.slice(-MAX_QUOTE_LINES) };
  }
  const headline = block[at].trim();
  // Before the error: where it was thrown ("<file>:<line>"), the source lines and the caret.
  const from = block.slice(0, at).findIndex((l) => LOCATION.test(l));
  const where = from < 0 ? [] : block.slice(from, at).filter((l) => l.trim() !== "");
  // After it: the error's other lines (a compiler's message), up to the stack.
  const details: string[] = [];
  let i = at + 1;
  for (; i < block.length && !FRAME.test(block[i]) && block[i].trim() !== "" && !block[i].startsWith("  code:"); i++) {
    details.push(block[i]);
  }
  const frames = block.slice(i).filter((l) => FRAME.test(l));
  const own = frames.find((l) => !FOREIGN_FRAME.test(l));
  const text = [headline, ...details].join("\n");
  const kind = LOAD_ERROR.test(text) && own === undefined ? "load" : "uncaught";
  const quote = [...where.map((l) => l.replace(/\s+$/, "")), headline, ...details, ...(own ? [own.trim()] : [])];
  return { kind, headline, quote: quote.slice(0, MAX_QUOTE_LINES + where.length), file: fileNamed(text, where[0], own) };
}

/** The file a crash is about: the one that could not be found or parsed, else where it was thrown. */
function fileNamed(text: string, where: string | undefined, frame: string | undefined): string | undefined {
  const missing = /Cannot find module '([^']+)'/.exec(text)?.[1];
  const parsed = /^(\/[^:\s]+\.[cm]?[jt]s):\d+:\d+: ERROR/m.exec(text)?.[1];
  const thrown = where && /^(?:file:\/\/)?(\/[^:]+):\d+$/.exec(where)?.[1];
  const inFrame = frame && /(?:file:\/\/)?(\/[^:()]+):\d+:\d+\)?$/.exec(frame)?.[1];
  const path = missing ?? parsed ?? thrown ?? inFrame;
  return path?.replace(/^file:\/\//, "");
}

/** Lines of V8's and Node's own reports that only a Node developer reads. */
const V8_NOISE = [
  /^<--- (?:Last few GCs|JS stacktrace) --->$/,
  /^----- Native stack trace -----$/,
  /^\s*\d+: 0x[0-9a-f]+ /,
  /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /,
  /^Writing Node\.js report to file: /,
  /^Node\.js report completed$/,
];

/** Whether a stderr line is noise from V8 or Node's reports (GC traces, native frames). */
export function isV8Noise(line: string): boolean {
  return V8_NOISE.some((re) => re.test(line));
}

/** Names the file into which every Node process of a run notes the error that is about to end it. */
export const CRASH_FILE_VAR = "KATA_CRASH_FILE";
/** Stack lines kept of a noted crash. */
const NOTED_STACK_LINES = 12;

/**
 * What each Node process of a run loads first (through NODE_OPTIONS, which
 * children inherit): on an error nobody caught, it appends one JSON line to
 * the run's crash file, so that the crash of a child whose stderr went into a
 * pipe nobody read is known too. Plain JavaScript, in a data: URL: on Node 20
 * NODE_OPTIONS' preloads run before tsx, so it cannot be TypeScript. It only
 * watches (uncaughtExceptionMonitor): the process crashes as it would have.
 */
const HOOK = `
import { appendFileSync } from "node:fs";
process.on("uncaughtExceptionMonitor", (error, origin) => {
  if (origin === "uncaughtException" && process.listenerCount("uncaughtException") > 0) return;
  const file = process.env.${CRASH_FILE_VAR};
  if (!file) return;
  const stack = String((error && error.stack) || error).split("\\n").slice(0, ${NOTED_STACK_LINES});
  try {
    appendFileSync(file, JSON.stringify({ pid: process.pid, argv: process.argv, origin, stack }) + "\\n");
  } catch {}
});
`;

/** NODE_OPTIONS with the crash hook added to `existing` options (once: a nested run inherits it). */
export function withCrashHook(existing: string | undefined): string {
  const hook = `--import=data:text/javascript,${encodeURIComponent(HOOK.trim())}`;
  if (existing?.includes(hook)) return existing;
  return existing ? `${existing} ${hook}` : hook;
}

/** An error that ended a process of a run, as its crash hook noted it. */
export interface NotedCrash {
  pid: number;
  /** Its argv, as Node saw it (the program file second). */
  argv: string[];
  /** "uncaughtException" or "unhandledRejection". */
  origin: string;
  /** The error's stack (or its text), first lines. */
  stack: string[];
}

/** The crashes noted in a run's crash file. */
export function readNotedCrashes(path: string): NotedCrash[] {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter(Boolean).flatMap((line) => {
    try {
      return [JSON.parse(line) as NotedCrash];
    } catch {
      return []; // A line cut short as its process died.
    }
  });
}

/** A noted crash as a {@link Crash}, quoted as Node would have printed it. */
export function crashOfNoted(noted: NotedCrash): Crash | undefined {
  const lines = noted.stack;
  const at = lines.findIndex((l) => ERROR_LINE.test(l));
  if (at < 0) return parseBlock(lines);
  return parseBlock(lines.slice(at));
}
