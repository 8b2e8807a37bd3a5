import { z } from 'zod';
import { unstorableText } from '../accounts/normalise.ts';
import { IsoDateInput } from '../lib/schemas.ts';

/** Text the database can store: no NUL character, no unpaired surrogate. */
export const StoredText = z.string().check((ctx) => {
  const problem = unstorableText(ctx.value);
  if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

export const SIGNAL_TYPES = [
  'web_visit',
  'event_attended',
  'event_sponsored',
  'competitor_evaluation',
  'competitor_displaced',
  'topic_surge',
  'funding_round',
  'hiring_surge',
  'leadership_change',
] as const;
export const SignalType = z.enum(SIGNAL_TYPES);
export type SignalType = z.infer<typeof SignalType>;

export const MAX_SIGNALS_PER_REQUEST = 10_000;
/** The largest signal value: a funding amount in USD, as large as the largest revenue an account may have. */
export const MAX_SIGNAL_VALUE = 1e13;
/** The largest body POST /v1/signals reads: 10,000 signals of about 800 bytes. Larger ones are refused unread (413). */
export const MAX_SIGNALS_BODY_BYTES = 8 * 1024 * 1024;

export const SignalInput = z
  .object({
    domain: z.string().min(1).max(2048).meta({ example: 'acme.com' }),
    type: SignalType,
    occurredAt: IsoDateInput,
    // A count or an amount: never below zero (a negative visit count means nothing), never beyond what a funding round is.
    value: z.number().finite().nonnegative().max(MAX_SIGNAL_VALUE).nullish().meta({
      description: 'Strength, at least 0: page views, a surge score 0–100, or a funding amount in USD',
      example: 12,
    }),
    topic: StoredText.max(200).nullish().meta({ example: 'data warehouse' }),
    source: StoredText.max(200).nullish().meta({ example: 'bombora' }),
  })
  .meta({ id: 'SignalRecord' });
export type SignalInput = z.infer<typeof SignalInput>;

export const Signal = z
  .object({
    type: SignalType,
    occurredAt: z.iso.datetime(),
    value: z.number().nullable(),
    topic: z.string().nullable(),
    source: z.string().nullable(),
  })
  .meta({ id: 'Signal' });
export type Signal = z.infer<typeof Signal>;

export const UnknownDomain = z.object({ index: z.number().int(), domain: z.string() }).meta({ id: 'UnknownDomain' });

export const SignalsSummary = z.object({
  inserted: z.number().int(),
  duplicates: z.number().int().meta({ description: 'Signals already stored (same account, type, time, topic and source)' }),
  unknownDomains: z.array(UnknownDomain).meta({ description: 'Rows whose account is not in the universe; not stored' }),
});
