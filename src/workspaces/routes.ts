import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { ADMIN_SECURITY, API_KEY_SECURITY, adminTokenHook } from '../http/auth.ts';
import type { AuthFailureBudget } from '../http/rate-limit.ts';
import { ErrorResponse } from '../http/errors.ts';
import { ApiKeyInfo, CreateApiKeyBody, CreateApiKeyResponse, CreateWorkspaceBody, CreateWorkspaceResponse } from './schema.ts';
import { listApiKeys } from './repository.ts';
import { createApiKey, createApiKeyForWorkspace, createWorkspace, revokeApiKey } from './service.ts';

/** Workspace creation: guarded by ADMIN_TOKEN, not by an API key. */
export function workspaceAdminRoutes(deps: { pool: pg.Pool; adminToken: string; authFailures?: AuthFailureBudget }): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onRequest', adminTokenHook(deps.adminToken, deps.authFailures));
    app.post('/v1/workspaces', {
      schema: {
        operationId: 'createWorkspace',
        tags: ['workspaces'],
        summary: 'Create a workspace and its first API key (admin token)',
        security: ADMIN_SECURITY,
        body: CreateWorkspaceBody,
        response: { 201: CreateWorkspaceResponse, 400: ErrorResponse, 401: ErrorResponse },
      },
      handler: async (request, reply) => reply.code(201).send(await createWorkspace(deps.pool, request.body.name)),
    });
    app.post('/v1/workspaces/:id/keys', {
      schema: {
        operationId: 'createWorkspaceApiKey',
        tags: ['workspaces'],
        summary: 'Issue an API key for a workspace (admin token), e.g. after its only key was revoked',
        security: ADMIN_SECURITY,
        params: z.object({ id: z.uuid() }),
        body: CreateApiKeyBody,
        response: { 201: CreateApiKeyResponse, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request, reply) => {
        const { key, apiKey } = await createApiKeyForWorkspace(deps.pool, request.params.id, request.body.name, request.body.scope);
        return reply.code(201).send({ key, apiKey });
      },
    });
  };
}

/** The calling workspace's own keys. */
export function apiKeyRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    const common = { tags: ['workspaces'], security: API_KEY_SECURITY };
    app.get('/v1/keys', {
      schema: {
        ...common,
        operationId: 'listApiKeys',
        summary: "List this workspace's API keys (never the keys themselves)",
        response: { 200: z.object({ data: z.array(ApiKeyInfo) }), 401: ErrorResponse },
      },
      handler: async (request) => ({ data: await listApiKeys(deps.pool, request.workspaceId) }),
    });
    app.post('/v1/keys', {
      schema: {
        ...common,
        operationId: 'createApiKey',
        summary: 'Create another API key for this workspace',
        body: CreateApiKeyBody,
        response: { 201: CreateApiKeyResponse, 400: ErrorResponse, 401: ErrorResponse },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await createApiKey(deps.pool, request.workspaceId, request.body.name, request.body.scope)),
    });
    app.delete('/v1/keys/:id', {
      schema: {
        ...common,
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key; requests with it fail from now on',
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ key: ApiKeyInfo }), 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request) => ({ key: await revokeApiKey(deps.pool, request.workspaceId, request.params.id) }),
    });
  };
}
