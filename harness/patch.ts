// A kata's plausible mistake, kept as a unified diff against the reference
// solution under a short header that a teacher reads first:
//
//   Mistake: the lock is given back before the new count is written.
//   Concept: a critical section covers the read, the work and the write.
//   Test: of two buyers after the only ticket, exactly one gets it
//   Lesson: critical section
//
// An optional `Loader: tsx` (or `native`) says the mistake shows only where
// Node loads .ts files that way: a race with module loading, for one.
//
//   --- a/buyer.ts
//   +++ b/buyer.ts
//   @@ -30,3 +30,3 @@
//   ...
//
// Applying is strict: every context and removed line must stand in the file as
// written (anywhere in it, so that unrelated edits above do not break the patch).

/** One mistake: what it is, what must catch it, and the change itself. */
export interface Mistake {
  /** The file's name without `.patch`. */
  name: string;
  /** The mistake in one sentence. */
  mistake: string;
  /** The concept it breaks. */
  concept: string;
  /** The test that must fail first against it. */
  test: string;
  /** A word or phrase the failing test's lesson must contain (case does not matter). */
  lesson: string;
  /** Where set, the loader under which the mistake shows ("tsx" or "native"); elsewhere it is not run. */
  loader?: "tsx" | "native";
  /** The changes, file by file. */
  files: FilePatch[];
}

/** The changes to one file. */
export interface FilePatch {
  /** The file's path relative to the program's folder. */
  path: string;
  hunks: Hunk[];
}

/** One hunk: where it starts in the old file, and its lines with their ` `, `-` or `+` mark. */
export interface Hunk {
  oldStart: number;
  lines: { op: " " | "-" | "+"; text: string }[];
  /** Whether the last line of the old or new side has no newline (`\ No newline at end of file`). */
  noNewlineOld: boolean;
  noNewlineNew: boolean;
}

const FIELDS = ["mistake", "concept", "test", "lesson"] as const;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** A patch that cannot be read or applied; the message says where and why. */
export class PatchError extends Error {
  override name = "PatchError";
}

/** Reads a mistake file's text; throws a {@link PatchError} naming what is missing or malformed. */
export function parseMistake(name: string, text: string): Mistake {
  const lines = text.split("\n");
  const diffAt = lines.findIndex((l) => l.startsWith("--- "));
  if (diffAt < 0) throw new PatchError(`${name}: no diff (a line starting with "--- a/<file>")`);
  const header: Record<string, string> = {};
  let last = "";
  for (const line of lines.slice(0, diffAt)) {
    const field = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (field) {
      last = field[1].toLowerCase();
      header[last] = field[2].trim();
    } else if (/^\s+\S/.test(line) && last) header[last] += ` ${line.trim()}`;
  }
  const missing = FIELDS.filter((f) => !header[f]);
  if (missing.length > 0) {
    throw new PatchError(`${name}: the header has no ${missing.map((f) => `"${f[0].toUpperCase()}${f.slice(1)}:"`).join(", ")}`);
  }
  const loader = header.loader;
  if (loader !== undefined && loader !== "tsx" && loader !== "native") {
    throw new PatchError(`${name}: "Loader:" must be tsx or native, not "${loader}"`);
  }
  return {
    name,
    ...(loader ? { loader } : {}),
    mistake: header.mistake,
    concept: header.concept,
    test: header.test,
    lesson: header.lesson,
    files: parseDiff(name, lines.slice(diffAt)),
  };
}

function parseDiff(name: string, all: string[]): FilePatch[] {
  const lines = all.at(-1) === "" ? all.slice(0, -1) : all;
  const files: FilePatch[] = [];
  let hunk: Hunk | undefined;
  let lastOp: " " | "-" | "+" = " ";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("--- ")) {
      const plus = lines[i + 1] ?? "";
      if (!plus.startsWith("+++ ")) throw new PatchError(`${name}: line ${i + 1} ("${line}") is not followed by "+++ "`);
      files.push({ path: stripPrefix(plus.slice(4)), hunks: [] });
      hunk = undefined;
      i++;
      continue;
    }
    const header = HUNK_HEADER.exec(line);
    if (header) {
      const file = files.at(-1);
      if (!file) throw new PatchError(`${name}: a hunk before any file`);
      hunk = { oldStart: Number(header[1]), lines: [], noNewlineOld: false, noNewlineNew: false };
      file.hunks.push(hunk);
      continue;
    }
    if (line.startsWith("\\")) {
      if (hunk && lastOp !== "+") hunk.noNewlineOld = true;
      if (hunk && lastOp !== "-") hunk.noNewlineNew = true;
      continue;
    }
    if (!hunk) {
      if (line.trim() === "" || line.startsWith("diff ") || line.startsWith("index ")) continue;
      throw new PatchError(`${name}: line ${i + 1} is outside any hunk: "${line}"`);
    }
    // An empty context line may have lost its space to an editor.
    const op = line[0] ?? " ";
    if (op !== " " && op !== "-" && op !== "+") {
      throw new PatchError(`${name}: line ${i + 1} is not a diff line: "${line}"`);
    }
    hunk.lines.push({ op, text: line.slice(1) });
    lastOp = op;
  }
  for (const f of files) {
    if (f.hunks.length === 0) throw new PatchError(`${name}: ${f.path} has no hunk`);
  }
  return files;
}

function stripPrefix(path: string): string {
  const clean = path.split("\t")[0].trim();
  return /^[ab]\//.test(clean) ? clean.slice(2) : clean;
}

/**
 * `text` with the hunks of `patch` applied, in order. Each hunk's old lines must
 * stand in the text exactly, at the line it names or the nearest place below or
 * above; otherwise a {@link PatchError} says which hunk no longer applies.
 */
export function applyFilePatch(text: string, patch: FilePatch, mistake = "patch"): string {
  const endsWithNewline = text.endsWith("\n");
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split("\n");
  let offset = 0;
  let newlineAtEnd = endsWithNewline;
  for (const [n, hunk] of patch.hunks.entries()) {
    const old = hunk.lines.filter((l) => l.op !== "+").map((l) => l.text);
    const fresh = hunk.lines.filter((l) => l.op !== "-").map((l) => l.text);
    const want = Math.max(0, hunk.oldStart - 1 + offset - (old.length === 0 ? -1 : 0));
    const at = nearestMatch(lines, old, want);
    if (at < 0) {
      const first = old.find((l) => l.trim() !== "") ?? "";
      throw new PatchError(`${mistake}: hunk ${n + 1} of ${patch.path} (at line ${hunk.oldStart}) no longer applies: ` +
        `its lines, starting "${first.trim()}", are not in the file as written. Remake the patch from the reference.`);
    }
    lines.splice(at, old.length, ...fresh);
    offset += fresh.length - old.length + (at - want);
    if (at + fresh.length >= lines.length) {
      if (hunk.noNewlineNew) newlineAtEnd = false;
      else if (hunk.noNewlineOld) newlineAtEnd = true;
    }
  }
  return lines.join("\n") + (newlineAtEnd ? "\n" : "");
}

/** Where `needle` stands in `lines`, searching out from `from`; -1 when nowhere. */
function nearestMatch(lines: string[], needle: string[], from: number): number {
  const fits = (at: number) => at >= 0 && at + needle.length <= lines.length && needle.every((l, i) => lines[at + i] === l);
  for (let d = 0; d <= lines.length; d++) {
    if (fits(from + d)) return from + d;
    if (d > 0 && fits(from - d)) return from - d;
  }
  return -1;
}
