// Where the katas run, said in one line each: a platform whose processes the
// harness cannot see stops the commands that run tests (rather than every test
// failing with "saw no child process"); one it sees less well, a WSL clone on
// the Windows file system, and a Node that needs tsx each get a notice.
import { existsSync, readFileSync } from "node:fs";
import { nodeRunsTypeScript } from "../_loader.ts";
import { hasProc } from "../_proc.ts";

/** The facts the notices depend on (the machine's, or a test's). */
export interface PlatformFacts {
  platform: NodeJS.Platform;
  nodeVersion: string;
  hasProc: boolean;
  hasPs: boolean;
  /** The kernel's release string (WSL's says "microsoft"). */
  kernelRelease: string;
  /** The workspace's root folder. */
  root: string;
}

/** What to say about this platform. */
export interface PlatformNotes {
  /** Why the tests cannot run here at all; undefined where they can. */
  blocker?: string;
  /** One line each, said once before tests run. */
  notes: string[];
  /** Whether watch mode must poll for changes (no change events arrive here). */
  mustPoll: boolean;
}

/** The facts of this machine. */
export function machineFacts(root: string): PlatformFacts {
  let kernelRelease = "";
  try {
    kernelRelease = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  } catch {
    // Not Linux: nothing to read.
  }
  return {
    platform: process.platform,
    nodeVersion: process.versions.node,
    hasProc: hasProc(),
    hasPs: ["/bin/ps", "/usr/bin/ps"].some((p) => existsSync(p)),
    kernelRelease,
    root,
  };
}

/** What to tell the learner about where the katas run. */
export function platformNotes(facts: PlatformFacts): PlatformNotes {
  const notes: string[] = [];
  if (facts.platform === "win32" || (!facts.hasProc && !facts.hasPs)) {
    return {
      blocker: "The katas cannot run here: the harness watches a program's processes through /proc (Linux) " +
        "or ps (macOS), and this system has neither. Run them on Linux, on macOS, or on Windows inside WSL 2, " +
        "with the clone in the Linux file system (~/process-katas, not /mnt/c).",
      notes,
      mustPoll: false,
    };
  }
  if (!facts.hasProc) {
    notes.push("No /proc here: the harness samples processes with ps every 50 ms, so it can miss one that lives " +
      "less than that, and it knows start times only to the sample.");
  }
  const wslOnWindowsDisk = /microsoft|wsl/i.test(facts.kernelRelease) && /^\/mnt\/[a-z]\//.test(facts.root);
  if (wslOnWindowsDisk) {
    notes.push("This clone is on the Windows file system (/mnt/…), which sends WSL no change events: watch mode " +
      "polls instead. A clone inside Linux (~/) starts processes faster too.");
  }
  if (!nodeRunsTypeScript(facts.nodeVersion)) {
    notes.push(`Node ${facts.nodeVersion} runs the katas through tsx, which starts each process about four times ` +
      "slower; Node 24 or later runs them natively.");
  }
  return { notes, mustPoll: wslOnWindowsDisk };
}
