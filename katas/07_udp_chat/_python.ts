// Runs a Python fixture of the tests as a child, so that the harness can start,
// observe and clean it up like any program. SIGTERM ends the fixture and every
// process it forked.
//   node --import tsx _python.ts <script.py> <args...>
import { spawn } from "node:child_process";

const [script, ...args] = process.argv.slice(2);
// In a group of its own, so that one signal reaches the fixture's forked child too.
const child = spawn("python3", ["-u", script, ...args], { stdio: "inherit", detached: true });
child.on("error", (err) => {
  console.error(`cannot run python3: ${err.message}`);
  process.exitCode = 1;
});
child.on("exit", (code) => (process.exitCode = code ?? 1));
process.on("SIGTERM", () => {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
  process.exit(0);
});
