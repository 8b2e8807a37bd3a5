// Regenerates openapi/openapi.json from the routes' zod schemas (`npm run openapi`).
import { writeFile } from 'node:fs/promises';
import { generateOpenApi } from '../src/openapi.ts';

const target = new URL('../openapi/openapi.json', import.meta.url);
await writeFile(target, await generateOpenApi());
console.log(`wrote ${target.pathname}`);
