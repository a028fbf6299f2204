/**
 * After `npm test` (scripts/test-run.sh): proves that no log line the run wrote and no raw history of
 * the run's Temporal dev server holds the personal data the tests used (issue 14). Exit 0: 0 hits;
 * 1: hits (listed masked: file, line, kind, never the value); 2: nothing to scan.
 *
 *   tsx scripts/scan-personal-data.ts [run-log-dir]   # default test-output/run-logs
 *
 * The needles are what the tests stored as personal data, read back from the run's databases (the
 * test database and its `_dbtest` and `_browser` siblings): every name, phone, plate, ID number, VIN,
 * engine number, e-mail and bank account, and every free text (accident descriptions and locations,
 * complaint descriptions, questions, notes, reasons, survey comments), plus the fixed markers of
 * tests whose data is erased by the time the run ends (PERSONAL_DATA_MARKERS). The haystack: every
 * file in the run-log folder — the run's terminal output, every line the tests' loggers wrote, what
 * each child `npm start` printed — and `temporal-histories.ndjson`, whose every string is searched
 * both as it is and, when it is base64 (payload data, metadata), decoded. Many needles, one pass per
 * file: an Aho–Corasick automaton.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';

/** Fixed free-text markers and values of tests whose rows are erased before the run ends. */
export const PERSONAL_DATA_MARKERS = [
  'OLD-NOTE-MARK',
  'LIVE-NOTE-MARK',
  'RETENTION-NOTE-MARK',
  '欧阳娜',
  '司马光',
  '上官婉',
  '诸葛亮',
  '慕容复',
  '13700007777',
];

const PERSONAL_KEYS = new Set([
  'name',
  'phone',
  'mobile',
  'plate',
  'idNumber',
  'bankAccount',
  'vin',
  'engineNo',
  'email',
]);
const FREE_TEXT_KEYS = new Set([
  'description',
  'location',
  'question',
  'text',
  'note',
  'reason',
  'answer',
  'fact',
  'comment',
  'summary',
]);
const ERASED = '[已删除]';

type Kind = 'personal' | 'free text' | 'marker';

/** Long enough not to match by chance: 2+ characters with a CJK one (a name), else 7+. */
function usable(value: string): boolean {
  const v = value.trim();
  if (v === ERASED) return false;
  return /[\u3400-\u9fff]/.test(v) ? v.length >= 2 : v.length >= 7;
}

function collect(value: unknown, key: string | undefined, into: Map<string, Kind>, within?: Kind): void {
  if (typeof value === 'string') {
    const kind: Kind | undefined =
      key && PERSONAL_KEYS.has(key) ? 'personal' : key && FREE_TEXT_KEYS.has(key) ? 'free text' : within;
    // A single ASCII word under a free-text key is a code (`renewed`, `opted_out`), not a person's text.
    const code = kind === 'free text' && /^[A-Za-z][A-Za-z0-9_.:-]*$/.test(value.trim());
    if (kind && !code && usable(value)) into.set(value.trim(), kind);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, key, into, within);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, k, into, within);
  }
}

function siblingUrl(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname}${suffix}`;
  return u.toString();
}

async function needlesFrom(databaseUrl: string, into: Map<string, Kind>): Promise<number> {
  let database;
  try {
    database = await openDatabase({ databaseUrl, dataDir: os.tmpdir(), max: 1 });
    await database.db.selectFrom('cases').select('id').limit(1).execute();
  } catch {
    await database?.close();
    return 0;
  }
  const before = into.size;
  try {
    const db = database.db;
    for (const row of await db.selectFrom('case_personal_data').select('data').execute())
      collect(row.data, undefined, into);
    for (const row of await db.selectFrom('insurance_policies').select(['holder', 'plate']).execute()) {
      collect(row.holder, undefined, into);
      collect(row.plate, 'plate', into);
    }
    for (const row of await db.selectFrom('timeline_events').select('detail').execute())
      collect(row.detail, undefined, into);
    for (const row of await db.selectFrom('satisfaction_surveys').select('comment').execute())
      collect(row.comment, 'comment', into);
    for (const row of await db.selectFrom('notifications').select(['recipient', 'params']).execute()) {
      if (row.recipient && /^\+?\d{7,}$|@/.test(row.recipient)) collect(row.recipient, 'phone', into);
      collect(row.params, undefined, into);
    }
  } finally {
    await database.close();
  }
  return into.size - before;
}

/** Aho–Corasick over UTF-16 code units. */
class Automaton {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];

  constructor(readonly needles: readonly string[]) {
    needles.forEach((needle, index) => {
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const c = needle.charCodeAt(i);
        let to = this.next[state]!.get(c);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[state]!.set(c, to);
        }
        state = to;
      }
      this.out[state]!.push(index);
    });
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      for (const [c, to] of this.next[state]!) {
        let f = this.fail[state]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        this.out[to]!.push(...this.out[this.fail[to]]!);
        queue.push(to);
      }
    }
  }

  /** Indexes of the needles found in `text`. */
  find(text: string): Set<number> {
    const found = new Set<number>();
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      while (state !== 0 && !this.next[state]!.has(c)) state = this.fail[state]!;
      state = this.next[state]!.get(c) ?? 0;
      for (const index of this.out[state]!) found.add(index);
    }
    return found;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Every string of a history, and each base64 one decoded as UTF-8 too. */
function historyTexts(value: unknown, into: string[]): void {
  if (typeof value === 'string') {
    into.push(value);
    if (value.length >= 8 && BASE64.test(value)) into.push(Buffer.from(value, 'base64').toString('utf8'));
  } else if (Array.isArray(value)) {
    for (const item of value) historyTexts(item, into);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.push(k);
      historyTexts(v, into);
    }
  }
}

function mask(value: string): string {
  return value.length <= 2
    ? `${value[0]}*`
    : `${value.slice(0, 1)}${'*'.repeat(Math.min(6, value.length - 2))}${value.slice(-1)}`;
}

interface Hit {
  file: string;
  line: number;
  kind: Kind;
  masked: string;
}

async function main(): Promise<number> {
  const dir = path.resolve(process.argv[2] ?? path.join('test-output', 'run-logs'));
  if (!fs.existsSync(dir)) {
    console.error(`scan-personal-data: no run-log folder at ${dir} (npm test writes it)`);
    return 2;
  }
  const base = loadConfig().databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/motordesk_test';
  const needles = new Map<string, Kind>();
  const perDatabase: Record<string, number> = {};
  for (const url of [base, siblingUrl(base, '_dbtest'), siblingUrl(base, '_browser')]) {
    perDatabase[new URL(url).pathname.slice(1)] = await needlesFrom(url, needles);
  }
  for (const marker of PERSONAL_DATA_MARKERS) if (!needles.has(marker)) needles.set(marker, 'marker');
  const list = [...needles.keys()];
  const automaton = new Automaton(list);

  const hits: Hit[] = [];
  let lines = 0;
  let histories = 0;
  let bytes = 0;
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const content = fs.readFileSync(file, 'utf8');
    bytes += Buffer.byteLength(content);
    const isHistories = name === 'temporal-histories.ndjson';
    content.split('\n').forEach((line, i) => {
      if (!line) return;
      lines++;
      let texts = [line];
      if (isHistories) {
        histories++;
        texts = [];
        historyTexts(JSON.parse(line), texts);
      }
      const found = new Set<number>();
      for (const text of texts) for (const index of automaton.find(text)) found.add(index);
      for (const index of found) {
        const value = list[index]!;
        hits.push({ file: name, line: i + 1, kind: needles.get(value)!, masked: mask(value) });
      }
    });
  }
  const report = {
    dir,
    needles: { total: list.length, perDatabase, markers: PERSONAL_DATA_MARKERS.length },
    scanned: { files: fs.readdirSync(dir).length, lines, histories, bytes },
    hits: hits.length,
  };
  console.log(`scan-personal-data: ${JSON.stringify(report)}`);
  for (const hit of hits.slice(0, 50)) console.error(`  hit: ${hit.file}:${hit.line} ${hit.kind} ${hit.masked}`);
  if (hits.length > 50) console.error(`  … and ${hits.length - 50} more`);
  return hits.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('scan-personal-data failed:', err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
