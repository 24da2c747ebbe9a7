// What the learner types in watch mode: single keys from a terminal in raw mode,
// or, without a terminal (scripts, the CLI's own tests), one line at a time.
import { createInterface } from "node:readline";

/** One key (from a terminal) or one whole line (from a pipe). */
export interface Input {
  text: string;
  isLine: boolean;
}

/** A running reader of the learner's input. */
export interface InputReader {
  /** Whether input comes key by key from a terminal. */
  raw: boolean;
  close(): void;
}

/** Starts reading stdin and hands each key, or each line, to `onInput`. */
export function readInput(onInput: (input: Input) => void): InputReader {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    const onData = (chunk: string) => {
      // Arrow keys and the like arrive as escape sequences: not commands.
      if (chunk.length > 1 && chunk.startsWith("\x1b")) return;
      for (const ch of chunk) onInput({ text: ch, isLine: false });
    };
    stdin.on("data", onData);
    stdin.resume();
    return {
      raw: true,
      close() {
        stdin.off("data", onData);
        stdin.setRawMode(false);
        stdin.pause();
      },
    };
  }
  const lines = createInterface({ input: stdin });
  lines.on("line", (line) => onInput({ text: line.trim(), isLine: true }));
  return {
    raw: false,
    close() {
      lines.close();
      stdin.destroy();
    },
  };
}
