import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The installed version of a package, read from its package.json. */
async function installedVersion(name: string): Promise<string> {
  return JSON.parse(await readFile(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/**
 * On the embedded engine: an empty PGlite cluster dumped to a file that every test database starts from,
 * then migrates as before. Creating a cluster (initdb in WASM) costs several seconds of CPU, three to four
 * times what loading the dump does. The file is kept between runs, one per PGlite and pgvector version.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) return project.provide('emptyPgliteCluster', null);
  const versions = `${await installedVersion('@electric-sql/pglite')}-${await installedVersion('@electric-sql/pglite-pgvector')}`;
  const file = path.join(tmpdir(), 'lookalike-test-pglite', `empty-cluster-${versions}.tar`);
  if (
    !(await access(file).then(
      () => true,
      () => false,
    ))
  ) {
    const pglite = await PGlite.create({ dataDir: 'memory://', extensions: { vector } });
    try {
      const dump = await pglite.dumpDataDir('none');
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside, then renamed: a run that starts meanwhile never reads half a file.
      await writeFile(`${file}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
      await rename(`${file}.${process.pid}`, file);
    } finally {
      await pglite.close();
    }
  }
  project.provide('emptyPgliteCluster', file);
}
