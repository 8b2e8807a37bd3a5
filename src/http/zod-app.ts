import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The Fastify instance a route plugin gets, typed by the zod schemas of its routes: what a function registering one route takes. */
export type ZodApp = Parameters<FastifyPluginAsyncZod>[0];
