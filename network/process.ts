import { spawn } from 'node:child_process';
import { PocketE2EError } from './errors';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Called with each output line, for progress on long steps. */
  onLine?: (line: string) => void;
  /** Kill the command after this long (a hung docker call must fail a test, not wedge the run). */
  timeoutMs?: number;
}

/** Runs a command to completion and captures its output; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    let stdout = '';
    let stderr = '';
    let partial = '';
    const feed = (chunk: string) => {
      if (!opts.onLine) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) opts.onLine(line);
    };
    child.stdout.on('data', (d: Buffer) => { stdout += d; feed(d.toString()); });
    child.stderr.on('data', (d: Buffer) => { stderr += d; feed(d.toString()); });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(new PocketE2EError(`'${cmd}' is not installed or not on PATH: install it (see README "Requirements")`));
      else reject(err);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (partial.trim() && opts.onLine) opts.onLine(partial);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    // A command that exits before reading its stdin (docker ps) makes the write fail with EPIPE;
    // its exit code and output are what count, so that error is not one.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Last non-empty line of a command's output: the usual one-line reason for a failure. */
export function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim()).pop()?.trim() ?? '(no output)';
}

export function tail(text: string, lines = 30): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
