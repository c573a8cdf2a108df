import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createSecretBox, generateKey, parseKeyList, SecretBoxError, type SecretBox } from './secret-box.js';

/**
 * The secret box for this server. Keys come from CATTLE_ENCRYPTION_KEY when set
 * (every instance of a scaled-out deployment must share them); otherwise a key is
 * generated on first start into `<DATA_DIR>/encryption.key` (mode 0600) and read
 * from there afterwards.
 *
 * Rotation: generate a new key, set CATTLE_ENCRYPTION_KEY to "new,old" on every
 * instance; values are re-sealed with the new key when next written, and the old
 * key can be dropped once none uses it.
 */
export async function loadSecretBox(config: Pick<Config, 'encryptionKeys' | 'dataDir' | 'databaseUrl'>, logger: Logger): Promise<SecretBox> {
  if (config.encryptionKeys) {
    try {
      return createSecretBox(parseKeyList(config.encryptionKeys));
    } catch (error) {
      throw new ConfigError(`CATTLE_ENCRYPTION_KEY: ${error instanceof SecretBoxError ? error.message : 'unreadable'}`);
    }
  }
  const keyFile = path.join(config.dataDir, 'encryption.key');
  const stored = await readFile(keyFile, 'utf8').catch(() => undefined);
  if (stored) return createSecretBox(parseKeyList(stored));
  if (config.databaseUrl) {
    logger.warn(
      'CATTLE_ENCRYPTION_KEY is not set: secrets are encrypted with a key generated in DATA_DIR; every instance sharing this database needs the same key',
    );
  }
  const key = generateKey();
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(keyFile, 0o600);
  return createSecretBox(parseKeyList(await readFile(keyFile, 'utf8')));
}
