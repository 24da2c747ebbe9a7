// What observing a run costs: the CPU time the harness's own process spends on
// one sample of /proc (listing the processes, reading each one's stat), while
// it watches a small tree of sleeping processes, the shape of a kata's run.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { randomUUID } from "node:crypto";
import { makeRunGroup } from "../_cgroup.ts";
import { listPids } from "../_proc.ts";
import { observeTree, PROC_SAMPLE_MS } from "../tree.ts";

/** Sleeping children of the observed shell. */
export const OBSERVED_CHILDREN = 8;
const OBSERVE_MS = 3000;

export interface ObserverCost {
  /** CPU time of this process per sample, in µs (user and system). */
  cpuUsPerSample: number;
  /** Of which the kernel's, in µs. */
  systemUsPerSample: number;
  samples: number;
  /** Processes the observer followed. */
  observed: number;
  /** Processes on the machine (entries of /proc) when it ended. */
  onMachine: number;
  /** Whether the tree had a cgroup of its own, as a run has where Linux allows it. */
  cgroup: boolean;
}

/**
 * Observes a shell and its OBSERVED_CHILDREN sleeping children for a few
 * seconds, as a run is observed (in a cgroup of its own where Linux allows);
 * what each sample cost.
 */
export async function observerCost(): Promise<ObserverCost> {
  // The shell waits for its stdin to close before it starts its children, so that it is in its group by then.
  const script = `read x; for i in $(seq ${OBSERVED_CHILDREN}); do sleep ${OBSERVE_MS / 1000 + 2} & done; wait`;
  const child = spawn("sh", ["-c", script], { stdio: ["pipe", "ignore", "ignore"], detached: true });
  let group = makeRunGroup(`bench-${randomUUID()}`);
  if (group && !group.add(child.pid!)) {
    group.remove();
    group = undefined;
  }
  child.stdin.end("go\n");
  const t0 = performance.now();
  const tree = observeTree(child.pid!, {
    clock: () => performance.now() - t0, spawnedAt: 0, sampleMs: PROC_SAMPLE_MS,
    member: group && ((p) => group.has(p)), members: group && (() => group.procs()),
  });
  try {
    // Once the children are there, only the steady state is measured.
    while (tree.alive().length < OBSERVED_CHILDREN + 1 && performance.now() - t0 < OBSERVE_MS) await sleep(20);
    const samples0 = tree.info.samples;
    const cpu0 = process.cpuUsage();
    await sleep(OBSERVE_MS);
    const cpu = process.cpuUsage(cpu0);
    const samples = tree.info.samples - samples0;
    return {
      cpuUsPerSample: (cpu.user + cpu.system) / samples,
      systemUsPerSample: cpu.system / samples,
      samples,
      observed: tree.alive().length,
      onMachine: listPids().length,
      cgroup: group !== undefined,
    };
  } finally {
    tree.stop();
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
    group?.kill();
    // Killed processes take a moment to leave it.
    for (let i = 0; group && !group.remove() && i < 100; i++) await sleep(10);
  }
}
