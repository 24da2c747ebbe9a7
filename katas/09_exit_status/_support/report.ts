// Private helpers of kata 09's tests: read main.ts's report lines and match
// each with the child the harness saw under that pid.
import {
  childrenOf,
  describeEnd,
  fail,
  ms,
  type OutputLine,
  type ProcessRecord,
  type RunningProgram,
  type RunResult,
  stderrTail,
} from "../../../harness/mod.ts";

/** One report line of main.ts: `<name>: pid <pid> alive=<bool> exitcode=<value>`. */
export interface Report {
  line: OutputLine;
  pid: number;
  /** As printed: "true", "false" (or whatever isAlive returned). */
  alive: string;
  /** As printed: "null", "-15", ... */
  exitcode: string;
}

const REPORT = /^(.+): pid (\d+) alive=(\S+) exitcode=(\S+)$/;

function parse(line: OutputLine): Report {
  const m = REPORT.exec(line.text)!;
  return { line, pid: Number(m[2]), alive: m[3], exitcode: m[4] };
}

const lineOf = (name: string) => new RegExp(`^${name}: pid \\d+ alive=\\S+ exitcode=\\S+$`);

/** The report `name` of a finished run, if main.ts printed it. */
export function findReport(r: RunResult, name: string): Report | undefined {
  const line = r.lines.find((l) => l.stream === "stdout" && lineOf(name).test(l.text));
  return line && parse(line);
}

/** The report `name` of a finished run; a lesson if main.ts never printed it. */
export function report(r: RunResult, name: string): Report {
  const found = findReport(r, name);
  if (found) return found;
  const tail = stderrTail(r);
  return fail(`main.ts never printed its "${name}: ..." line; it ${describeEnd(r)}.` +
    (tail ? ` The end of its stderr:\n${tail}` : ""));
}

/** Waits for the report `name` of a running main.ts; a lesson if it never comes. */
export async function reportOf(running: RunningProgram, name: string): Promise<Report> {
  try {
    return parse(await running.waitForLine(lineOf(name)));
  } catch (err) {
    return fail(`main.ts never printed its "${name}: ..." line. ${err instanceof Error ? err.message : err}`);
  }
}

/** The observed child of main.ts that a report names; a lesson if there is none. */
export function childOf(r: RunResult, rep: Report): ProcessRecord {
  const found = childrenOf(r, r.pid).find((p) => p.pid === rep.pid);
  if (found) return found;
  return fail(`main.ts printed "${rep.line.text}", but the harness saw no child of main.ts with pid ${rep.pid}.`);
}

/** Fails unless the report says exactly `alive` and `exitcode`. */
export function expectReport(rep: Report, alive: boolean, exitcode: number | null, hint: string): void {
  if (rep.alive === String(alive) && rep.exitcode === String(exitcode)) return;
  const name = rep.line.text.slice(0, rep.line.text.indexOf(":"));
  fail(`Expected "${name}: pid ${rep.pid} alive=${alive} exitcode=${exitcode}", but main.ts printed ` +
    `"${rep.line.text}".`, { hint });
}
