import { z } from 'zod';

export const Workspace = z
  .object({
    id: z.uuid(),
    name: z.string(),
  })
  .meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof Workspace>;

export const KEY_SCOPES = ['read', 'write'] as const;
export const KeyScope = z.enum(KEY_SCOPES).meta({
  description: 'read: GET requests and POST /v1/lookalikes (prospects, lookalikes, fit, ICP, models, jobs); write: everything',
});
export type KeyScope = z.infer<typeof KeyScope>;

export const ApiKeyInfo = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scope: KeyScope,
    prefix: z.string().meta({ description: 'First characters of the key, to recognise it', example: 'lak_3f9Qx2' }),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const CreateWorkspaceBody = z.object({
  name: z.string().trim().min(1).max(200).meta({ example: 'Acme Sales' }),
});

export const CreateWorkspaceResponse = z.object({
  workspace: Workspace,
  apiKey: z.string().meta({ description: 'Shown once; store it now', example: 'lak_3f9Qx2…' }),
});

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(200).default('api key').meta({ example: 'ABM sync' }),
    scope: KeyScope.default('write'),
  })
  .default({ name: 'api key', scope: 'write' });

export const CreateApiKeyResponse = z.object({
  key: ApiKeyInfo,
  apiKey: z.string().meta({ description: 'Shown once; store it now' }),
});
