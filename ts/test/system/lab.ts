// lab.ts: a vpcd in a network namespace for one system test.
//
// startLab(t) makes a namespace (named like test/lib/netns.py's, so its
// stale-namespace reaper knows them), gives it an underlay veth with
// 198.51.100.1/24, starts vpcd there on a socket in a scratch directory,
// and registers a teardown that stops vpcd, deletes the namespace and the
// directory whether the test passed or not.  Needs root and a built vpcd
// ($VPCD, default build/rel/bin/vpcd): without them the test fails.

import type { ExecutionContext } from 'ava';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..', '..');
export const VPCCTL = path.join(REPO, 'ts', 'bin', 'vpcctl.js');

export interface Lab {
  ns: string;
  dir: string;
  socket: string;
  /** Run vpcctl against this lab's vpcd. */
  vpcctl(...args: string[]): { status: number; stdout: string; stderr: string };
  log(): string;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

async function waitSocket(sock: string, alive: () => boolean, log: () => string): Promise<void> {
  const end = Date.now() + 10000;
  for (;;) {
    if (!alive()) throw new Error(`vpcd exited at start:\n${log()}`);
    if (existsSync(sock)) {
      const ok = await new Promise<boolean>((resolve) => {
        const c = net.connect(sock, () => { c.end(); resolve(true); });
        c.on('error', () => resolve(false));
      });
      if (ok) return;
    }
    if (Date.now() > end) throw new Error(`vpcd socket ${sock} not ready after 10 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startLab(t: ExecutionContext): Promise<Lab> {
  if (process.getuid?.() !== 0) throw new Error('system tests need root (they create network namespaces)');
  const vpcd = path.resolve(REPO, process.env['VPCD'] ?? 'build/rel/bin/vpcd');
  if (!existsSync(vpcd)) throw new Error(`no vpcd at ${vpcd}: run make rel`);
  const ns = `vpct${process.pid}x${randomBytes(2).toString('hex')}-ts`;
  const dir = mkdtempSync(path.join(tmpdir(), 'vpc-ts.'));
  const socket = path.join(dir, 'vpcd.sock');
  const logPath = path.join(dir, 'vpcd.log');
  ip('netns', 'add', ns);
  let child: ReturnType<typeof spawn> | undefined;
  t.teardown(async () => {
    if (child !== undefined && child.exitCode === null) {
      const done = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 10000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  });
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  ip('-n', ns, 'link', 'add', 'ul0', 'type', 'veth', 'peer', 'name', 'ul1');
  ip('-n', ns, 'addr', 'add', '198.51.100.1/24', 'dev', 'ul0');
  ip('-n', ns, 'link', 'set', 'ul0', 'up');
  ip('-n', ns, 'link', 'set', 'ul1', 'up');
  const { openSync } = await import('node:fs');
  const out = openSync(logPath, 'w');
  const env = { ...process.env };
  delete env['VPC_SOCKET'];
  child = spawn('ip', ['netns', 'exec', ns, vpcd, '-s', socket], { stdio: ['ignore', out, out], env });
  const log = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  await waitSocket(socket, () => child?.exitCode === null, log);
  return {
    ns, dir, socket, log,
    vpcctl(...args: string[]) {
      const r = spawnSync(process.execPath, [VPCCTL, ...args, '--socket', socket], { encoding: 'utf8', env });
      return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
