/**
 * A process a drill starts, kills and starts again: the API, the worker, a Temporal dev server, a
 * PostgreSQL cluster's postmaster. Output goes to a log file (kept for a failed drill) and to a
 * rolling buffer the drill waits on ("worker running").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const BUFFER_CHARS = 256 * 1024;

export interface ServiceOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logDir: string;
  cwd?: string;
}

export class Service {
  private child: ChildProcess | undefined;
  private output = '';
  private exit: Promise<number | null> = Promise.resolve(null);
  /** How many times it was started. */
  starts = 0;
  readonly logFile: string;

  constructor(private readonly opts: ServiceOptions) {
    this.logFile = path.join(opts.logDir, `${opts.name}.log`);
  }

  get name(): string {
    return this.opts.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    this.output = '';
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    log.write(`--- start ${this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(this.opts.command, this.opts.args, {
      cwd: this.opts.cwd,
      env: this.opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (chunk: Buffer) => {
      log.write(chunk);
      this.output = (this.output + chunk.toString()).slice(-BUFFER_CHARS);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        log.end(`--- exit ${code ?? child.signalCode} at ${new Date().toISOString()}\n`);
        resolve(code);
      }),
    );
    this.child = child;
  }

  /** Resolves once the output since the last start matches; fails if the process exits first. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running) throw new Error(`${this.name} exited before printing ${pattern}; see ${this.logFile}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} in ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Sends a signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child!.kill(signal);
    await this.exit;
  }

  /** SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }
}

/** A TypeScript entry point of this repository run by Node with tsx (no wrapper process: a signal reaches it). */
export function tsxService(name: string, script: string, env: NodeJS.ProcessEnv, logDir: string, root: string) {
  return new Service({ name, command: process.execPath, args: ['--import', 'tsx', script], env, logDir, cwd: root });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
