import { isInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Every field the API lets callers filter or sort on (the `<Type>Filter` inputs of the
 * schema, which also define the sort fields) is the leading column of some index, so
 * no list request scans a table. New types are covered without touching this test.
 *
 * Label filters (`LabelFilter`, conditions per key of a JSON map) are the exception, on
 * purpose: they read a JSON path, which no B-tree index serves and a GIN index does not
 * either (it answers `@>`/`?`, not Prisma's `#>` path reads). They narrow the rows the
 * caller's visibility and the indexed conditions already selected, and are never a sort.
 */
describe('indexes behind every filter and sort', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  const filterInputs = Object.values(schema.getTypeMap()).filter((type) => isInputObjectType(type) && typeof type.extensions.prismaModel === 'string');

  it('finds the filter inputs', () => {
    expect(filterInputs.map((type) => type.name)).toEqual(expect.arrayContaining(['ClusterFilter', 'ProjectFilter']));
  });

  it('has an index leading with each filterable column', async () => {
    const rows = await server.app.database.prisma.$queryRaw<Array<{ table: string; definition: string }>>`
      SELECT tablename AS "table", indexdef AS "definition" FROM pg_indexes WHERE schemaname = current_schema()`;
    const leading = new Set(rows.map((row) => `${row.table}.${/\("?([^",)]+)"?/.exec(row.definition)?.[1]}`));
    const missing: string[] = [];
    for (const type of filterInputs) {
      if (!isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (isInputObjectType(field.type) && field.type.extensions.conditionsPerKey) continue;
        const column = `${String(type.extensions.prismaModel)}.${String(field.extensions.column)}`;
        if (!leading.has(column)) missing.push(`${type.name}.${field.name} → ${column}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
