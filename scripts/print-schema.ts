// Writes schema.graphql: the GraphQL schema as SDL, sorted, for review in pull
// requests and as the input of codegen.ts (frontends never need a running server).
//
// Usage: npm run codegen   (prints the schema, then generates the typed hooks)
import { writeFile } from 'node:fs/promises';
import { printedSchema, schemaFile } from '../src/schema/print.js';

await writeFile(schemaFile, printedSchema());
console.log(`Wrote ${schemaFile}`);
