// Private helper of kata 10's tests: the seed's Python client (client.py), run
// against the server with a deadline, its output kept for a test to judge.
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REPLY_MS } from "./server.ts";

const PYTHON_CLIENT = fileURLToPath(new URL("./client.py", import.meta.url));
/** What the Python client sends, one message after another on one connection. */
export const PYTHON_MESSAGES = ["hello", "process per client"];
const LIMIT_MS = REPLY_MS + 3000;

/** What came of the Python client's run. */
export interface PythonOutcome {
  /** True where python3 is not installed (nothing was tried). */
  skipped: boolean;
  stdout: string;
  /** How it failed, in words; "" when it ended well. */
  error: string;
}

/** Runs client.py against the server on `port` with `messages`. */
export function runPythonClient(port: number, messages: string[]): Promise<PythonOutcome> {
  if (spawnSync("python3", ["--version"]).error) return Promise.resolve({ skipped: true, stdout: "", error: "" });
  return new Promise((resolve) => {
    execFile("python3", [PYTHON_CLIENT, String(port), ...messages], { timeout: LIMIT_MS, killSignal: "SIGKILL" },
      (err, stdout, stderr) => resolve({
        skipped: false,
        stdout,
        error: !err ? "" : err.killed
          ? `It was stopped after ${LIMIT_MS / 1000} s.`
          : `It ended with: ${stderr.trim().split("\n").at(-1) ?? err.message}`,
      }));
  });
}
