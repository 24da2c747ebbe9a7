// The keys of watch mode, in one table: what each does, for the key line, and
// how a key (from a terminal) or a line (from a pipe) is read as one of them.

/** What a key asks for. */
export type KeyAction = "next" | "hint" | "list" | "check" | "reset" | "solution" | "timeline" | "edit" | "run" | "quit";

/** The keys, in the order the key line shows them, each with what it does. */
export const KEYS: { key: string; action: KeyAction; label: string }[] = [
  { key: "n", action: "next", label: "next kata (once this one passes)" },
  { key: "h", action: "hint", label: "hint" },
  { key: "l", action: "list", label: "list the katas and pick one" },
  { key: "c", action: "check", label: "check every kata" },
  { key: "x", action: "reset", label: "reset this kata to its stub" },
  { key: "s", action: "solution", label: "reference solution" },
  { key: "t", action: "timeline", label: "timeline of every run" },
  { key: "e", action: "edit", label: "open in your editor" },
  { key: "r", action: "run", label: "run again" },
  { key: "q", action: "quit", label: "quit" },
];

/** Ctrl-C and Ctrl-D, which quit from any mode. */
export const INTERRUPT_KEYS = new Set(["\u0003", "\u0004"]);

/** Options of {@link menuLine}. */
export interface MenuOptions {
  /** Columns to wrap at; default 80. */
  width?: number;
  /** Keys to leave out (the editor's, without --edit-cmd). */
  without?: KeyAction[];
}

/** The key line, "n next kata (…) · h hint · …", wrapped to the width. */
export function menuLine(options: MenuOptions = {}): string {
  const width = options.width ?? 80;
  const items = KEYS.filter((k) => !options.without?.includes(k.action)).map((k) => `${k.key} ${k.label}`);
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 3 + item.length <= width) lines[lines.length - 1] = `${last} · ${item}`;
    else lines.push(item);
  }
  return lines.join("\n");
}

/**
 * The action a key or line asks for: its first character, in either case;
 * undefined for anything else (Enter alone among them).
 */
export function decodeKey(text: string): KeyAction | undefined {
  const key = text.slice(0, 1).toLowerCase();
  return KEYS.find((k) => k.key === key)?.action;
}

/** Whether a key or line answers yes to a question. */
export function isYes(text: string): boolean {
  return /^y(es)?$/i.test(text.trim());
}
