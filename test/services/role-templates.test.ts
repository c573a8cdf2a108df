import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRoleTemplates } from '../../src/auth/role-templates.js';
import { RoleTemplateService } from '../../src/services/role-templates.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';

describe.each(databaseTargets)('built-in role templates (seeded at every start) on $name', (target) => {
  let server: TestApp;
  let templates: RoleTemplateService;
  beforeAll(async () => {
    server = await startTestApp(target);
    templates = new RoleTemplateService(server.app.database.prisma);
  });
  afterAll(() => server?.close());

  const recordedChanges = () => server.app.database.prisma.change.count({ where: { type: 'RoleTemplate' } });

  it('reads once and writes nothing when every template is as the code declares it', async () => {
    const before = await recordedChanges();
    server.queries.length = 0;
    await templates.seed(server.app.database.read);
    expect(server.queries.filter((sql) => sql.includes('"RoleTemplate"'))).toEqual([expect.stringMatching(/^SELECT /)]);
    expect(await recordedChanges()).toBe(before);
  });

  it('restores a changed name or description, and creates a missing template', async () => {
    const [changed, removed] = builtinRoleTemplates.filter((template) => template.context === 'project');
    const prisma = server.app.database.prisma;
    await prisma.roleTemplate.update({ where: { id: changed!.id }, data: { name: 'Renamed', description: 'edited by hand' } });
    await prisma.roleTemplate.delete({ where: { id: removed!.id } });
    const before = await recordedChanges();
    await templates.seed(server.app.database.read);
    const rows = await prisma.roleTemplate.findMany({ where: { id: { in: [changed!.id, removed!.id] } }, orderBy: { id: 'asc' } });
    expect(rows.map(({ id, name, description, context, builtin }) => ({ id, name, description, context, builtin }))).toEqual(
      [changed!, removed!]
        .map(({ id, name, description, context }) => ({ id, name, description, context, builtin: true }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    // One update and one insert, nothing for the templates that were right.
    expect(await recordedChanges()).toBe(before + 2);
  });
});
