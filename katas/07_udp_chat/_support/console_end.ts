// Kills the server with SIGKILL while the console's stdin stays open, and
// watches whether the console ends too. The server runs under the harness's
// stdin holder, because the harness closes a program's stdin as soon as the program exits.
import { setTimeout as sleep } from "node:timers/promises";
import { fail, HELD_PROGRAM_ENDED, type KataProgram, startHoldingStdin } from "../../../harness/mod.ts";
import { expectLine, GRACE_MS, type Proc, START_MS } from "./procs.ts";

/** How long a console may outlive its killed server: exiting on 'disconnect' takes a few ms. */
export const CONSOLE_END_MS = 5000;

/** Fails unless the server's console ends within CONSOLE_END_MS of the server's SIGKILL. */
export async function consoleEndsWithServer(program: KataProgram): Promise<void> {
  const run = startHoldingStdin(program.path("server.ts"), ["127.0.0.1", "0"], { deadlineMs: 30_000, graceMs: GRACE_MS });
  const holder: Proc = { label: "the server", run, done: run.result };
  run.result.then((r) => (holder.result = r));
  try {
    const first = await expectLine(holder, new RegExp(`listening on \\S+:\\d+\\s*$|${HELD_PROGRAM_ENDED.source}`), START_MS,
      'The server prints "server: listening on <host>:<port>" once the console has sent its address.');
    if (HELD_PROGRAM_ENDED.test(first.text)) fail(`The server ended before its ready line (${first.text}).`);
    const records = run.tree.records();
    const server = records.find((p) => p.ppid === run.pid && p.argv.some((a) => a.endsWith("server.ts")));
    const admin = records.find((p) => p.ppid === server?.pid && p.argv.some((a) => a.endsWith("console.ts")));
    if (!server || !admin) return fail("Expected the server to have a child process running console.ts; it had none.");
    process.kill(server.pid, "SIGKILL");
    const killedAt = run.now();
    while (admin.endedAt === undefined && run.now() - killedAt < CONSOLE_END_MS) await sleep(20);
    if (admin.endedAt !== undefined) return;
    fail(`The server was killed with SIGKILL, and ${CONSOLE_END_MS / 1000} s later its admin console ` +
      `(pid ${admin.pid}) was still alive: an orphan reading stdin for a server that is gone.`, {
      hint: "A forked child's IPC channel closes when its parent ends, however it ends: " +
        "have the console exit on the process's 'disconnect' event.",
    });
  } finally {
    run.kill("SIGTERM");
    await run.result;
  }
}
