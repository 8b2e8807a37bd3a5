import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodApp } from '../http/zod-app.ts';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse, notFound } from '../http/errors.ts';
import { deleteWebhook, getWebhook, listDeliveries, listWebhooks } from './repository.ts';
import { CreatedWebhook, CreateWebhookBody, DeliveriesQuery, Delivery, Webhook } from './schema.ts';
import { createWebhook, type WebhookSettings } from './service.ts';

const SIGNING =
  'Each delivery is a POST of `{ type, timestamp, data }` signed per Standard Webhooks: headers `webhook-id` (the same on ' +
  'every retry), `webhook-timestamp` (Unix seconds) and `webhook-signature` = `v1,` + base64 HMAC-SHA256 of ' +
  '"{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64-decoded part of the secret after `whsec_`. ' +
  'A 2xx answer within 10 s is a success; anything else is retried after 10 s, 1 min, 5 min and 30 min (5 attempts).';

const common = { tags: ['webhooks'], security: API_KEY_SECURITY };
const IdParams = z.object({ id: z.uuid() });

export interface WebhookRouteDeps {
  pool: pg.Pool;
  settings: Pick<WebhookSettings, 'allowPrivate'>;
}

export function webhookRoutes(deps: WebhookRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    createRoute(app, deps);
    listRoute(app, deps);
    getRoute(app, deps);
    deleteRoute(app, deps);
    deliveriesRoute(app, deps);
  };
}

function createRoute(app: ZodApp, deps: WebhookRouteDeps): void {
  app.post('/v1/webhooks', {
    schema: {
      ...common,
      operationId: 'createWebhook',
      summary: 'Subscribe a URL to events (model.ready, model.activated, scoring.completed, prospects.tier_changed)',
      description:
        `${SIGNING} The secret is returned once, now. URLs on private, loopback or link-local addresses are refused ` +
        '(also when their host name resolves to one), unless the service runs with WEBHOOK_ALLOW_PRIVATE=true.',
      body: CreateWebhookBody,
      response: { 201: CreatedWebhook, 400: ErrorResponse, 401: ErrorResponse, 409: ErrorResponse },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await createWebhook(deps.pool, deps.settings, request.workspaceId, request.body)),
  });
}

function listRoute(app: ZodApp, deps: WebhookRouteDeps): void {
  app.get('/v1/webhooks', {
    schema: {
      ...common,
      operationId: 'listWebhooks',
      summary: 'The workspace’s webhooks (without their secrets)',
      response: { 200: z.object({ data: z.array(Webhook) }), 401: ErrorResponse },
    },
    handler: async (request) => ({ data: await listWebhooks(deps.pool, request.workspaceId) }),
  });
}

function getRoute(app: ZodApp, deps: WebhookRouteDeps): void {
  app.get('/v1/webhooks/:id', {
    schema: {
      ...common,
      operationId: 'getWebhook',
      summary: 'One webhook (without its secret)',
      params: IdParams,
      response: { 200: z.object({ webhook: Webhook }), 401: ErrorResponse, 404: ErrorResponse },
    },
    handler: async (request) => {
      const webhook = await getWebhook(deps.pool, request.workspaceId, request.params.id);
      if (!webhook) throw notFound(`Webhook ${request.params.id}`);
      return { webhook };
    },
  });
}

function deleteRoute(app: ZodApp, deps: WebhookRouteDeps): void {
  app.delete('/v1/webhooks/:id', {
    schema: {
      ...common,
      operationId: 'deleteWebhook',
      summary: 'Stop sending to this webhook (pending deliveries and its log go with it)',
      params: IdParams,
      response: { 204: z.undefined(), 401: ErrorResponse, 404: ErrorResponse },
    },
    handler: async (request, reply) => {
      if (!(await deleteWebhook(deps.pool, request.workspaceId, request.params.id))) throw notFound(`Webhook ${request.params.id}`);
      return reply.code(204).send();
    },
  });
}

function deliveriesRoute(app: ZodApp, deps: WebhookRouteDeps): void {
  app.get('/v1/webhooks/:id/deliveries', {
    schema: {
      ...common,
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log of a webhook: each event sent, every attempt with its status code or error, newest first',
      params: IdParams,
      querystring: DeliveriesQuery,
      response: { 200: z.object({ data: z.array(Delivery) }), 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
    },
    handler: async (request) => {
      const { workspaceId } = request;
      if (!(await getWebhook(deps.pool, workspaceId, request.params.id))) throw notFound(`Webhook ${request.params.id}`);
      return { data: await listDeliveries(deps.pool, workspaceId, request.params.id, request.query.limit) };
    },
  });
}
