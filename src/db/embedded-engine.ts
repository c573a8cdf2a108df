import { readFile } from 'node:fs/promises';

/**
 * PGlite's WebAssembly (≈ 9 MB), compiled once per process. PGlite would read and
 * compile it only when it opens, after the server's modules have loaded; V8 compiles
 * WebAssembly on threads of its own, so a start that begins it first (main.ts does)
 * has it compiled while this thread loads the modules. Every PGlite this process
 * opens is given the same module.
 */
let compiling: Promise<WebAssembly.Module> | undefined;

export function embeddedEngine(): Promise<WebAssembly.Module> {
  compiling ??= readFile(new URL('pglite.wasm', import.meta.resolve('@electric-sql/pglite'))).then((bytes) => WebAssembly.compile(bytes));
  return compiling;
}
