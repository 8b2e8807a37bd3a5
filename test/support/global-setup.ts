import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file of an empty embedded database cluster (PGlite's dumpDataDir); null on PostgreSQL. */
    emptyPgliteCluster: string | null;
  }
}

/**
 * Once per run, on the embedded engine: an empty PGlite cluster dumped to a file that every test database
 * starts from, then migrates as before. Creating a cluster (initdb in WASM) costs several seconds of CPU,
 * three to four times what loading the dump does.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL) {
    project.provide('emptyPgliteCluster', null);
    return undefined;
  }
  const pglite = await PGlite.create({ dataDir: 'memory://', extensions: { vector } });
  const dir = await mkdtemp(path.join(tmpdir(), 'lookalike-test-pglite-'));
  const file = path.join(dir, 'empty-cluster.tar');
  try {
    const dump = await pglite.dumpDataDir('none');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await pglite.close();
  }
  project.provide('emptyPgliteCluster', file);
  return () => rm(dir, { recursive: true, force: true });
}
