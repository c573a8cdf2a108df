// Writes client/persisted-documents.json, the trusted-documents manifest (see
// persisted-documents-manifest.ts), so the server can run the client's operations by
// hash and, when told to, nothing else.
//
// Usage: npm run codegen   (after the hooks are generated)
import { writeFile } from 'node:fs/promises';
import { persistedDocuments, persistedDocumentsFile } from './persisted-documents-manifest.js';

await writeFile(persistedDocumentsFile, `${JSON.stringify(persistedDocuments(), null, 2)}\n`);
console.log(`Wrote ${persistedDocumentsFile}`);
