import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port free right now on loopback (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface Launched {
  pid: number;
  /** Milliseconds from spawn to the first `/ping` answered 200. */
  readyMs: number;
  port: number;
  stop(): Promise<void>;
}

/**
 * Spawns a command in its own process group (npm → sh → node) and polls `/ping`
 * every 10 ms until it answers 200; `stop` signals the whole group.
 */
export async function launchUntilPing(command: string, args: string[], env: Record<string, string>, timeoutMs = 180_000): Promise<Launched> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const stop = async () => {
    if (exitCode === undefined) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${command} ${args.join(' ')} exited with ${exitCode} before answering /ping`);
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`${command} ${args.join(' ')}: no /ping within ${timeoutMs} ms`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/ping`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { pid: child.pid!, port, readyMs: performance.now() - started, stop };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
