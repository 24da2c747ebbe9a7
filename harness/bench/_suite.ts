// Runs the whole suite (the check, with the harness's self-tests) in a child
// process, as `npm test` does, and reads its verdict from its output.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { nodeArgsFor } from "../_loader.ts";
import type { CheckReport } from "../check/items.ts";

const CHECK = new URL("../check/mod.ts", import.meta.url).pathname;
const FAIL_LINE = /^FAIL (.+)$/;
const CLOSING_LINE = /^(\d+) passed, (\d+) failed$/;

/** Options of {@link runSuite}. */
export interface SuiteOptions {
  /** Run the harness's self-tests first, as `npm test` does (default true). */
  self?: boolean;
  /** Only these katas (numbers or names), as `--kata` of the check. */
  katas?: string[];
  /** Leave the mistakes out (`--skip-mistakes`): solutions and stubs only. */
  skipMistakes?: boolean;
  /** Extra environment variables for the check and everything it starts. */
  env?: Record<string, string>;
  /** Read back the check's report (`--report`): its costs and every mistake's outcome. */
  report?: boolean;
}

/** What a run of the suite produced. */
export interface SuiteResult {
  /** From spawn to exit, in ms. */
  durationMs: number;
  exitCode: number | null;
  /** The counts of the check's closing line; undefined if it never printed one (a crash). */
  passed?: number;
  failed?: number;
  /** Names of the items that failed, as the check printed them after `FAIL `. */
  failures: string[];
  /** Everything the check printed, stdout and stderr interleaved. */
  output: string;
  /** The check's report, when asked for and written (a crashed check writes none). */
  report?: CheckReport;
}

/** Runs the check (with `--self` unless told not to) and resolves when it has exited. */
export function runSuite(options: SuiteOptions = {}): Promise<SuiteResult> {
  const self = options.self === false ? [] : ["--self"];
  const dir = options.report ? mkdtempSync(join(tmpdir(), "kata-suite-")) : undefined;
  const reportFile = dir && join(dir, "report.json");
  const args = [
    ...self,
    ...(options.katas ?? []).flatMap((k) => ["--kata", k]),
    ...(options.skipMistakes ? ["--skip-mistakes"] : []),
    ...(reportFile ? ["--report", reportFile] : []),
  ];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgsFor(CHECK), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s));
  return new Promise((resolve, reject) => {
    child.on("error", (err) => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      reject(err);
    });
    child.on("close", (exitCode) => {
      let report: CheckReport | undefined;
      if (dir) {
        try {
          report = JSON.parse(readFileSync(reportFile!, "utf8")) as CheckReport;
        } catch {
          // No report: the check crashed before writing it.
        }
        rmSync(dir, { recursive: true, force: true });
      }
      const lines = output.split("\n");
      const closing = lines.map((l) => CLOSING_LINE.exec(l)).filter((m) => m !== null).at(-1);
      resolve({
        durationMs: performance.now() - t0,
        exitCode,
        passed: closing ? Number(closing[1]) : undefined,
        failed: closing ? Number(closing[2]) : undefined,
        failures: lines.flatMap((l) => FAIL_LINE.exec(l)?.[1] ?? []),
        output,
        report,
      });
    });
  });
}

/** The kata folder a failed item belongs to, `harness` for self-tests, `check` for the rest. */
export function groupOf(item: string): string {
  const kata = /^(\d\d_[a-z0-9_]+):/.exec(item);
  if (kata) return kata[1];
  return item.startsWith("harness/") ? "harness" : "check";
}
