import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import SchemaBuilder from '@pothos/core';
import RelayPlugin, { resolveArrayConnection } from '@pothos/plugin-relay';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperationRunner } from '../../rest-compat/execute/run.js';
import { createV3Handler } from '../../rest-compat/handler.js';
import { deriveApiModel } from '../../rest-compat/schemas/derive.js';
import type { GraphQLServer } from '../../src/graphql/yoga.js';
import { createLogger } from '../../src/logger.js';
import type { TestApp } from '../helpers/app.js';
import { v3 } from './helpers.js';

/**
 * The generator's promise: a new GraphQL type appears in /v3 with no change to
 * rest-compat. This schema exists only in this test; rest-compat never heard of it.
 */
interface Widget {
  id: string;
  name: string;
  size: number;
  finish: 'matte' | 'gloss';
  polished: boolean;
}

function widgetSchema() {
  const widgets = new Map<string, Widget>();
  // @ts-expect-error -- the Prisma plugin's option types apply to every builder in the program; this one has no Prisma.
  const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({
    plugins: [RelayPlugin],
    defaultFieldNullability: false,
    relay: { encodeGlobalID: (_type, id) => String(id), decodeGlobalID: (id) => ({ typename: 'Widget', id }), clientMutationId: 'omit', cursorType: 'String' },
  });
  const Finish = builder.enumType('Finish', { values: ['matte', 'gloss'] as const });
  const WidgetRef = builder.node(builder.objectRef<Widget>('Widget'), {
    id: { resolve: (widget) => widget.id },
    loadOne: (id) => widgets.get(id) ?? null,
    fields: (t) => ({
      name: t.exposeString('name'),
      size: t.exposeInt('size'),
      finish: t.expose('finish', { type: Finish }),
      polished: t.exposeBoolean('polished'),
    }),
  });
  const CreateWidgetInput = builder.inputType('CreateWidgetInput', {
    fields: (t) => ({ name: t.string({ required: true }), size: t.int({ defaultValue: 1 }), finish: t.field({ type: Finish }) }),
  });
  builder.queryType({
    fields: (t) => ({
      widget: t.field({ type: WidgetRef, args: { id: t.arg.id({ required: true }) }, resolve: (_root, { id }) => widgets.get(id)! }),
      widgets: t.connection({ type: WidgetRef, resolve: (_root, args) => resolveArrayConnection({ args }, [...widgets.values()]) }),
    }),
  });
  builder.mutationType({
    fields: (t) => ({
      createWidget: t.field({
        type: WidgetRef,
        args: { input: t.arg({ type: CreateWidgetInput, required: true }) },
        resolve: (_root, { input }) => {
          const widget: Widget = { id: `w-${widgets.size + 1}`, name: input.name, size: input.size ?? 1, finish: input.finish ?? 'matte', polished: false };
          widgets.set(widget.id, widget);
          return widget;
        },
      }),
      polishWidget: t.field({
        type: WidgetRef,
        args: { id: t.arg.id({ required: true }) },
        resolve: (_root, { id }) => Object.assign(widgets.get(id)!, { polished: true }),
      }),
    }),
  });
  return builder.toSchema();
}

describe('a type rest-compat has never seen', () => {
  let server: Server;
  let client: TestApp;
  beforeAll(async () => {
    const schema = widgetSchema();
    const yoga = createYoga({ schema, logging: false }) as unknown as GraphQLServer;
    const handle = createV3Handler({ model: deriveApiModel(schema), schema, run: createOperationRunner(yoga), logger: createLogger('silent') });
    server = createServer((request, response) => void handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } as TestApp;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gets a schema with typed fields, methods and its action', async () => {
    const { body } = await v3(client, 'GET', '/v3/schemas/widget');
    expect(body).toMatchObject({
      id: 'widget',
      pluralName: 'widgets',
      resourceMethods: ['GET'],
      collectionMethods: ['GET', 'POST'],
      resourceActions: { polish: { output: 'widget' } },
      resourceFields: {
        name: { type: 'string', create: true, required: true },
        size: { type: 'int', create: true, default: 1 },
        finish: { type: 'enum', options: expect.arrayContaining(['matte', 'gloss']), create: true },
        polished: { type: 'boolean' },
      },
    });
  });

  it('is created, listed, read and acted on through /v3', async () => {
    const created = await v3(client, 'POST', '/v3/widgets', { name: 'sprocket', finish: 'gloss', polished: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'w-1', type: 'widget', name: 'sprocket', size: 1, finish: 'gloss', polished: false });
    expect(created.body.actions).toEqual({ polish: `${client.url}/v3/widgets/w-1?action=polish` });
    expect(created.body.links.update).toBeUndefined();

    const polished = await v3(client, 'POST', '/v3/widgets/w-1?action=polish');
    expect(polished.body).toMatchObject({ id: 'w-1', polished: true });
    const list = await v3(client, 'GET', '/v3/widgets');
    expect(list.body.data.map((widget: Widget) => widget.name)).toEqual(['sprocket']);
    expect((await v3(client, 'POST', '/v3/widgets', { name: 'x', finish: 'chrome' })).body).toMatchObject({
      status: 422,
      code: 'InvalidOption',
      fieldName: 'finish',
    });
    expect((await v3(client, 'PUT', '/v3/widgets/w-1', { name: 'y' })).status).toBe(405);
  });
});
