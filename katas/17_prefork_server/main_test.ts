// Tests of kata 17: one run of the prefork server, taken through its life by
// TCP clients on loopback: a crowd, a killed worker, a rolling restart on
// SIGHUP and a shutdown on SIGTERM. Judged on the replies and on what the
// kernel shows: which processes live, and which hold the listening socket.
import { assertFinished, assertNothingLeft, fail, kataSuite, ms, once } from "../../harness/mod.ts";
import { askHeld, clientWaves, describeTally, exchange, holdConnection, type HeldClient, release, startClientLoop } from "./_support/clients.ts";
import { holderOf, type Look, look, lookWhile, most, startServer, WORKERS, waitFor } from "./_support/server.ts";

const { test, program } = kataSuite(import.meta.url, { deadlineMs: 600_000 });
const server = once(() => startServer(program));

const CLIENTS = 200;
const PARALLEL = 20;
/** How long the workers may take to be up (each is a tsx process; a loaded machine starts them slowly). */
const UP_MS = 90_000;
/** How long a replacement, or a whole rolling restart, may take on a loaded machine. */
const REPLACE_MS = 90_000;
/** How long after the kill a replacement must at least have been forked. */
const NO_FORK_MS = 15_000;
const RESTART_MS = 240_000;
/** How long SIGTERM may take to close the listening socket, and then the server to end. */
const STOP_MS = 60_000;
/** Clients that run on after a change, to see the server serve again. */
const AFTER_CHANGE_MS = 1500;

/** The promise's value, or undefined if it takes longer than `ms` (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function pidList(pids: number[]): string {
  return pids.length === 0 ? "none" : pids.join(", ");
}

function failNotShared(port: number, l: Look, primary: number): never {
  fail(`The listening socket on port ${port} was held by ${pidList(l.holders)}` +
    (l.holders.length === 1 && l.holders[0] === primary ? " (the primary alone)" : "") +
    `, never by two workers at once; the workers were ${pidList(l.workers)}.`, {
    hint: "By default on Linux the primary keeps the socket, accepts every connection and passes it to a " +
      "worker over IPC (round-robin). Set cluster.schedulingPolicy = cluster.SCHED_NONE before the first fork: " +
      "the workers then share the listening socket, and the kernel hands each connection to one of them.",
  });
}

test(`${WORKERS} workers share one listening socket, and ${CLIENTS} clients are served by no more than ${WORKERS + 1} processes`, async () => {
  const s = await server();
  // The ready line follows a worker's listen(): with a shared socket, that worker holds it by now.
  const ready = look(s);
  if (!ready.workers.some((w) => ready.holders.includes(w))) failNotShared(s.port, ready, s.running.pid);
  const up = await waitFor(s, (l) =>
    l.workers.length >= WORKERS && l.workers.filter((w) => l.holders.includes(w)).length >= 2, UP_MS);
  const { value: tally, looks } = await lookWhile(s, clientWaves(s.port, CLIENTS, PARALLEL));
  looks.unshift(up.last);
  const sharing = most(looks, (l) => l.workers.filter((w) => l.holders.includes(w)).length);
  if (sharing.value < 2) failNotShared(s.port, up.last, s.running.pid);
  const crowd = most(looks, (l) => l.alive.length);
  console.log(`  (${CLIENTS} clients: ${describeTally(tally)}; at most ${crowd.value} processes alive, ` +
    `at most ${most(looks, (l) => l.holders.length).value} holding the listening socket)`);
  if (crowd.value > WORKERS + 1) {
    fail(`While ${CLIENTS} clients connected, ${crowd.value} processes of the server were alive at once ` +
      `(${pidList(crowd.look!.alive)}); a prefork server with ${WORKERS} workers has ${WORKERS + 1}.`, {
      hint: "The workers are started once, up front, and each serves many clients: no process per client.",
    });
  }
  const holding = most(looks, (l) => l.holders.length);
  if (holding.value > WORKERS + 1) {
    fail(`${holding.value} processes held the listening socket at once (${pidList(holding.look!.holders)}); ` +
      `the primary and ${WORKERS} workers are ${WORKERS + 1}.`);
  }
  if (tally.ok !== CLIENTS) {
    fail(`Of ${CLIENTS} clients, ${describeTally(tally)}; every one should get its words back shouted.`, {
      hint: "Keep worker.ts as given, and keep the workers alive while clients come.",
    });
  }
});

test("a worker killed with SIGKILL is replaced by one new worker, and no client is refused meanwhile", async () => {
  const s = await server();
  const before = look(s);
  const victim = before.workers.find((w) => before.holders.includes(w)) ?? before.workers[0];
  if (victim === undefined) fail("The server had no worker left to kill.");
  const loop = startClientLoop(s.port);
  const looks: Look[] = [before];
  process.kill(victim, "SIGKILL");
  const killedAt = s.running.now();
  const back = await waitFor(s, (l) => {
    const fresh = l.workers.filter((w) => !before.workers.includes(w) && l.holders.includes(w));
    // A replacement is forked the moment the death is noticed; none at all by now means none will come.
    const noFork = l.at - killedAt > NO_FORK_MS && l.workers.every((w) => before.workers.includes(w));
    return (!l.alive.includes(victim) && fresh.length >= 1) || noFork || loop.tally.refused > 0;
  }, REPLACE_MS, looks);
  const after = await lookWhile(s, new Promise((resolve) => setTimeout(resolve, AFTER_CHANGE_MS)));
  looks.push(...after.looks);
  const tally = await loop.stop();
  const fresh = back.last.workers.filter((w) => !before.workers.includes(w) && back.last.holders.includes(w));
  if (!back.held || fresh.length === 0) {
    fail(`The test killed worker ${victim} at ${ms(killedAt)}; ${ms(back.last.at - killedAt)} later no new worker ` +
      `held the listening socket (workers: ${pidList(back.last.workers)}).`, {
      hint: "Watch each worker's \"exit\": one that exits without having been disconnected " +
        "(worker.exitedAfterDisconnect is false) crashed, so fork a new one in its place.",
    });
  }
  const crowd = most(looks.filter((l) => l.at >= killedAt), (l) => l.workers.filter((w) => w !== victim).length);
  if (crowd.value > WORKERS) {
    fail(`After the test killed worker ${victim}, ${crowd.value} workers were alive at once ` +
      `(${pidList(crowd.look!.workers)}): more workers than ${WORKERS} for one that died.`, {
      hint: "One dead worker, one new one. A listener added on cluster for every worker forked (cluster.on " +
        "inside the function that forks) runs once for each of them: listen on the worker itself.",
    });
  }
  console.log(`  (a worker killed: ${describeTally(tally)})`);
  if (tally.refused > 0 || tally.ok === 0) {
    fail(`While worker ${victim} was killed and replaced, the clients saw: ${describeTally(tally)}.`, {
      hint: "The other workers, and the primary, still hold the listening socket: no client need ever be refused.",
    });
  }
});

test("SIGHUP restarts every worker one at a time: no client refused, no open connection cut, the primary stays", async () => {
  const s = await server();
  const before = look(s);
  const held: HeldClient = await holdConnection(s.port, "before the restart");
  const servedBy = holderOf(s, held.localPort);
  // Where the kernel does not say who serves it, the held client cannot be timed: it leaves at once.
  if (servedBy === undefined) await release(held);
  const loop = startClientLoop(s.port);
  const looks: Look[] = [before];
  s.running.kill("SIGHUP");
  const sentAt = s.running.now();
  let heldOutcome: string | undefined;
  const done = await waitFor(s, (l) => {
    // The held client's worker has stopped accepting (or is gone): the client
    // speaks once more and leaves, so that the worker can finish.
    if (heldOutcome === undefined && servedBy !== undefined && !l.holders.includes(servedBy)) {
      heldOutcome = "asking";
      askHeld(held, "during the restart").then((o) => {
        heldOutcome = o;
        return release(held);
      });
    }
    const fresh = l.workers.filter((w) => !before.workers.includes(w) && l.holders.includes(w));
    const restarted = before.workers.every((w) => !l.alive.includes(w)) && fresh.length >= WORKERS;
    // Refused clients fail the test anyway: no need to wait for the end.
    return (restarted || loop.tally.refused > 0) && heldOutcome !== "asking";
  }, RESTART_MS, looks);
  const after = await lookWhile(s, new Promise((resolve) => setTimeout(resolve, AFTER_CHANGE_MS)));
  looks.push(...after.looks);
  const tally = await loop.stop();
  await release(held);
  console.log(`  (rolling restart: ${describeTally(tally)})`);
  if (heldOutcome !== undefined && heldOutcome !== "ok") {
    fail(`A client connected to worker ${servedBy} before the restart ${heldOutcome === "cut" ? "was cut off" : "got no answer"} ` +
      "when it spoke again after that worker had stopped accepting.", {
      hint: "Stop an old worker with worker.disconnect(), not kill(): it stops accepting but finishes the " +
        "connections it has, and exits when the last one ends.",
    });
  }
  if (tally.refused > 0 || tally.cut > 0 || tally.timeout > 0) {
    fail(`During the rolling restart the clients saw: ${describeTally(tally)}.`, {
      hint: "Restart one worker at a time: fork the new one, wait for its \"listening\", and only then " +
        "disconnect an old one. While one worker still listens, the socket stays open and every client is served.",
    });
  }
  const crowd = most(looks, (l) => l.workers.length);
  if (crowd.value > WORKERS + 1) {
    fail(`During the restart ${crowd.value} workers were alive at once (${pidList(crowd.look!.workers)}); one at ` +
      `a time means at most ${WORKERS + 1}: the ${WORKERS} and the new one.`, {
      hint: "A worker you disconnected exits with worker.exitedAfterDisconnect set: do not replace it, the " +
        "restart already has. Replace only a worker that exits without being asked.",
    });
  }
  if (!done.held) {
    const left = before.workers.filter((w) => done.last.alive.includes(w));
    fail(`${ms(RESTART_MS)} after SIGHUP (sent at ${ms(sentAt)}), ` +
      (left.length > 0 ? `the old workers ${pidList(left)} were still alive` : "fewer than " +
        `${WORKERS} new workers held the listening socket (workers: ${pidList(done.last.workers)})`) + ".", {
      hint: "On SIGHUP, for each old worker: fork a new one, wait for its \"listening\", disconnect the old one " +
        "and wait for its exit.",
    });
  }
  if (!done.last.alive.includes(s.running.pid)) fail("The primary itself ended during the restart: only the workers restart.");
  const kept = before.workers.filter((w) => done.last.workers.includes(w));
  if (kept.length > 0) fail(`After the restart, workers ${pidList(kept)} were the same processes as before it.`);
});

test("SIGTERM stops accepting, lets open connections finish, then the server exits leaving nothing", async () => {
  const s = await server();
  const open = await Promise.all([1, 2, 3].map((i) => holdConnection(s.port, `open ${i}`)));
  s.running.kill("SIGTERM");
  const sentAt = s.running.now();
  let refused = false;
  while (!refused && s.running.now() - sentAt < STOP_MS) {
    refused = (await exchange(s.port, "after SIGTERM", 5000)) === "refused";
    if (!refused) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const answers = await Promise.all(open.map((c, i) => askHeld(c, `still open ${i + 1}`)));
  await Promise.all(open.map((c) => release(c)));
  const cut = answers.filter((a) => a !== "ok").length;
  if (cut > 0) {
    fail(`After SIGTERM, ${cut} of ${open.length} connections opened before it got no answer when they spoke again ` +
      `(${answers.join(", ")}).`, {
      hint: "Let open connections finish: disconnect each worker (it stops accepting, and ends when its last " +
        "client leaves) instead of killing the workers or exiting the primary at once; a worker whose primary " +
        "dies exits at once.",
    });
  }
  if (!refused) {
    s.running.kill("SIGKILL");
    await s.running.result;
    fail(`${ms(STOP_MS)} after SIGTERM the server still accepted new connections on port ${s.port}.`, {
      hint: "On SIGTERM, stop accepting: worker.disconnect() closes each worker's server, and the listening " +
        "socket closes when no worker holds it any more.",
    });
  }
  const ended = await within(s.running.result, STOP_MS);
  if (!ended) {
    const l = look(s);
    s.running.kill("SIGKILL");
    await s.running.result;
    fail(`Every client had left, yet ${ms(STOP_MS)} later the server was still running (alive: ${pidList(l.alive)}).`, {
      hint: "After SIGTERM start no new worker: a worker you disconnected is not a crash. The primary then ends " +
        "when its last worker has exited.",
    });
  }
  assertFinished(ended);
  assertNothingLeft(ended);
});

test.run();
