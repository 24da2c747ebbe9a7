// Types of typescript.js (plain JavaScript, loaded before any .ts file).
export function nodeRunsTypeScript(version?: string): boolean;
export function enableCompileCache(env?: NodeJS.ProcessEnv): void;
export function enableTypeScript(): Promise<void>;
