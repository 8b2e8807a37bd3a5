import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';

/**
 * ADMIN_TOKEN guards workspace creation. In embedded mode a missing token is generated once and
 * kept in DATA_DIR (mode 0600), so a newcomer can create workspaces without configuring anything.
 */
/**
 * What start-up says about the admin token: the token itself only on the start that generated it;
 * afterwards where it is kept; nothing when it comes from ADMIN_TOKEN.
 */
export function adminTokenNotice(admin: { token: string; generated: boolean; file?: string }): string | null {
  if (!admin.file) return null;
  if (admin.generated) return `admin token (kept in ${admin.file}): ${admin.token}`;
  return `admin token: kept in ${admin.file} (printed only when it was generated)`;
}

export async function resolveAdminToken(config: Config): Promise<{ token: string; generated: boolean; file?: string }> {
  if (config.ADMIN_TOKEN) return { token: config.ADMIN_TOKEN, generated: false };
  if (config.DATABASE_URL) {
    throw new Error('ADMIN_TOKEN must be set when DATABASE_URL is set (production mode never invents credentials)');
  }
  const file = path.resolve(config.DATA_DIR, 'admin-token');
  try {
    return { token: (await readFile(file, 'utf8')).trim(), generated: false, file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(24).toString('base64url');
  await mkdir(config.DATA_DIR, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true, file };
}
