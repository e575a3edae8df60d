// System tests of vpcctl against a real vpcd: apply, re-apply, delete -f,
// idempotent create/delete, conflicts, bad input, --json, no vpcd.

import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { REPO, startLab, VPCCTL } from './lab';

const EXAMPLE = path.join(REPO, 'ts', 'examples', 'demo-host1.yaml');
const SW = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

test.serial('apply, re-apply makes 0 changes, delete -f removes everything', async (t) => {
  const lab = await startLab(t);
  const dry = lab.vpcctl('apply', '-f', EXAMPLE, '--dry-run');
  t.is(dry.status, 0, dry.stderr);
  t.regex(dry.stdout, /^Plan: 23 changes/m);
  t.is(JSON.parse(lab.vpcctl('list', '--json').stdout).objects.length, 0, 'dry run changed nothing');
  const first = lab.vpcctl('apply', '-f', EXAMPLE);
  t.is(first.status, 0, first.stderr);
  t.regex(first.stdout, /\[23\/23\] add ARP proxy entry/);
  t.regex(first.stdout, /Done: 23 changes\./);
  const again = lab.vpcctl('apply', '-f', EXAMPLE, '--json');
  t.is(again.status, 0, again.stderr);
  t.like(JSON.parse(again.stdout), { dryRun: false, changes: 0, steps: [] });
  t.regex(lab.vpcctl('apply', '-f', EXAMPLE).stdout, /^Plan: 0 changes \(9 object\(s\) unchanged\)$/m);
  const objects = JSON.parse(lab.vpcctl('list', '--json').stdout).objects as { type: string }[];
  t.is(objects.length, 9);
  const del = lab.vpcctl('delete', '-f', EXAMPLE);
  t.is(del.status, 0, del.stderr);
  t.regex(del.stdout, /Done: 17 changes\./);
  t.is(JSON.parse(lab.vpcctl('list', '--json').stdout).objects.length, 0);
  t.regex(lab.vpcctl('delete', '-f', EXAMPLE).stdout, /^Plan: 0 changes/m);
});

test.serial('apply repairs drift: a removed entry and a changed setting come back', async (t) => {
  const lab = await startLab(t);
  t.is(lab.vpcctl('apply', '-f', EXAMPLE).status, 0);
  const host = JSON.parse(lab.vpcctl('list', '--type', 'vpci', '--json').stdout).objects[0].id as string;
  t.is(lab.vpcctl('vpci', 'set', host, '--mtu', '1400').status, 0);
  const sw = JSON.parse(lab.vpcctl('list', '--type', 'switch', '--json').stdout).objects.map((o: { id: string }) => o.id) as string[];
  for (const s of sw) lab.vpcctl('arp', 'delete', s, '--vni', '100', '--ip', '192.0.2.2');
  const r = lab.vpcctl('apply', '-f', EXAMPLE, '--json');
  t.is(r.status, 0, r.stderr);
  const steps = JSON.parse(r.stdout).steps as string[];
  t.is(steps.length, 2, steps.join('\n'));
  t.true(steps.some((s) => /set vpci .* mtu: 1400 -> 1450/.test(s)));
  t.true(steps.some((s) => /add ARP proxy entry .* 192\.0\.2\.2 /.test(s)));
});

test.serial('show names the interface of a vpci (the demo moves it by that name)', async (t) => {
  const lab = await startLab(t);
  const id = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
  t.is(lab.vpcctl('vpci', 'create', id).status, 0);
  const shown = JSON.parse(lab.vpcctl('vpci', 'show', id, '--json').stdout) as { ifname?: string };
  t.regex(shown.ifname ?? '', /^vpci\d+$/);
  t.regex(lab.vpcctl('vpci', 'show', id).stdout, /^ifname: +vpci\d+$/m);
});

test.serial('create is idempotent; a conflict names the field; delete of absent succeeds', async (t) => {
  const lab = await startLab(t);
  const a = lab.vpcctl('switch', 'create', SW, '--mode', 'learning', '--json');
  t.is(a.status, 0, a.stderr);
  t.like(JSON.parse(a.stdout), { type: 'switch', id: SW, status: 'created' });
  const b = lab.vpcctl('switch', 'create', SW, '--mode', 'learning');
  t.is(b.status, 0);
  t.is(b.stdout.trim(), `switch ${SW} unchanged`);
  const c = lab.vpcctl('switch', 'create', SW, '--mode', 'programmed');
  t.is(c.status, 1);
  t.regex(c.stderr, /mode: it has learning, wanted programmed/);
  t.is(JSON.parse(lab.vpcctl('switch', 'show', SW, '--json').stdout).mode, 'learning');
  const d = lab.vpcctl('switch', 'delete', SW);
  t.is(d.status, 0);
  const e = lab.vpcctl('switch', 'delete', SW, '--json');
  t.is(e.status, 0);
  t.like(JSON.parse(e.stdout), { status: 'absent' });
});

test.serial('bad input exits 2 and changes nothing', async (t) => {
  const lab = await startLab(t);
  t.is(lab.vpcctl('apply', '-f', EXAMPLE).status, 0);
  const before = lab.vpcctl('list', '--json').stdout;
  const bad = path.join(lab.dir, 'bad.yaml');
  writeFileSync(bad, `switches:\n  - id: ${SW}\n    ports: [{id: 6ba7b811-9dad-11d1-80b4-00c04fd430c8, vni: 16777216}]\n`);
  const r = lab.vpcctl('apply', '-f', bad);
  t.is(r.status, 2);
  t.regex(r.stderr, /expected a VNI between 0 and 16777215 for switches\[0\]\.ports\[0\]\.vni but received 16777216/);
  const p = lab.vpcctl('vmnic', 'create', '--mac', '01:00:5e:00:00:01', '--json');
  t.is(p.status, 2);
  t.like(JSON.parse(p.stdout), { error: { kind: 'ValidationError', field: '--mac' } });
  t.is(lab.vpcctl('list', '--json').stdout, before);
});

test.serial('a port connected elsewhere is a conflict; entries commands are idempotent', async (t) => {
  const lab = await startLab(t);
  const L = '6ba7b813-9dad-11d1-80b4-00c04fd430c8';
  const P = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
  const N = '6ba7b814-9dad-11d1-80b4-00c04fd430c8';
  t.is(lab.vpcctl('vpclink', 'create', L, '--local', '198.51.100.1').status, 0);
  t.is(lab.vpcctl('vmnic', 'create', N).status, 0);
  t.is(lab.vpcctl('switch', 'create', SW).status, 0);
  t.is(lab.vpcctl('port', 'create', P, '--vni', '100', '--switch', SW, '--peer', L).status, 0);
  const c = lab.vpcctl('port', 'connect', P, '--peer', N);
  t.is(c.status, 1);
  t.regex(c.stderr, /peer: it has 6ba7b813/);
  t.is(lab.vpcctl('port', 'connect', P, '--peer', L).stdout.trim(), `port ${P} unchanged`);
  t.is(lab.vpcctl('fwd', 'add', L, '--vni', '100', '--mac', '02:00:00:00:0a:02', '--remote', '198.51.100.2').status, 0);
  t.regex(lab.vpcctl('fwd', 'add', L, '--vni', '100', '--mac', '02:00:00:00:0a:02', '--remote', '198.51.100.2').stdout, /unchanged/);
  const fc = lab.vpcctl('fwd', 'add', L, '--vni', '100', '--mac', '02:00:00:00:0a:02', '--remote', '198.51.100.3');
  t.is(fc.status, 1);
  t.is(lab.vpcctl('flood', 'set', SW, '--vni', '100', '198.51.100.3', '198.51.100.2').status, 0);
  t.deepEqual(JSON.parse(lab.vpcctl('flood', 'show', SW, '--vni', '100', '--json').stdout).remotes, ['198.51.100.2', '198.51.100.3']);
  t.regex(lab.vpcctl('flood', 'set', SW, '--vni', '100', '198.51.100.2', '198.51.100.3').stdout, /unchanged/);
  const stats = lab.vpcctl('port', 'stats', P, '--json');
  t.like(JSON.parse(stats.stdout), { type: 'port', id: P, rxPkts: 0, txPkts: 0 });
  t.is(lab.vpcctl('port', 'delete', P).status, 0);
  t.is(JSON.parse(lab.vpcctl('list', '--type', 'port', '--json').stdout).objects.length, 0);
});

test.serial('no vpcd: says so, how to start it, exit 3', async (t) => {
  const lab = await startLab(t);
  const r0 = spawnSync(process.execPath, [VPCCTL, 'list', '--socket', path.join(lab.dir, 'none.sock')], { encoding: 'utf8' });
  const r = { status: r0.status, stderr: r0.stderr };
  t.is(r.status, 3);
  t.regex(r.stderr, /vpcd is not running \(no socket at .*none\.sock\); start it with: vpcd -s .*none\.sock/);
});
