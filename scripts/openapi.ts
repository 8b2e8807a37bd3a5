// Regenerates openapi/openapi.json from the routes' zod schemas, and openapi/schema.ts, the types a client generates from it (`npm run openapi`).
import { writeFile } from 'node:fs/promises';
import { generateOpenApi } from '../src/openapi.ts';
import { generateClientTypes } from './client-types.ts';

const spec = await generateOpenApi();
for (const [file, text] of [
  ['openapi.json', spec],
  ['schema.ts', await generateClientTypes(spec)],
] as const) {
  const target = new URL(`../openapi/${file}`, import.meta.url);
  await writeFile(target, text);
  console.log(`wrote ${target.pathname}`);
}
