import type { PrismaClient } from '../db/database.js';
import { ClusterService } from './clusters.js';
import { ProjectService } from './projects.js';

/** The domain layer: one service per resource family, shared by every face. */
export interface Services {
  readonly clusters: ClusterService;
  readonly projects: ProjectService;
}

export function createServices(prisma: PrismaClient): Services {
  return {
    clusters: new ClusterService(prisma),
    projects: new ProjectService(prisma),
  };
}
