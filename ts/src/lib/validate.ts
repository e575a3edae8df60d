// validate.ts: argument checks made before any native call.
//
// Each check takes the value and the name of the field it came from and
// returns the value in its canonical form, or throws ValidationError
// ("expected a VNI between 0 and 16777215 for vni but received 16777216").

import { isIPv4, isIPv6 } from 'node:net';

import { ValidationError } from './errors';
import {
  FLOOD_MAX, IFNAMSIZ, MAX_QUEUES, MTU_MAX, MTU_MIN, OBJECT_TYPES, ObjectType, SWITCH_MODES, SwitchMode,
  VLAN_MAX, VNI_MAX,
} from './limits';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/**
 * The 8-4-4-4-12 hex form of 16 bytes.  No RFC 4122 version or variant is
 * required: vpcd and libvpc take any 16 bytes as an id.
 */
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function integerIn(value: unknown, field: string, lo: number, hi: number, what: string): number {
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) value = Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw new ValidationError(field, `${what} between ${lo} and ${hi}`, value);
  }
  return value;
}

/** A VNI: an integer in 0..2^24-1. */
export function vni(value: unknown, field = 'vni'): number {
  return integerIn(value, field, 0, VNI_MAX, 'a VNI');
}

/** A VLAN id: 0 (none) or 1..4094. */
export function vlan(value: unknown, field = 'vlan'): number {
  return integerIn(value, field, 0, VLAN_MAX, 'a VLAN id');
}

export function mtu(value: unknown, field = 'mtu'): number {
  return integerIn(value, field, MTU_MIN, MTU_MAX, 'an MTU');
}

export function queues(value: unknown, field = 'queues'): number {
  return integerIn(value, field, 1, MAX_QUEUES, 'a queue count');
}

/** A UDP port; 0 means the default (4789). */
export function udpPort(value: unknown, field = 'port'): number {
  return integerIn(value, field, 0, 65535, 'a UDP port');
}

/**
 * An object UUID (any 16 bytes in 8-4-4-4-12 hex, either case; not the nil
 * UUID); returned in lower case.
 */
export function uuid(value: unknown, field = 'id'): string {
  if (typeof value !== 'string' || !UUID_TEXT.test(value)) {
    throw new ValidationError(field, 'a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8', value);
  }
  const canonical = value.toLowerCase();
  if (canonical === NIL_UUID) {
    throw new ValidationError(field, 'a UUID other than the nil UUID (reserved for mgmt)', value);
  }
  return canonical;
}

/** The 16 bytes of UUID 'id' (already validated), for the addon. */
export function uuidBytes(id: string): Uint8Array {
  if (!UUID_TEXT.test(id)) throw new ValidationError('id', 'a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8', id);
  return Uint8Array.from(Buffer.from(id.replace(/-/g, ''), 'hex'));
}

/** The text form (lower case) of 16 UUID bytes from the addon. */
export function uuidText(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`a UUID is 16 bytes, the addon gave ${bytes.length}`);
  const h = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A unicast MAC address "02:00:5e:10:00:01" (also "-" separated); lower case. */
export function mac(value: unknown, field = 'mac'): string {
  const expected = 'a unicast MAC address such as 02:00:00:00:00:01';
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/.test(value)) {
    throw new ValidationError(field, expected, value);
  }
  const octets = value.toLowerCase().split(/[:-]/);
  const first = parseInt(octets[0] ?? '0', 16);
  if ((first & 1) !== 0) {
    throw new ValidationError(field, `${expected} (the multicast bit of the first octet clear)`, value);
  }
  if (octets.every((o) => o === '00')) {
    throw new ValidationError(field, `${expected} (not all zero)`, value);
  }
  return octets.join(':');
}

export type AddressFamily = 4 | 6;

/** An IPv4 or IPv6 address (no prefix, no zone); canonical text. */
export function address(value: unknown, field = 'address', family?: AddressFamily): string {
  const what = family === 4 ? 'an IPv4 address' : family === 6 ? 'an IPv6 address' : 'an IPv4 or IPv6 address';
  if (typeof value !== 'string') throw new ValidationError(field, what, value);
  const v4 = isIPv4(value);
  const v6 = !v4 && isIPv6(value) && !value.includes('%');
  if ((!v4 && !v6) || (family === 4 && !v4) || (family === 6 && !v6)) {
    throw new ValidationError(field, what, value);
  }
  return v4 ? value : canonicalIPv6(value);
}

/** The eight 16-bit words of an IPv6 address already known to be valid. */
function ipv6Words(text: string): number[] {
  let s = text.toLowerCase();
  const tail: number[] = [];
  const dotted = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted !== null && dotted[1] !== undefined) {
    const b = dotted[1].split('.').map(Number);
    tail.push(((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0));
    s = s.slice(0, s.length - dotted[1].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const groups = (x: string): number[] => (x === '' ? [] : x.split(':').map((g) => parseInt(g, 16)));
  const gap = s.indexOf('::');
  let head: number[];
  if (gap < 0) {
    head = groups(s);
  } else {
    const left = groups(s.slice(0, gap));
    const right = groups(s.slice(gap + 2));
    head = [...left, ...new Array<number>(8 - tail.length - left.length - right.length).fill(0), ...right];
  }
  return [...head, ...tail];
}

/**
 * The text of an IPv6 address already known to be valid, as libvpc writes
 * it (glibc inet_ntop(3)): RFC 5952 (lower case, the longest run of two or
 * more zero words, the first of equal ones, as "::"), and a dotted IPv4
 * tail for ::ffff:a.b.c.d and ::a.b.c.d (but not ::1 or ::x with one word).
 */
export function canonicalIPv6(text: string): string {
  const w = ipv6Words(text);
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      cur = cur.base < 0 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = cur;
    } else {
      cur = { base: -1, len: 0 };
    }
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && w[5] === 0xffff))) {
      const a = w[6] ?? 0;
      const b = w[7] ?? 0;
      return `${out}${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
    }
    out += (w[i] ?? 0).toString(16);
  }
  if (best.base >= 0 && best.base + best.len === 8) out += ':';
  return out;
}

/**
 * A flood list: addresses (canonical text), duplicates dropped, sorted;
 * at most FLOOD_MAX distinct ones (what vpcd takes).
 */
export function floodList(value: unknown, field = 'remotes'): string[] {
  if (!Array.isArray(value)) throw new ValidationError(field, 'a list of addresses', value);
  const list = [...new Set(value.map((a, i) => address(a, `${field}[${i}]`)))].sort();
  if (list.length > FLOOD_MAX) throw new ValidationError(field, `at most ${FLOOD_MAX} distinct addresses`, list.length);
  return list;
}

/** An interface name: 1..15 bytes, no '/', whitespace or NUL. */
export function ifname(value: unknown, field = 'ifname'): string {
  const what = `an interface name of 1 to ${IFNAMSIZ - 1} characters without '/', ':' or spaces`;
  if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > IFNAMSIZ - 1 ||
      /[\s/:\0]/.test(value) || value === '.' || value === '..') {
    throw new ValidationError(field, what, value);
  }
  return value;
}

export function switchMode(value: unknown, field = 'mode'): SwitchMode {
  if (typeof value !== 'string' || !(SWITCH_MODES as readonly string[]).includes(value)) {
    throw new ValidationError(field, `one of ${SWITCH_MODES.join(', ')}`, value);
  }
  return value as SwitchMode;
}

export function objectType(value: unknown, field = 'type'): ObjectType {
  if (typeof value !== 'string' || !(OBJECT_TYPES as readonly string[]).includes(value)) {
    throw new ValidationError(field, `one of ${OBJECT_TYPES.join(', ')}`, value);
  }
  return value as ObjectType;
}

/** A human name for an object in a topology file. */
export function objectName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,62}$/.test(value)) {
    throw new ValidationError(field, 'a name of 1 to 63 letters, digits, "_", ".", "@" or "-" starting with a letter or digit', value);
  }
  return value;
}

/** True when 'value' is a UUID string (any 16 bytes in 8-4-4-4-12 hex). */
export function validateUuid(value: string): boolean {
  return UUID_TEXT.test(value);
}
