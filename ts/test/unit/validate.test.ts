// Unit tests of validate.ts: every check's message names the field, what
// was expected and what was received.

import test from 'ava';

import { ValidationError } from '../../src/lib/errors';
import * as v from '../../src/lib/validate';

type Check = (value: unknown, field?: string) => unknown;

const refuses = test.macro({
  exec(t, check: Check, value: unknown, message: string) {
    const e = t.throws(() => check(value), { instanceOf: ValidationError });
    t.is(e?.message, message);
  },
  title: (provided, _check, value) => provided ?? `refuses ${JSON.stringify(value)}`,
});

const accepts = test.macro({
  exec(t, check: Check, value: unknown, canonical: unknown) {
    t.deepEqual(check(value), canonical);
  },
  title: (provided, _check, value) => provided ?? `accepts ${JSON.stringify(value)}`,
});

test('vni 16777216', refuses, v.vni, 16777216, 'expected a VNI between 0 and 16777215 for vni but received 16777216');
test('vni -1', refuses, v.vni, -1, 'expected a VNI between 0 and 16777215 for vni but received -1');
test('vni 1.5', refuses, v.vni, 1.5, 'expected a VNI between 0 and 16777215 for vni but received 1.5');
test('vni "abc"', refuses, v.vni, 'abc', 'expected a VNI between 0 and 16777215 for vni but received "abc"');
test('vni missing', refuses, v.vni, undefined, 'expected a VNI between 0 and 16777215 for vni but received nothing');
test('vni 16777215', accepts, v.vni, 16777215, 16777215);
test('vni "100" from a command line', accepts, v.vni, '100', 100);
test('vlan 4095', refuses, v.vlan, 4095, 'expected a VLAN id between 0 and 4094 for vlan but received 4095');
test('vlan 0', accepts, v.vlan, 0, 0);
test('mtu 575', refuses, v.mtu, 575, 'expected an MTU between 576 and 9000 for mtu but received 575');
test('mtu 9001', refuses, v.mtu, 9001, 'expected an MTU between 576 and 9000 for mtu but received 9001');
test('queues 17', refuses, v.queues, 17, 'expected a queue count between 1 and 16 for queues but received 17');
test('queues 0', refuses, v.queues, 0, 'expected a queue count between 1 and 16 for queues but received 0');
test('multicast MAC', refuses, v.mac, '01:00:5e:00:00:01',
  'expected a unicast MAC address such as 02:00:00:00:00:01 (the multicast bit of the first octet clear) for mac but received "01:00:5e:00:00:01"');
test('broadcast MAC', refuses, v.mac, 'ff:ff:ff:ff:ff:ff',
  'expected a unicast MAC address such as 02:00:00:00:00:01 (the multicast bit of the first octet clear) for mac but received "ff:ff:ff:ff:ff:ff"');
test('zero MAC', refuses, v.mac, '00:00:00:00:00:00',
  'expected a unicast MAC address such as 02:00:00:00:00:01 (not all zero) for mac but received "00:00:00:00:00:00"');
test('short MAC', refuses, v.mac, '02:00:00:00:01',
  'expected a unicast MAC address such as 02:00:00:00:00:01 for mac but received "02:00:00:00:01"');
test('MAC upper case and dashes', accepts, v.mac, '02-AB-00-00-00-01', '02:ab:00:00:00:01');
test('UUID malformed', refuses, v.uuid, '6ba7b810-9dad-11d1-80b4-00c04fd430c',
  'expected a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8 for id but received "6ba7b810-9dad-11d1-80b4-00c04fd430c"');
test('UUID nil', refuses, v.uuid, '00000000-0000-0000-0000-000000000000',
  'expected a UUID other than the nil UUID (reserved for mgmt) for id but received "00000000-0000-0000-0000-000000000000"');
test('UUID a number', refuses, v.uuid, 42, 'expected a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8 for id but received 42');
test('UUID upper case', accepts, v.uuid, '6BA7B810-9DAD-11D1-80B4-00C04FD430C8', '6ba7b810-9dad-11d1-80b4-00c04fd430c8');
test('address with prefix', refuses, v.address, '198.51.100.1/24',
  'expected an IPv4 or IPv6 address for address but received "198.51.100.1/24"');
test('address 256', refuses, v.address, '198.51.100.256',
  'expected an IPv4 or IPv6 address for address but received "198.51.100.256"');
test('IPv6 canonical', accepts, v.address, '2001:DB8:0:0::1', '2001:db8::1');
test('IPv4', accepts, v.address, '203.0.113.9', '203.0.113.9');
test('ifname too long', refuses, v.ifname, 'abcdefghijklmnop',
  "expected an interface name of 1 to 15 characters without '/', ':' or spaces for ifname but received \"abcdefghijklmnop\"");
test('mode', refuses, v.switchMode, 'flooding', 'expected one of programmed, learning for mode but received "flooding"');
test('port 65536', refuses, v.udpPort, 65536, 'expected a UDP port between 0 and 65535 for port but received 65536');

test('the field name is the caller\'s', (t) => {
  const e = t.throws(() => v.vni(16777216, 'switches[0].ports[1].vni'), { instanceOf: ValidationError });
  t.is(e?.field, 'switches[0].ports[1].vni');
  t.is(e?.received, 16777216);
  t.regex(e?.message ?? '', /for switches\[0\]\.ports\[1\]\.vni but received 16777216$/);
});

test('IPv4 only where asked', (t) => {
  t.throws(() => v.address('2001:db8::1', 'ip', 4), { message: 'expected an IPv4 address for ip but received "2001:db8::1"' });
});

// libvpc and vpcd take any 16 bytes as an id, not only RFC 4122 UUIDs.
test('UUID of no RFC 4122 version or variant', accepts, v.uuid, '11111111-2222-3333-4444-555555555555',
  '11111111-2222-3333-4444-555555555555');
test('UUID of no version, upper case', accepts, v.uuid, 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE',
  'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
test('UUID all ones', accepts, v.uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ffffffff-ffff-ffff-ffff-ffffffffffff');
test('UUID without dashes', refuses, v.uuid, '111111112222333344445555555555555',
  'expected a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8 for id but received "111111112222333344445555555555555"');
test('UUID with a non-hex digit', refuses, v.uuid, '11111111-2222-3333-4444-55555555555g',
  'expected a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8 for id but received "11111111-2222-3333-4444-55555555555g"');

test('uuidText and uuidBytes take any 16 bytes', (t) => {
  const bytes = Uint8Array.from([0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55]);
  t.is(v.uuidText(bytes), '11111111-2222-3333-4444-555555555555');
  t.deepEqual(v.uuidBytes('11111111-2222-3333-4444-555555555555'), bytes);
  t.is(v.uuidText(new Uint8Array(16).fill(0xab)), 'abababab-abab-abab-abab-abababababab');
  t.true(v.validateUuid('11111111-2222-3333-4444-555555555555'));
  t.throws(() => v.uuidText(new Uint8Array(15)), { message: /16 bytes/ });
});

// The text libvpc prints (glibc inet_ntop), so that re-apply compares equal.
const inetNtop: [string, string][] = [
  ['::ffff:203.0.113.7', '::ffff:203.0.113.7'],
  ['::FFFF:cb00:7107', '::ffff:203.0.113.7'],
  ['0:0:0:0:0:ffff:0:1', '::ffff:0.0.0.1'],
  ['::203.0.113.7', '::203.0.113.7'],
  ['::0.1.0.0', '::0.1.0.0'],
  ['::0.0.1.0', '::100'],
  ['::1', '::1'],
  ['::', '::'],
  ['::ffff:1:cb00:7107', '::ffff:1:cb00:7107'],
  ['64:ff9b::203.0.113.7', '64:ff9b::cb00:7107'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:db8::1:0:0:0', '2001:db8:0:0:1::'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
  ['1::', '1::'],
];
for (const [input, text] of inetNtop) test(`IPv6 ${input} as inet_ntop writes it`, accepts, v.address, input, text);

test('flood list: at most FLOOD_MAX distinct addresses, deduplicated and sorted', (t) => {
  t.deepEqual(v.floodList(['198.51.100.3', '198.51.100.2', '198.51.100.3'], 'remotes'), ['198.51.100.2', '198.51.100.3']);
  const many = Array.from({ length: 1025 }, (_x, i) => `2001:db8:1::${(i + 1).toString(16)}`);
  t.is(v.floodList(many.slice(0, 1024), 'remotes').length, 1024);
  const e = t.throws(() => v.floodList(many, 'switches[0].flood[0].remotes'), { instanceOf: ValidationError });
  t.is(e?.message, 'expected at most 1024 distinct addresses for switches[0].flood[0].remotes but received 1025');
});
