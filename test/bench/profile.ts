import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './options';

/** The parts of a V8 .cpuprofile (node --cpu-prof) used here. */
interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileRow {
  function: string;
  location: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  samples: number;
  /** Time spent in the function itself. */
  topSelf: ProfileRow[];
  /** Time with the function anywhere on the stack (each function counted once per sample). */
  topTotal: ProfileRow[];
  /** Self time grouped by source file. */
  byFile: Array<{ file: string; ms: number; percent: number }>;
}

/** The newest *.cpuprofile in `dir` written at or after `sinceMs`. */
export function newestProfile(dir: string, sinceMs: number): string | null {
  let best: { path: string; mtime: number } | null = null;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.cpuprofile')) continue;
    const path = join(dir, name);
    const mtime = statSync(path).mtimeMs;
    if (mtime >= sinceMs - 1000 && (best === null || mtime > best.mtime)) best = { path, mtime };
  }
  return best?.path ?? null;
}

function fileOf(url: string): string {
  if (url === '') return '(native/internal)';
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  return path.startsWith('/') ? relative(REPO_ROOT, path) : path;
}

/** Aggregates a .cpuprofile by function (self and inclusive time) and by file. */
export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const fnKey = (n: CpuProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}\t${fileOf(n.callFrame.url)}${n.callFrame.url === '' ? '' : `:${n.callFrame.lineNumber + 1}`}`;
  const samples = profile.samples ?? [];
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = samples.length === 0 ? 0 : totalMs / samples.length;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  for (const id of samples) {
    const leaf = byId.get(id);
    if (leaf === undefined) continue;
    const k = fnKey(leaf);
    self.set(k, (self.get(k) ?? 0) + 1);
    const f = fileOf(leaf.callFrame.url);
    files.set(f, (files.get(f) ?? 0) + 1);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node === undefined || node.callFrame.functionName === '(root)') break;
      const key = fnKey(node);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + 1);
    }
  }
  const rows = (m: Map<string, number>): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, count]) => {
        const [fn, location] = key.split('\t');
        return { function: fn, location, ms: count * perSample, percent: (100 * count) / Math.max(1, samples.length) };
      });
  return {
    totalMs,
    samples: samples.length,
    topSelf: rows(self),
    topTotal: rows(total),
    byFile: [...files.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([f, count]) => ({ file: f, ms: count * perSample, percent: (100 * count) / Math.max(1, samples.length) })),
  };
}

/** CLI: node dist/test/bench/profile.js <file.cpuprofile> prints the summary. */
if (require.main === module) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: profile <file.cpuprofile>\n');
    process.exit(2);
  }
  const s = summarizeProfile(file, 40);
  const pr = (r: ProfileRow): string => `${r.percent.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.function}  ${r.location}`;
  process.stdout.write(`${s.samples} samples over ${(s.totalMs / 1000).toFixed(2)} s\n\nSelf time:\n${s.topSelf.map(pr).join('\n')}\n\nTotal time:\n${s.topTotal.map(pr).join('\n')}\n\nBy file:\n`);
  process.stdout.write(`${s.byFile.map((f) => `${f.percent.toFixed(1).padStart(5)}%  ${f.file}`).join('\n')}\n`);
}
