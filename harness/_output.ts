// A run's output: every line of stdout and stderr, stamped on arrival, kept up
// to a limit (a program that floods is counted, not stored), and waited for.
import type { Readable } from "node:stream";

/** Output kept per run; past this, lines are counted but dropped. */
export const MAX_OUTPUT_LINES = 10_000;
export const MAX_OUTPUT_CHARS = 2_000_000;

/** One line of output, stamped when the harness received it. */
export interface OutputLine {
  stream: "stdout" | "stderr";
  text: string;
  /** ms since the run started. */
  at: number;
}

/** The output of a running program, as it arrives. */
export interface Output {
  /** Every line kept so far, in arrival order. */
  lines: OutputLine[];
  /** Each stream's kept text. */
  text: { stdout: string; stderr: string };
  /** Whether output past the limits was dropped. */
  truncated(): boolean;
  /** Resolves when both pipes have closed. */
  closed: Promise<void>;
  /** Calls `onLine` with every line that arrives from now on (kept or not); returns a function that stops it. */
  listen(onLine: (line: OutputLine) => void): () => void;
}

/** Collects the lines of `streams`, stamping each with `now()`. */
export function captureOutput(streams: { stdout: Readable; stderr: Readable }, now: () => number): Output {
  const lines: OutputLine[] = [];
  const chars = { stdout: 0, stderr: 0 };
  const text = { stdout: "", stderr: "" };
  const listeners = new Set<(line: OutputLine) => void>();
  let truncated = false;

  function add(stream: "stdout" | "stderr", line: string): void {
    const entry = { stream, text: line, at: now() };
    for (const listener of listeners) listener(entry);
    if (lines.length >= MAX_OUTPUT_LINES || chars[stream] + line.length > MAX_OUTPUT_CHARS) {
      truncated = true;
      return;
    }
    chars[stream] += line.length + 1;
    text[stream] += line + "\n";
    lines.push(entry);
  }

  function collect(stream: "stdout" | "stderr"): Promise<void> {
    const source = streams[stream];
    let partial = "";
    source.setEncoding("utf8");
    source.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const p of parts) add(stream, p);
    });
    return new Promise((resolve) => {
      source.on("close", () => {
        if (partial) add(stream, partial);
        resolve();
      });
    });
  }

  return {
    lines,
    text,
    truncated: () => truncated,
    closed: Promise.all([collect("stdout"), collect("stderr")]).then(() => {}),
    listen(onLine) {
      listeners.add(onLine);
      return () => listeners.delete(onLine);
    },
  };
}

/** Why no line matched: the pattern, when, and the last lines there were. */
export function noLineMessage(pattern: RegExp | string, when: string, lines: OutputLine[]): string {
  const tail = lines.slice(-5).map((l) => `  ${l.stream}: ${l.text}`).join("\n");
  return `The program printed no line matching ${String(pattern)} ${when}. ` +
    (tail ? `Its last lines:\n${tail}` : "It printed nothing.");
}
