// Draws what the harness observed of a run as a chart for the terminal: one row
// a process, time across, so that join timing, zombies and adoption show at a glance.
import { styleText } from "node:util";
import { isLoaderHelper } from "./_loader.ts";
import { readableStderr } from "./checks.ts";
import { shortCommand } from "./cleanup.ts";
import type { RunResult } from "./run.ts";
import type { ProcessRecord } from "./tree.ts";

/** Output lines whose arrival a trace keeps. */
export const MAX_TRACE_LINES = 200;
/** Characters of an output line a trace keeps. */
export const MAX_LINE_CHARS = 200;
/** Readable stderr lines a trace keeps, from the end. */
export const STDERR_TAIL_LINES = 6;
/** A zombie is noted beside its row from this long on, in ms (shorter ones are routine). */
export const NOTABLE_ZOMBIE_MS = 50;
/** Columns of the bar when no width is given (into a pipe or a file, nothing limits it). */
const NATURAL_BAR = 72;
/** Below this many columns of bar, the notes move under the chart to leave the bar room. */
const MIN_BAR = 40;
const MAX_LABEL = 26;
const MAX_NOTE = 34;
const DEFAULT_MAX_ROWS = 24;
const PID_W = 6;
const PARENT_W = 11;
const GLYPH = { alive: "█", zombie: "▒", none: " ", adopted: "↑", stdout: "|", stderr: "!" };

/** What a chart needs of a run: a {@link RunResult} without the text, small enough for JSON. */
export interface RunTrace {
  /** The run's id (KATA_RUN). */
  runId: string;
  file: string;
  args: string[];
  pid: number;
  exitCode: number | null;
  signal: string | null;
  /** From spawn to the program's exit, in ms. */
  durationMs: number;
  timedOut: boolean;
  /** Whether its test ended it early (then timedOut is true, and deadlineMs is when). */
  expired?: boolean;
  /** The deadline that applied, in ms. */
  deadlineMs: number;
  /** Every process observed, the program first. */
  tree: ProcessRecord[];
  /** When each output line arrived, in ms, and its text clipped (the first MAX_TRACE_LINES). */
  output: { at: number; stream: "stdout" | "stderr"; text?: string }[];
  /** Whether the program printed more than the harness keeps. */
  outputTruncated: boolean;
  /** The last readable lines of its stderr (stack frames into Node left out). */
  stderrTail: string[];
}

/** Options of {@link drawTimeline}. */
export interface TimelineOptions {
  /**
   * Columns available, chart and labels together (a terminal's width). Without
   * it the chart takes its natural width, a bar of 72 columns.
   */
  width?: number;
  /** Colour the chart with util.styleText; default false. */
  color?: boolean;
  /** Rows drawn before the rest are summed up in one line; default 24. */
  maxRows?: number;
}

/** The trace of a finished run, for reports and charts. */
export function traceOf(r: RunResult): RunTrace {
  return {
    runId: r.runId, file: r.file, args: r.args, pid: r.pid, exitCode: r.exitCode,
    signal: r.signal, durationMs: r.durationMs, timedOut: r.timedOut, expired: r.expired, deadlineMs: r.deadlineMs, tree: r.tree,
    output: r.lines.slice(0, MAX_TRACE_LINES).map((l) => ({ at: l.at, stream: l.stream, text: l.text.slice(0, MAX_LINE_CHARS) })),
    outputTruncated: r.outputTruncated,
    stderrTail: readableStderr(r.stderr).slice(-STDERR_TAIL_LINES).map((l) => l.slice(0, 200)),
  };
}

/** The chart of a run: a header, a time axis, one row a process, an output row, a legend. */
export function drawTimeline(run: RunTrace | RunResult, options: TimelineOptions = {}): string {
  const trace = "output" in run ? run : traceOf(run);
  const color = (style: Style, text: string) => options.color ? styleText(style, text) : text;
  const paint = (cells: Cell[]) => runsOf(cells).map(([c, n]) => c === "none" ? " ".repeat(n) : color(COLORS[c], GLYPH[c].repeat(n))).join("");
  const all = inTreeOrder(trace.tree);
  const rows = all.slice(0, options.maxRows ?? DEFAULT_MAX_ROWS);
  const end = Math.max(trace.durationMs, 1, ...trace.tree.map(lastMoment));
  const labels = rows.map(({ record, depth }) => clip("  ".repeat(depth) + programName(record.argv), MAX_LABEL));
  const labelW = Math.max(7, ...labels.map((l) => l.length));
  const fullNotes = rows.map(({ record }) => noteOf(record, trace));
  const prefix = (pid: string, parent: string, label: string) =>
    `${pid.padStart(PID_W)} ${parent.padEnd(PARENT_W)} ${label.padEnd(labelW)} `;
  const { barW, notesBelow } = layout(options.width, prefix("", "", "").length + 3, fullNotes);
  // Into a pipe nothing limits the width: notes are whole.
  const notes = notesBelow ? fullNotes.map(() => "") : fullNotes.map((n) => options.width === undefined ? n : clip(n, MAX_NOTE));
  const step = end / barW;

  const out = [color("bold", `${programName(trace.tree[0]?.argv ?? [trace.file, ...trace.args])} · pid ${trace.pid} · ${endOf(trace)}`)];
  out.push(color("dim", prefix("pid", "parent", "process") + axis(end, barW)));
  rows.forEach(({ record }, i) => {
    const note = notes[i] ? ` ${notes[i]}` : "";
    out.push(`${prefix(String(record.pid), parentOf(record), labels[i])}│${paint(cellsOf(record, barW, step))}│${note}`);
  });
  if (all.length > rows.length) out.push(color("dim", `${prefix("", "", "")}… and ${all.length - rows.length} more processes`));
  out.push(`${prefix("", "", "output")}│${paint(outputCells(trace, barW, step))}│`);
  if (notesBelow) {
    const room = (options.width ?? Infinity) - prefix("", "", "").length;
    rows.forEach(({ record }, i) => fullNotes[i] && out.push(`${prefix(String(record.pid), "", "")}${clip(fullNotes[i], room)}`));
  }
  const legend = [`${GLYPH.alive} alive`, `${GLYPH.zombie} zombie (dead, not yet reaped)`, `${GLYPH.adopted} new parent`,
    `${GLYPH.stdout} output`, `${GLYPH.stderr} stderr`, `(a column is ${formatMs(step)})`];
  for (const line of wrap(legend, "  ", options.width ?? Infinity)) out.push(color("dim", line));
  return out.join("\n");
}

/**
 * The bar's width: what the given width leaves beside the labels and notes;
 * when that is too narrow, the notes go under the chart; without a width, the natural bar.
 */
function layout(width: number | undefined, fixed: number, notes: string[]): { barW: number; notesBelow: boolean } {
  if (width === undefined) return { barW: NATURAL_BAR, notesBelow: false };
  const noteW = Math.max(0, ...notes.map((n) => Math.min(n.length, MAX_NOTE)));
  const beside = width - fixed - noteW;
  if (beside >= MIN_BAR || noteW === 0) return { barW: Math.max(MIN_BAR / 2, beside), notesBelow: false };
  return { barW: Math.max(MIN_BAR / 2, width - fixed), notesBelow: true };
}

type Style = Parameters<typeof styleText>[0];
type Cell = "alive" | "zombie" | "none" | "adopted" | "stdout" | "stderr";
const COLORS: Record<Cell, Style> = {
  alive: "green", zombie: "yellow", none: "reset", adopted: "magenta", stdout: "cyan", stderr: "red",
};

/** Cells as runs of the same kind, so that each run is coloured once. */
function runsOf(cells: Cell[]): [Cell, number][] {
  const out: [Cell, number][] = [];
  for (const c of cells) {
    if (out.length > 0 && out[out.length - 1][0] === c) out[out.length - 1][1]++;
    else out.push([c, 1]);
  }
  return out;
}

/**
 * The processes a chart draws: all but the loader's helper (tsx's esbuild), which
 * the observer can catch between fork and exec, while it still looks like the program.
 */
export function chartedProcesses(tree: ProcessRecord[]): ProcessRecord[] {
  return tree.filter((r) => !isLoaderHelper(r.argv));
}

/** The charted processes in tree order: each under the parent it was first seen with, with its depth. */
export function inTreeOrder(all: ProcessRecord[]): { record: ProcessRecord; depth: number }[] {
  const tree = chartedProcesses(all);
  const pids = new Set(tree.map((r) => r.pid));
  const out: { record: ProcessRecord; depth: number }[] = [];
  const seen = new Set<ProcessRecord>();
  const visit = (r: ProcessRecord, depth: number) => {
    seen.add(r);
    out.push({ record: r, depth });
    for (const c of tree.filter((c) => c.ppid === r.pid && !seen.has(c)).sort(bySight)) visit(c, depth + 1);
  };
  for (const r of tree) if (!pids.has(r.ppid) && !seen.has(r)) visit(r, 0);
  return out;
}

function bySight(a: ProcessRecord, b: ProcessRecord): number {
  return a.firstSeen - b.firstSeen || a.pid - b.pid;
}

function cellsOf(r: ProcessRecord, width: number, step: number): Cell[] {
  const alive = r.lastAlive === undefined ? undefined : [r.firstSeen, r.lastAlive];
  const zombie = r.zombieFrom === undefined ? undefined : [r.zombieFrom, r.goneAt ?? r.zombieUntil ?? r.zombieFrom];
  const cells: Cell[] = [];
  for (let i = 0; i < width; i++) {
    const [from, to] = [i * step, (i + 1) * step];
    const a = overlap(alive, from, to);
    const z = overlap(zombie, from, to);
    cells.push(a === undefined && z === undefined ? "none" : (z ?? -1) > (a ?? -1) ? "zombie" : "alive");
  }
  for (const change of r.parents) cells[column(change.at, width, step)] = "adopted";
  return cells;
}

/** How much of [from, to) the span covers, or undefined when they do not meet. */
function overlap(span: number[] | undefined, from: number, to: number): number | undefined {
  if (!span || span[0] >= to || span[1] < from) return undefined;
  return Math.min(span[1], to) - Math.max(span[0], from);
}

function outputCells(trace: RunTrace, width: number, step: number): Cell[] {
  const cells: Cell[] = Array(width).fill("none");
  for (const line of trace.output) {
    const i = column(line.at, width, step);
    if (cells[i] !== "stderr") cells[i] = line.stream;
  }
  return cells;
}

function column(at: number, width: number, step: number): number {
  return Math.min(width - 1, Math.max(0, Math.floor(at / step)));
}

function axis(end: number, width: number): string {
  const left = "0 ms";
  const right = formatMs(end);
  const mid = formatMs(end / 2);
  const midAt = Math.floor(width / 2) - Math.floor(mid.length / 2);
  const line = Array.from({ length: width + 2 }, () => " ");
  const put = (at: number, text: string) => [...text].forEach((ch, i) => (line[at + i] = ch));
  put(1, left);
  if (midAt > left.length + 2 && midAt + mid.length < width - right.length) put(midAt + 1, mid);
  put(width + 1 - right.length, right);
  return line.join("");
}

function lastMoment(r: ProcessRecord): number {
  return Math.max(r.firstSeen, r.lastAlive ?? 0, r.zombieUntil ?? 0, r.goneAt ?? 0);
}

/** `task.ts forked` for a Node program (its loader's flags left out), the short command line otherwise. */
export function programName(argv: string[]): string {
  if (argv.length === 0) return "(seen only dead)";
  const words = shortCommand(argv).split(" ");
  return (words[0] === "node" && /\.[cm]?[jt]s$/.test(words[1] ?? "") ? words.slice(1) : words).join(" ");
}

function parentOf(r: ProcessRecord): string {
  return [r.ppid, ...r.parents.map((p) => p.ppid)].join("→");
}

function noteOf(r: ProcessRecord, trace: RunTrace): string {
  const notes: string[] = [];
  const zombieMs = r.zombieFrom === undefined ? 0 : (r.goneAt ?? r.zombieUntil ?? r.zombieFrom) - r.zombieFrom;
  if (zombieMs >= NOTABLE_ZOMBIE_MS) notes.push(`zombie ${formatMs(zombieMs)}`);
  for (const p of r.parents) notes.push(`adopted by ${p.ppid} at ${formatMs(p.at)}`);
  if (r.endedAt === undefined && r.pid !== trace.pid) notes.push("alive at the end");
  return notes.join(", ");
}

function endOf(trace: RunTrace): string {
  if (trace.expired) return `ended by its test at ${formatMs(trace.deadlineMs)}`;
  if (trace.timedOut) return `killed at its ${formatMs(trace.deadlineMs)} deadline`;
  if (trace.signal) return `killed by ${trace.signal} at ${formatMs(trace.durationMs)}`;
  return `exit ${trace.exitCode} at ${formatMs(trace.durationMs)}`;
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** `items` joined by `by`, in lines of at most `width` characters. */
function wrap(items: string[], by: string, width: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + by.length + item.length <= width) lines[lines.length - 1] = `${last}${by}${item}`;
    else lines.push(item);
  }
  return lines;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
