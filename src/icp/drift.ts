/**
 * ICP drift: how the profile behind the active model differs from the one behind the model before
 * it. Each model version stores the attribute analysis it was trained with (models.icp_profile,
 * written by the training job from computeIcpAttributes).
 */
import type { Queryable } from '../db/pool.ts';

/** The ICP profile a model version was trained with, as the model module stores it. */
export interface StoredProfile {
  id: string;
  version: number;
  profile: unknown;
}

/**
 * Where drift reads the profiles stored with model versions: the model module's, given by the
 * composition root (the model module builds on this one, so this one cannot import it).
 */
export interface ModelProfiles {
  active(db: Queryable, workspaceId: string): Promise<StoredProfile | null>;
  /** The newest ready version before `version`. */
  previous(db: Queryable, workspaceId: string, version: number): Promise<StoredProfile | null>;
}
import { IcpSnapshot, type IcpAttribute, type IcpDrift } from './schema.ts';

/** Strong in both snapshots, but the lift moved by at least this factor either way. */
const LIFT_CHANGE = 1.25;

type Change = IcpDrift['changes'][number];
const CHANGE_ORDER: Record<Change['change'], number> = { appeared: 0, disappeared: 1, rose: 2, fell: 3 };

interface ModelProfile {
  id: string;
  version: number;
  snapshot: IcpSnapshot | null;
}

function modelProfile(stored: StoredProfile | null): ModelProfile | null {
  if (!stored) return null;
  // A model trained before profiles were stored has none; treat an unreadable one the same way.
  const parsed = IcpSnapshot.safeParse(stored.profile);
  return { id: stored.id, version: stored.version, snapshot: parsed.success ? parsed.data : null };
}

function compareSnapshots(before: IcpSnapshot, after: IcpSnapshot): Change[] {
  const key = (a: IcpAttribute) => `${a.attribute}\u0000${a.value}`;
  const beforeByKey = new Map(before.attributes.map((a) => [key(a), a]));
  const afterByKey = new Map(after.attributes.map((a) => [key(a), a]));
  const changes: Change[] = [];
  const add = (a: IcpAttribute, change: Change['change'], old: IcpAttribute | undefined, now: IcpAttribute | undefined) =>
    changes.push({
      attribute: a.attribute,
      value: a.value,
      label: a.label,
      change,
      liftBefore: old?.lift ?? null,
      liftAfter: now?.lift ?? null,
    });

  for (const now of after.attributes) {
    if (now.strength !== 'strong') continue;
    const old = beforeByKey.get(key(now));
    if (old?.strength !== 'strong') add(now, 'appeared', old, now);
    else if (now.lift >= old.lift * LIFT_CHANGE) add(now, 'rose', old, now);
    else if (now.lift * LIFT_CHANGE <= old.lift) add(now, 'fell', old, now);
  }
  for (const old of before.attributes) {
    const now = afterByKey.get(key(old));
    if (old.strength === 'strong' && now?.strength !== 'strong') add(old, 'disappeared', old, now);
  }
  const size = (c: Change) => Math.abs(Math.log((c.liftAfter ?? 1) / (c.liftBefore ?? 1)));
  return changes.sort((a, b) => CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] || size(b) - size(a));
}

function describe(changes: Change[], previousVersion: number): string {
  const n = (change: Change['change']) => changes.filter((c) => c.change === change).length;
  if (changes.length === 0) return `The profile has not changed materially since model v${previousVersion}.`;
  const parts = [
    n('appeared') && `${n('appeared')} became strong`,
    n('disappeared') && `${n('disappeared')} stopped being strong`,
    n('rose') + n('fell') && `${n('rose') + n('fell')} changed lift by 25% or more`,
  ].filter(Boolean);
  return `Since model v${previousVersion}, ${changes.length} attribute${changes.length === 1 ? '' : 's'} changed: ${parts.join(', ')}.`;
}

export async function icpDrift(db: Queryable, workspaceId: string, profiles: ModelProfiles): Promise<IcpDrift> {
  const none = { current: null, previous: null, changes: [] };
  const active = modelProfile(await profiles.active(db, workspaceId));
  if (!active)
    return {
      status: 'no_active_model',
      message: 'No model is active yet: train one (POST /v1/models) to track how the ICP changes.',
      ...none,
    };
  const previous = modelProfile(await profiles.previous(db, workspaceId, active.version));
  const ref = (m: ModelProfile | null) => (m?.snapshot ? { modelId: m.id, version: m.version, computedAt: m.snapshot.computedAt } : null);
  if (!previous) {
    return {
      status: 'no_earlier_model',
      message: `Model v${active.version} is the first ready model: nothing to compare with yet.`,
      ...none,
      current: ref(active),
    };
  }
  if (!active.snapshot || !previous.snapshot) {
    const which = active.snapshot ? `v${previous.version}` : `v${active.version}`;
    return {
      status: 'no_snapshot',
      message: `Model ${which} has no stored ICP profile, so drift cannot be shown.`,
      ...none,
      current: ref(active),
      previous: ref(previous),
    };
  }
  const changes = compareSnapshots(previous.snapshot, active.snapshot);
  return { status: 'compared', message: describe(changes, previous.version), current: ref(active), previous: ref(previous), changes };
}
