// Where the learner works: the repository, or the folder KATA_ROOT names (one
// that holds katas/, solutions/ and the progress file, as the CLI's tests build).
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { allKatas, findKata, type Kata, ROOT, ROOT_VAR } from "../katas.ts";

/** The progress file's name, at the root (git-ignored). */
export const STATE_FILE_NAME = ".kata-state.json";

/** The learner's folder, its katas and its progress file. */
export interface Workspace {
  root: string;
  /** Every kata with a folder under katas/, in order. */
  katas: Kata[];
  stateFile: string;
}

/** The workspace the CLI works in. */
export function openWorkspace(root: string = process.env[ROOT_VAR] || ROOT): Workspace {
  const abs = resolve(root);
  if (!existsSync(join(abs, "katas"))) {
    throw new RangeError(`Cannot find the katas: ${join(abs, "katas")} does not exist.`);
  }
  // A table entry without a folder is a kata still being written: nothing to run yet.
  const katas = allKatas(abs).filter((k) => existsSync(k.learnerDir));
  return { root: abs, katas, stateFile: join(abs, STATE_FILE_NAME) };
}

/** The kata a learner named (number or name), or a RangeError listing the valid ones. */
export function pickKata(ws: Workspace, name: string): Kata {
  return findKata(name, ws.katas);
}

/** A path for messages: relative to the workspace's root. */
export function shown(ws: Workspace, path: string): string {
  return relative(ws.root, path);
}
