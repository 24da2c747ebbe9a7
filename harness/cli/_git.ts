// What the CLI asks git: which files a kata folder holds, and each file as the
// kata's authors last wrote it (its stub), whatever the learner has committed since.
// Whole commands run to the end and read back: what execa is for.
import { execaSync } from "execa";
import { relative } from "node:path";

/** Why git could not answer: no git, or not a checkout. */
export class NoGitError extends Error {
  override name = "NoGitError";
}

/** Runs git in `root`; its stdout, or a NoGitError when git is missing or `root` is no checkout. */
function git(root: string, args: string[]): Buffer {
  const r = execaSync("git", ["-C", root, "-c", "core.quotepath=off", ...args], {
    encoding: "buffer",
    stripFinalNewline: false,
    reject: false,
    stdin: "ignore",
    maxBuffer: 64 << 20,
  });
  if (r.failed) {
    const why = r.code === "ENOENT" ? "git is not installed" : `${root} is not a git checkout`;
    throw new NoGitError(why);
  }
  return Buffer.from(r.stdout);
}

/** The files git tracks in `dir` (paths relative to `root`); undefined without git. */
export function trackedFiles(root: string, dir: string): string[] | undefined {
  try {
    return git(root, ["ls-files", "-z", "--", relative(root, dir)]).toString("utf8").split("\0").filter(Boolean);
  } catch {
    return undefined;
  }
}

/** The learner's git identity (user.email), if set. */
function myEmail(root: string): string | undefined {
  try {
    return git(root, ["config", "user.email"]).toString("utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A file of a kata as its authors gave it. */
export interface Stub {
  /** Path relative to the root. */
  path: string;
  /** The commit that last changed it upstream (abbreviated). */
  commit: string;
  content: Buffer;
}

/**
 * Each file that ever was in `dir`, as of the newest commit that changed it and
 * was not written by the learner (an author other than git's user.email). So a
 * committed attempt is never taken for the stub, while a newer version of the
 * kata pulled from upstream is. A file only the learner ever committed has no
 * stub; nor does one whose newest upstream commit deleted it.
 */
export function stubsOf(root: string, dir: string): Stub[] {
  const mine = myEmail(root);
  const log = git(root, ["log", "--no-renames", "--format=@%h %ae", "--name-only", "--", relative(root, dir)])
    .toString("utf8");
  const newest = new Map<string, string>();
  let commit: string | undefined;
  for (const line of log.split("\n")) {
    if (line.startsWith("@")) {
      const [hash, email] = line.slice(1).split(" ");
      commit = email === mine ? undefined : hash;
    } else if (line && commit && !newest.has(line)) {
      newest.set(line, commit);
    }
  }
  return [...newest].flatMap(([path, hash]) => {
    try {
      return [{ path, commit: hash, content: git(root, ["show", `${hash}:${path}`]) }];
    } catch {
      return []; // deleted by that commit: no longer part of the kata
    }
  });
}
