/**
 * TypeScript types of the API, generated from the OpenAPI document with openapi-typescript, as a client
 * generates them (`npm run openapi` writes them to openapi/schema.ts; the contract test uses them with
 * openapi-fetch and fails when they are stale).
 */
import openapiTS, { astToString } from 'openapi-typescript';

const HEADER = '// Generated from openapi/openapi.json by `npm run openapi` (openapi-typescript). Do not edit.\n';

export async function generateClientTypes(spec: string): Promise<string> {
  return HEADER + astToString(await openapiTS(JSON.parse(spec)));
}
