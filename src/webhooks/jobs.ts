/** Webhook delivery as a job: 'webhooks.deliver' (scheduled by scheduleDelivery in ./service.ts). */
import { z } from 'zod';
import type { JobHandlers } from '../jobs/queue.ts';
import { deliverDue, type WebhookSettings } from './service.ts';

/** Send the workspace's due webhook deliveries; it reschedules itself for retries. */
const WebhooksDeliver = z.object({});

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'webhooks.deliver': z.infer<typeof WebhooksDeliver>;
  }
}

export const webhookJobs = (settings: WebhookSettings): Pick<JobHandlers, 'webhooks.deliver'> => ({
  'webhooks.deliver': {
    payload: WebhooksDeliver,
    queue: 'webhooks',
    process: ({ pool, job, enqueue }) => deliverDue(pool, settings, job.workspaceId, enqueue),
  },
});
