import { defaultCacheLifetimes } from './cache-lifetimes.js';
import type { PrismaClient, SqlRead } from '../db/database.js';
import { unstored } from '../db/start-reads.js';
import { builtinNodeDrivers } from '../drivers/builtin.js';
import { ApiError, invalidInput } from '../errors.js';
import type { NodeDriver, Prisma } from '../generated/prisma/client.js';
import { newId, withFreshId } from '../ids.js';
import { validateAllowListEntry } from '../proxy/allow-list.js';
import { definedFields, type MetadataInput } from './input.js';
import { ResourceStore, type PrismaQuery } from './resource-store.js';

export interface NodeDriverInput extends MetadataInput {
  name?: string | null;
  displayName?: string | null;
  description?: string | null;
  url?: string | null;
  checksum?: string | null;
  uiUrl?: string | null;
  whitelistDomains?: string[] | null;
  active?: boolean | null;
}

/** What may change on a built-in driver: it ships with the server, so only whether it is used, where it may reach and how it is described. */
const builtinUpdatable = new Set<keyof NodeDriverInput>(['active', 'whitelistDomains', 'displayName', 'description', 'uiUrl', 'labels', 'annotations']);

/**
 * Node drivers: the built-in ones seeded on first start (never removable), and
 * drivers added by URL. Activating one puts its domains on the meta proxy's allow list.
 */
export class NodeDriverService extends ResourceStore<NodeDriver, Prisma.NodeDriverWhereInput, Prisma.NodeDriverOrderByWithRelationInput> {
  // The proxy asks for the allow list on every call: like settings, it is read at most
  // every lifetimeMs, and again as soon as any instance's change is announced.
  private activeDomains: { domains: string[]; at: number } | undefined;

  constructor(
    prisma: PrismaClient,
    private readonly lifetimeMs = defaultCacheLifetimes.nodeDrivers,
  ) {
    super(prisma, 'nodeDriver', 'nodeDriver');
  }

  /** Creates missing built-in drivers; existing rows (and their active flags) are left as the admins set them. */
  async seedBuiltins(read: SqlRead): Promise<void> {
    // Most starts find them all (read as plain SQL: src/db/start-reads.ts).
    const missing = await unstored(read, 'NodeDriver', builtinNodeDrivers, (driver) => driver.name);
    if (missing.length === 0) return;
    // Another instance starting at the same time may create them first.
    await this.prisma.nodeDriver.createMany({
      data: missing.map((driver) => ({
        id: driver.name,
        name: driver.name,
        displayName: driver.displayName,
        url: driver.url,
        uiUrl: driver.uiUrl,
        builtin: true,
        active: driver.active,
        whitelistDomains: [...driver.whitelistDomains],
      })),
      skipDuplicates: true,
    });
  }

  /** The domains of every active driver, for the proxy's allow list. */
  async activeWhitelistDomains(): Promise<string[]> {
    const fresh = this.freshActiveWhitelistDomains();
    if (fresh) return fresh;
    const drivers = await this.prisma.nodeDriver.findMany({ where: { active: true }, select: { whitelistDomains: true } });
    const domains = drivers.flatMap((driver) => driver.whitelistDomains);
    this.activeDomains = { domains, at: Date.now() };
    return domains;
  }

  /** The active drivers' domains when the cache holds them and is fresh; undefined when they must be read. */
  freshActiveWhitelistDomains(): string[] | undefined {
    return this.activeDomains && Date.now() - this.activeDomains.at < this.lifetimeMs ? this.activeDomains.domains : undefined;
  }

  /** Forgets the cached allow list (a driver changed, here or on another instance). */
  forgetAllowList(): void {
    this.activeDomains = undefined;
  }

  /** Every write may change what the proxy admits. */
  private changed<T>(result: Promise<T>): Promise<T> {
    return result.finally(() => (this.activeDomains = undefined));
  }

  create(input: NodeDriverInput & { url: string }, creatorId: string | null, query: PrismaQuery = {}) {
    const name = input.name ?? driverNameFromUrl(input.url);
    checkDomains(input.whitelistDomains);
    return withFreshId(
      () => newId('nd'),
      // A driver has no relations to include: only the selection applies.
      (id) => this.changed(this.prisma.nodeDriver.create({ select: query.select, data: { ...definedFields(input), id, name, url: input.url, creatorId } })),
    );
  }

  /** Changes a driver within `scope`: one read (is it built in?) and the write. */
  async update(id: string, input: NodeDriverInput, query: PrismaQuery = {}, scope?: Prisma.NodeDriverWhereInput) {
    const driver = await this.get(id, { select: { builtin: true } }, scope);
    checkDomains(input.whitelistDomains);
    const changes = definedFields(input);
    const allowed = driver.builtin
      ? Object.fromEntries(Object.entries(changes).filter(([field]) => builtinUpdatable.has(field as keyof NodeDriverInput)))
      : changes;
    return this.changed(this.write(id, allowed, query));
  }

  async setActive(id: string, active: boolean, query: PrismaQuery = {}, scope?: Prisma.NodeDriverWhereInput) {
    const driver = await this.get(id, { select: { active: true } }, scope);
    if (driver.active === active) throw new ApiError('INVALID_STATE', `the driver is already ${active ? 'active' : 'inactive'}`);
    return this.changed(this.write(id, { active }, query));
  }

  /** Removes an added driver within `scope`; a built-in one is refused, not removed. */
  override async delete(id: string, query: PrismaQuery = {}, scope?: Prisma.NodeDriverWhereInput) {
    const driver = await this.get(id, { select: { builtin: true } }, scope);
    if (driver.builtin) throw new ApiError('METHOD_NOT_ALLOWED', 'built-in drivers cannot be removed; deactivate them instead');
    return this.changed(super.delete(id, query));
  }
}

/** Actions a driver offers in its state: the one that changes it. */
export function nodeDriverActions(driver: { active: boolean }): string[] {
  return [driver.active ? 'deactivate' : 'activate'];
}

/** `…/docker-machine-driver-foo[-v1.2][.tar.gz]` → `foo`, as Rancher names downloaded drivers. */
function driverNameFromUrl(url: string): string {
  const file = new URL(url).pathname.split('/').pop() ?? '';
  const name = /^docker-machine-driver-([a-z0-9]+)/i.exec(file)?.[1]?.toLowerCase();
  if (!name) throw invalidInput('name', 'name is required when the URL is not a docker-machine-driver-<name> file');
  return name;
}

function checkDomains(domains: readonly string[] | null | undefined): void {
  for (const domain of domains ?? []) validateAllowListEntry(domain, 'whitelistDomains');
}
