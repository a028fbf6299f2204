/**
 * A PostgreSQL cluster of the drill's own — a temporary data directory, a free port, the server
 * binaries installed on this machine — so a drill can stop and start "the database" without ever
 * touching the machine's own PostgreSQL. initdb and pg_ctl refuse to run as root: as root they run
 * as the `postgres` system user.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);

export interface PostgresCluster {
  port: number;
  url(database: string): string;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: connections are cut, as when the server goes down. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error(`no PostgreSQL server binaries under ${root}/*/bin (apt install postgresql)`);
  return path.join(root, versions[0], 'bin');
}

export async function postgresCluster(logDir: string): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-drill-pg-'));
  const data = path.join(dir, 'data');
  // Inside the cluster's own directory: the postgres user may not enter the drill's log directory.
  const logFile = path.join(dir, 'postgres.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(dir, ...postgresIds());
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { cwd: dir })
      : run(path.join(bin, tool), args, { cwd: dir });

  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=100`;
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await pg('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    },
    async destroy() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      if (fs.existsSync(logFile)) fs.copyFileSync(logFile, path.join(logDir, 'postgres.log'));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresIds(): [number, number] {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no postgres user to run the drill cluster as');
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
