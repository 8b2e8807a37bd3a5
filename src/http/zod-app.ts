import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';

/** The Fastify instance a route plugin gets, typed by the zod schemas of its routes: what a function registering one route takes. */
export type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

/**
 * The zod validator, except that a request without a body is validated as `undefined`, not as the
 * `null` fastify passes: so a body whose fields are all optional (`.default({})`) needs none, as
 * `curl -X POST` without `-d` sends.
 */
export const bodyOptionalValidatorCompiler: FastifySchemaCompiler<$ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'body') return validate;
  return (data) => validate(data === null ? undefined : data);
};
