import { readFile } from 'node:fs/promises';

/** Resident set size of a process in MB, from /proc (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resident set size of a process and all its descendants, in MB: a server started
 * through tsx runs in a child of the process that was spawned.
 */
export function treeRssMb(pid: number): Promise<number> {
  return sumOverTree(pid, (one) => rssMb(one));
}

/**
 * CPU time (user + system) a process and its descendants have used, in ms. Unlike wall
 * time it hardly depends on what else the machine runs: the measure to compare across
 * runs on a shared machine.
 */
export function treeCpuMs(pid: number): Promise<number> {
  return sumOverTree(pid, (one) => cpuMsOf(`/proc/${one}/stat`));
}

/**
 * CPU time (user + system) of a process's main thread alone, in ms: a Node server's
 * serving thread, without its garbage collector's and libuv's helper threads.
 */
export function mainThreadCpuMs(pid: number): Promise<number> {
  return cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
}

async function cpuMsOf(statPath: string): Promise<number> {
  // Fields 14 and 15 of a stat file, after the parenthesised command name.
  const fields = (await readFile(statPath, 'utf8')).replace(/^.*\) /s, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const clockTicksPerSecond = 100;

async function sumOverTree(pid: number, measure: (pid: number) => Promise<number>): Promise<number> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
  const own = await measure(pid).catch(() => 0);
  const descendants = await Promise.all(children.map((child) => sumOverTree(child, measure)));
  return descendants.reduce((sum, value) => sum + value, own);
}
