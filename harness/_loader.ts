// Chooses how Node runs a `.ts` file: natively where Node strips types by
// default (>= 22.18), through tsx's ESM loader on older Node.

// The rule lives in typescript.js, which the entry points load before any .ts.
import { nodeRunsTypeScript } from "./typescript.js";

export { nodeRunsTypeScript };

/** The loader in use, for messages and benchmarks. */
export function loaderName(): "native" | "tsx" {
  return nodeRunsTypeScript() ? "native" : "tsx";
}

/** Node arguments that run `file` as TypeScript; children it forks inherit them. */
export function nodeArgsFor(file: string): string[] {
  if (nodeRunsTypeScript()) return ["--disable-warning=ExperimentalWarning", file];
  return ["--import", import.meta.resolve("tsx"), file];
}

/**
 * Whether a process is the loader's own helper rather than the program's: tsx
 * starts an esbuild service beside every Node process it loads.
 */
export function isLoaderHelper(argv: string[]): boolean {
  const exe = argv[0] ?? "";
  return exe.endsWith("/esbuild") || exe === "esbuild";
}
