import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A temporary directory for a bench server's embedded database, removed when the server's
 * process exits (the servers exit after closing on SIGTERM): a run of every group made
 * dozens of them, each tens of MB, and left them in the temporary directory.
 */
export async function scratchDirectory(prefix = 'cattle-graph-bench-'): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  return directory;
}
