import type { PrismaClient } from '../db/database.js';
import { ClusterService } from './clusters.js';
import { NodeDriverService } from './node-drivers.js';
import { ProjectService } from './projects.js';
import { SettingService } from './settings.js';

/** The domain layer: one service per resource family, shared by every face. */
export interface Services {
  readonly clusters: ClusterService;
  readonly projects: ProjectService;
  readonly nodeDrivers: NodeDriverService;
  readonly settings: SettingService;
}

export function createServices(prisma: PrismaClient): Services {
  return {
    clusters: new ClusterService(prisma),
    projects: new ProjectService(prisma),
    nodeDrivers: new NodeDriverService(prisma),
    settings: new SettingService(prisma),
  };
}
