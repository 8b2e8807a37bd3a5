import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { findAccount } from '../accounts/repository.ts';
import { DomainParams, requireDomain } from '../accounts/routes.ts';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse, notFound } from '../http/errors.ts';
import { accountDetails, AccountDetails } from './service.ts';

/** `GET /v1/accounts/{domain}`: apart from the accounts routes, as it reads signals and outcomes too (which build on accounts). */
export function accountDetailsRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    const common = { tags: ['accounts'], security: API_KEY_SECURITY };

    app.get('/v1/accounts/:domain', {
      schema: {
        ...common,
        operationId: 'getAccount',
        summary: 'One account with its recent signals and its CRM outcome',
        params: DomainParams,
        response: { 200: AccountDetails, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request) => {
        const domain = requireDomain(request.params.domain);
        const row = await findAccount(deps.pool, request.workspaceId, domain);
        if (!row) throw notFound(`Account ${domain}`);
        return accountDetails(deps.pool, row);
      },
    });
  };
}
