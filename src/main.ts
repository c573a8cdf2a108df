import { ConfigError, loadConfig } from './config.js';
import { takeDataDirectory } from './db/data-dir.js';
import { embeddedEngine } from './db/embedded-engine.js';
import { firstLine } from './errors.js';
import { createLogger } from './logger.js';

/**
 * The process entry point: configuration, start-up banner, signals. Configuration
 * and start-up problems end the process with one clear line and exit code 1.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // DATA_DIR is taken (a new one copied from the start image: file work on the thread
  // pool) while this thread loads the rest of the server.
  const dataDirectory = config.databaseUrl ? undefined : takeDataDirectory(config.dataDir);
  // So is PGlite's WebAssembly compiled, on V8's threads.
  const engine = config.databaseUrl ? undefined : embeddedEngine();
  // Their failures are reported where the start awaits them, not as unhandled meanwhile.
  dataDirectory?.catch(() => undefined);
  engine?.catch(() => undefined);
  const starting = import('./app.js').then(({ startApp }) => startApp(config, logger, dataDirectory ? { dataDirectory } : {}));

  // Listening for the signals before anything is printed: a process manager (or a test)
  // that stops the server as soon as it sees the banner must not find the default
  // disposition, which ends the process at once, without closing anything. A signal
  // during start-up waits for the start to finish, then closes what it opened.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const started = await starting.catch(() => undefined);
    await started?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));

  const app = await starting;

  const lines = [
    '',
    `  Management API server is up (${app.database.location})`,
    `    GraphQL   ${app.url}/graphql`,
    `    GraphiQL  ${app.url}/graphql   (open in a browser)`,
    `    /v3       ${app.url}/v3`,
  ];
  if (app.bootstrap.generatedAdminPassword) {
    lines.push(
      '',
      `  First start: created user "admin" with password ${app.bootstrap.generatedAdminPassword}`,
      '  It is shown this once and never again; change it after logging in.',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `start-up failed: ${firstLine(error)}`;
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
});
