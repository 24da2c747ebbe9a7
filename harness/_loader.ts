// Chooses how Node runs a `.ts` file: natively where Node strips types by
// default (>= 22.18), through tsx's ESM loader on older Node.

/** The first Node version that runs `.ts` files with no flag. */
const NATIVE_TS = [22, 18] as const;

/** Whether the running Node strips TypeScript types by itself. */
export function nodeRunsTypeScript(version: string = process.versions.node): boolean {
  const [major, minor] = version.split(".").map(Number);
  return major > NATIVE_TS[0] || (major === NATIVE_TS[0] && minor >= NATIVE_TS[1]);
}

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
