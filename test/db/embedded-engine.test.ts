import { describe, expect, it } from 'vitest';
import { openInMemory } from '../../src/db/embedded-database.js';
import { embeddedEngine } from '../../src/db/embedded-engine.js';

describe('the embedded engine', () => {
  it('is PGlite’s WebAssembly, compiled once per process and given to every PGlite it opens', async () => {
    const first = embeddedEngine();
    expect(embeddedEngine()).toBe(first);
    const module = await first;
    expect(WebAssembly.Module.exports(module).map((entry) => entry.name)).toContain('palloc0');
    const database = await openInMemory();
    try {
      await expect(database.ping()).resolves.toBeUndefined();
      expect(embeddedEngine()).toBe(first);
    } finally {
      await database.close();
    }
  }, 60_000);
});
