import { z } from 'zod';

export const WEBHOOK_EVENTS = ['model.ready', 'model.activated', 'scoring.completed', 'prospects.tier_changed'] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENTS);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Endpoints per workspace. */
export const MAX_WEBHOOKS = 20;

export const CreateWebhookBody = z
  .object({
    url: z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      .max(2000)
      .meta({ example: 'https://hooks.example.com/lookalike' }),
    events: z
      .array(WebhookEventType)
      .min(1)
      // Each type once is all a webhook needs; repeats are merged, but a body of them is not read without end.
      .max(100)
      .transform((events) => [...new Set(events)])
      .meta({ example: ['scoring.completed', 'prospects.tier_changed'] }),
    description: z.string().trim().max(500).optional(),
  })
  .meta({ id: 'WebhookRequest' });
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const Webhook = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(WebhookEventType),
    description: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

export const CreatedWebhook = z.object({
  webhook: Webhook,
  secret: z.string().meta({
    description: 'Shown once: the Standard Webhooks signing secret (whsec_ + base64 key); store it now',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
});

export const DeliveryAttempt = z
  .object({
    attempt: z.number().int().meta({ description: '1 = the first try' }),
    statusCode: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when no response came" }),
    error: z.string().nullable(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDeliveryAttempt' });

export const Delivery = z
  .object({
    id: z.uuid(),
    event: z.object({ id: z.string().meta({ description: 'The webhook-id header: the same on every attempt' }), type: WebhookEventType }),
    status: z.enum(['pending', 'delivering', 'succeeded', 'failed']),
    attempts: z.array(DeliveryAttempt),
    nextAttemptAt: z.iso.datetime().nullable().meta({ description: 'When it is tried again (pending only)' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery' });
export type Delivery = z.infer<typeof Delivery>;

export const DeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
