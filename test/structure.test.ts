/**
 * The layout rules, checked: folders under src/ import each other without cycles, src/jobs/ (queue
 * infrastructure) imports no domain module, SQL lives only in a module's repository.ts or in src/db/,
 * each table's SQL in the module that owns it, the environment is read only where the configuration is, and
 * functions are short enough to read as named steps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

/** Folders src/jobs/ may import: the database, shared helpers, the HTTP edge (for GET /v1/jobs) and itself. */
const JOBS_MAY_IMPORT = new Set(['jobs', 'db', 'lib', 'http']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** A file's node in the folder graph: its folder under src/, or "src-root" for src/*.ts. */
function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? 'src-root' : parts[0];
}

/** Relative imports, static (`from '…'`, `import '…'`) and dynamic (`import('…')`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]+)['"]/gm)].map((m) => m[1]);
  return found.map((spec) => path.resolve(path.dirname(file), spec)).filter((target) => target.startsWith(SRC + path.sep));
}

const files = sourceFiles(SRC);

/** Folder → folders it imports from, with one file per arrow as the example. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Map());
    for (const target of importsOf(file)) {
      const to = folderOf(target);
      if (to !== from && !graph.get(from)!.has(to)) graph.get(from)!.set(to, `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
    }
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one folder: each one is an import cycle. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** String literals and template literals that read as SQL statements (upper-case keywords, as we write SQL). */
const SQL = /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\bWITH\s+\w+\s+AS\s*\(/;
/** A call that sends a statement to the database (pool, client or db `.query`). */
const QUERY_CALL = /\.query\s*[<(]/;
function hasSql(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  return (
    QUERY_CALL.test(text) || [...text.matchAll(/`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g)].some((m) => SQL.test(m[0]))
  );
}
const mayHoldSql = (file: string) => {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative[0] === 'db' || (relative.length === 2 && relative[1] === 'repository.ts');
};

/** The longest a function in src/ may be: lines from its first to its closing brace, the functions inside it included. */
const MAX_FUNCTION_LINES = 60;

/** Every function with a body in a file, named, with its length in lines. */
function functionLengths(file: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node, enclosing: string | undefined) => {
    let inside = enclosing;
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      inside = ownName(node, source) ?? `${enclosing ?? '(top level)'}/anonymous`;
      found.push({ name: inside, lines: lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1 });
    }
    ts.forEachChild(node, (child) => visit(child, inside));
  };
  visit(source, undefined);
  return found;
}

/** A function's name, or that of the variable, property or class member it is the value of. */
function ownName(node: ts.SignatureDeclaration, source: ts.SourceFile): string | undefined {
  if (ts.isConstructorDeclaration(node)) return `${(node.parent as ts.ClassLikeDeclaration).name?.getText(source)}.constructor`;
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) &&
    parent.initializer === node
  )
    return parent.name.getText(source);
  return undefined;
}

describe('source layout', () => {
  const graph = folderGraph();

  it('has no import cycle between folders of src/', () => {
    const described = cycles(graph).map((component) =>
      component.flatMap((from) =>
        component.filter((to) => graph.get(from)?.has(to)).map((to) => `${from} → ${to} (${graph.get(from)!.get(to)})`),
      ),
    );
    expect(described).toEqual([]);
  });

  it('keeps src/jobs/ free of domain modules', () => {
    const arrows = [...(graph.get('jobs') ?? new Map<string, string>()).entries()]
      .filter(([to]) => !JOBS_MAY_IMPORT.has(to))
      .map(([, example]) => example);
    expect(arrows).toEqual([]);
  });

  it('has SQL only in repositories and src/db/', () => {
    const outside = files
      .filter((file) => !mayHoldSql(file) && hasSql(file))
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'));
    expect(outside).toEqual([]);
  });

  it('sends SQL to the models table only from the model module', () => {
    const models = /\b(?:FROM|JOIN|INTO|UPDATE)\s+models\b/;
    const outside = files
      .filter((file) => folderOf(file) !== 'model' && models.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'));
    expect(outside).toEqual([]);
  });

  it('reads the environment only in config.ts and the entry point main.ts', () => {
    const readers = files
      .filter((file) => /\bprocess\.env\b/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
      .filter((file) => file !== 'config.ts' && file !== 'main.ts');
    expect(readers).toEqual([]);
  });

  it(`keeps functions to ${MAX_FUNCTION_LINES} lines`, () => {
    const tooLong = files.flatMap((file) =>
      functionLengths(file)
        .filter(({ lines }) => lines > MAX_FUNCTION_LINES)
        .map(({ name, lines }) => `${path.relative(SRC, file).split(path.sep).join('/')} ${name}: ${lines} lines`),
    );
    expect(tooLong).toEqual([]);
  });
});
