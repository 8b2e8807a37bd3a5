/**
 * A workspace's saved header mappings: `PUT /v1/imports/{import}/mapping` saves one, and the imports
 * of that kind sent without a `mapping` use it (headers the file lacks are skipped, so one mapping
 * serves every export of a CRM). Each import's module registers the routes of its kind, with its fields.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ApiError, ErrorResponse, notFound } from '../http/errors.ts';
import type { Queryable } from '../db/pool.ts';
import { deleteSavedMapping, type ImportKind, saveMapping, savedMapping } from './repository.ts';

const Mapping = z
  .record(z.string().max(500), z.string().nullable())
  .meta({ description: 'CSV header → field, or null to ignore the column' });
const SavedMapping = z.object({ mapping: Mapping, updatedAt: z.iso.datetime() }).meta({ id: 'SavedImportMapping' });

/**
 * The mapping an import uses: the one sent with it, else the workspace's saved one for its kind.
 * `skipMissing`: the saved mapping's headers that a file lacks are skipped (a sent mapping naming a
 * header the file lacks is a mistake the client hears about).
 */
export async function mappingFor<T extends string>(
  db: Queryable,
  workspaceId: string,
  kind: ImportKind,
  sent: Record<string, T | null> | undefined,
): Promise<{ mapping?: Record<string, T | null>; skipMissing?: boolean }> {
  if (sent !== undefined) return { mapping: sent };
  const saved = await savedMapping(db, workspaceId, kind);
  return saved === null ? {} : { mapping: saved.mapping as Record<string, T | null>, skipMissing: true };
}

/** GET, PUT and DELETE `/v1/imports/{kind}/mapping` for the import of `kind`, which fills `fields`. */
export function importMappingRoutes(kind: ImportKind, fields: readonly string[], deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  const name = kind[0].toUpperCase() + kind.slice(1);
  return async (app) => {
    const common = { tags: [kind], security: API_KEY_SECURITY };
    app.get(`/v1/imports/${kind}/mapping`, {
      schema: {
        ...common,
        operationId: `get${name}ImportMapping`,
        summary: `The workspace's saved header mapping for ${kind} imports`,
        response: { 200: SavedMapping, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request) => {
        const saved = await savedMapping(deps.pool, request.workspaceId, kind);
        if (saved === null) throw notFound(`A saved mapping for ${kind} imports`);
        return saved;
      },
    });
    app.put(`/v1/imports/${kind}/mapping`, {
      schema: {
        ...common,
        operationId: `save${name}ImportMapping`,
        summary: `Save a header mapping used by the ${kind} imports sent without one`,
        body: z.object({ mapping: Mapping }),
        response: { 200: SavedMapping, 400: ErrorResponse, 401: ErrorResponse },
      },
      handler: async (request) => {
        const wrong = Object.entries(request.body.mapping).filter(([, field]) => field !== null && !fields.includes(field));
        if (wrong.length > 0) {
          throw new ApiError(
            400,
            'invalid_mapping',
            `${wrong.map(([header, field]) => `${JSON.stringify(header)} → ${JSON.stringify(field)}`).join(', ')}: a ${kind} import fills ${fields.join(', ')} (or null to ignore a column)`,
          );
        }
        if (Object.keys(request.body.mapping).length > 500)
          throw new ApiError(400, 'invalid_mapping', 'A mapping names at most 500 headers');
        return saveMapping(deps.pool, request.workspaceId, kind, request.body.mapping);
      },
    });
    app.delete(`/v1/imports/${kind}/mapping`, {
      schema: {
        ...common,
        operationId: `delete${name}ImportMapping`,
        summary: `Forget the workspace's saved mapping for ${kind} imports`,
        response: { 204: z.undefined(), 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request, reply) => {
        if (!(await deleteSavedMapping(deps.pool, request.workspaceId, kind))) {
          throw notFound(`A saved mapping for ${kind} imports`);
        }
        return reply.code(204).send();
      },
    });
  };
}
