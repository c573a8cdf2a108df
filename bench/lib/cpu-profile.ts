import { readdir, readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that a share needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  /** Microseconds on the machine's monotonic clock, which `process.hrtime` reads too. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CallFrame {
  functionName: string;
  /** The source file's URL where the program's chunk has a source map (see {@link readMainThreadProfile}). */
  url: string;
  /** Where the function starts in `url` as the profile recorded it (0-based). */
  lineNumber: number;
  columnNumber: number;
}

/** Now on the clock a profile's timestamps use (CLOCK_MONOTONIC, microseconds), in any process. */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * The main thread's profile among those `node --cpu-prof --cpu-prof-dir=<directory>` wrote
 * there (each worker thread writes its own: CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile).
 */
export async function readMainThreadProfile(directory: string): Promise<CpuProfile> {
  const files = (await readdir(directory)).filter((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
  if (files.length !== 1) throw new Error(`expected one main-thread .cpuprofile in ${directory}, found ${files.length}`);
  const profile = JSON.parse(await readFile(path.join(directory, files[0]!), 'utf8')) as CpuProfile;
  await inSourceFiles(profile);
  return profile;
}

/**
 * The servers run compiled (./built-servers.ts): each function's frame names a chunk of the
 * bundle. Through the chunk's linked source map it names the source file the function came
 * from instead, which is what a part is told by (`src/http/router.ts`, a package's file).
 */
async function inSourceFiles(profile: CpuProfile): Promise<void> {
  const maps = new Map<string, Promise<SourceMap | undefined>>();
  const mapOf = (chunk: string) => {
    let map = maps.get(chunk);
    if (!map) {
      map = readFile(`${chunk}.map`, 'utf8').then(
        (text) => new SourceMap(JSON.parse(text)),
        () => undefined,
      );
      maps.set(chunk, map);
    }
    return map;
  };
  for (const { callFrame } of profile.nodes) {
    if (!callFrame.url.startsWith('file:') || !callFrame.url.endsWith('.js')) continue;
    const chunk = fileURLToPath(callFrame.url);
    const entry = (await mapOf(chunk))?.findEntry(callFrame.lineNumber, callFrame.columnNumber);
    if (entry && 'originalSource' in entry) callFrame.url = pathToFileURL(path.resolve(path.dirname(chunk), entry.originalSource)).href;
  }
}

const notBusy = new Set(['(idle)', '(program)']);

/**
 * The fraction of busy samples taken within `[from, to]` (monotonic microseconds) whose
 * stack holds a frame `isPart` accepts: what a part costs of a load, without the
 * process's start or warm-up. Busy: neither idle nor V8's unattributed "(program)";
 * garbage collection counts as busy but never as the part. Inclusive, so a function's
 * callees count as its own; a continuation after an `await` runs with its function at
 * the stack's root, so name the functions, not only their entry point.
 */
export function shareOfBusySamples(profile: CpuProfile, isPart: (frame: CallFrame) => boolean, window: { from: number; to: number }): number {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inPart = new Map<number, boolean>();
  const stackHasPart = (id: number): boolean => {
    const known = inPart.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const found = isPart(byId.get(id)!.callFrame) || (parent !== undefined && stackHasPart(parent));
    inPart.set(id, found);
    return found;
  };
  let time = profile.startTime;
  let busy = 0;
  let part = 0;
  profile.samples.forEach((id, index) => {
    time += profile.timeDeltas[index] ?? 0;
    if (time < window.from || time > window.to || notBusy.has(byId.get(id)!.callFrame.functionName)) return;
    busy += 1;
    if (stackHasPart(id)) part += 1;
  });
  if (busy === 0) throw new Error('the profile holds no busy samples within the window');
  return part / busy;
}
