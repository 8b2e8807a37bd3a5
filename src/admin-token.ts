import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';

/**
 * ADMIN_TOKEN guards workspace creation. In embedded mode a missing token is generated once and
 * kept in DATA_DIR (mode 0600), so a newcomer can create workspaces without configuring anything.
 */
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
