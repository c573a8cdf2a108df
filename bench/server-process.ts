import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * Starts `bench/servers/<file>.ts` in its own process (production mode) and resolves
 * with the port it announced. (bench/run.ts has its own copy of this from before;
 * it can switch to this one.)
 */
export async function spawnServer(file: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), [`bench/servers/${file}.ts`], {
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, port };
}
