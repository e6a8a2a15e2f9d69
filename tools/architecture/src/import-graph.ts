import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Each file and the files it imports (static, dynamic, type-only and re-exports), by absolute path. */
export type ImportGraph = Map<string, string[]>;

/** The workspace's module resolution (its tsconfig.base.json: the `@lockdown/*` paths). */
export function workspaceCompilerOptions(root: string): ts.CompilerOptions {
  const file = join(root, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  return ts.parseJsonConfigFileContent(config, ts.sys, root).options;
}

/** The sources (names ending in suffix) under these folders of root, by absolute path, without node_modules or dist. */
export function sourcesUnder(root: string, folders: string[], suffix = '.ts'): Map<string, string> {
  const sources = new Map<string, string>();
  for (const folder of folders)
    for (const entry of readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })) {
      const path = join(root, folder, entry);
      if (entry.endsWith(suffix) && !/(^|\/)(node_modules|dist)\//.test(entry)) sources.set(path, readFileSync(path, 'utf8'));
    }
  return sources;
}

/**
 * Who imports whom among these sources, as TypeScript resolves each import (relative or through the
 * compiler options' paths). Imports of anything outside them (packages, Node) are not edges.
 */
export function importGraph(sources: Map<string, string>, options: ts.CompilerOptions): ImportGraph {
  const host: ts.ModuleResolutionHost = { fileExists: (path) => sources.has(path), readFile: (path) => sources.get(path) };
  const graph: ImportGraph = new Map();
  for (const [file, text] of sources) {
    const imported = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => {
      const resolved = ts.resolveModuleName(fileName, file, options, host).resolvedModule?.resolvedFileName;
      return resolved && sources.has(resolved) ? resolved : undefined;
    });
    graph.set(file, [...new Set(imported.filter((path): path is string => path !== undefined))]);
  }
  return graph;
}

/**
 * Every import circle once: for each strongly connected group of files (Tarjan), the shortest cycle
 * through its first file, e.g. `[a, b, a]`.
 */
export function importCircles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group = stack.splice(stack.indexOf(file));
    if (group.length > 1 || graph.get(file)?.includes(file)) circles.push(shortestCycle(graph, group.sort()[0]!, new Set(group)));
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return circles;
}

/** Breadth first from start, within its group, back to start. */
function shortestCycle(graph: ImportGraph, start: string, group: Set<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (const file of queue)
    for (const next of graph.get(file) ?? []) {
      if (next === start) {
        const path = [file];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (group.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  throw new Error(`${start} is in no cycle`);
}

/** A circle as one line, its files relative to root. */
export const describeCircle = (root: string, circle: string[]) => circle.map((file) => relative(root, file)).join(' -> ');
