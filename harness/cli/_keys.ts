// The keys of watch mode, in one table: what each does, for the menu line, and
// how a key (from a terminal) or a line (from a pipe) is read as one of them.

/** What a key asks for. */
export type KeyAction = "next" | "hint" | "list" | "check" | "reset" | "solution" | "timeline" | "run" | "quit";

/** The keys, in the order the menu shows them. */
export const KEYS: { key: string; action: KeyAction; label: string }[] = [
  { key: "n", action: "next", label: "next kata" },
  { key: "h", action: "hint", label: "hint" },
  { key: "l", action: "list", label: "list" },
  { key: "c", action: "check", label: "check all" },
  { key: "x", action: "reset", label: "reset" },
  { key: "s", action: "solution", label: "solution" },
  { key: "t", action: "timeline", label: "timeline" },
  { key: "r", action: "run", label: "run again" },
  { key: "q", action: "quit", label: "quit" },
];

/** Ctrl-C and Ctrl-D, which quit from any mode. */
export const INTERRUPT_KEYS = new Set(["\u0003", "\u0004"]);

/** The menu line: "n next kata · h hint · …". */
export function menuLine(): string {
  return KEYS.map((k) => `${k.key} ${k.label}`).join(" · ");
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
