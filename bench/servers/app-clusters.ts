// This product on the clusters-list fixture: PGlite in a temporary directory, or the
// PostgreSQL schema in BENCH_DATABASE_URL (which the peer and the limit then share).
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { announce } from './announce.js';
import { seedClusters } from './cluster-fixture.js';
import { scratchDirectory } from './scratch-directory.js';

const app = await startApp(
  {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir: await scratchDirectory(),
    logLevel: 'silent',
    bootstrapPassword: 'bench-password-123',
    ...(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {}),
  },
  createLogger('silent'),
);
await seedClusters(app.database.prisma);
announce(app.server);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
