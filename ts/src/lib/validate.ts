// validate.ts: argument checks made before any native call.
//
// Each check takes the value and the name of the field it came from and
// returns the value in its canonical form, or throws ValidationError
// ("expected a VNI between 0 and 16777215 for vni but received 16777216").

import { isIPv4, isIPv6 } from 'node:net';
import { parse as uuidParse, stringify as uuidStringify, validate as uuidValidate } from 'uuid';

import { ValidationError } from './errors';
import {
  IFNAMSIZ, MAX_QUEUES, MTU_MAX, MTU_MIN, OBJECT_TYPES, ObjectType, SWITCH_MODES, SwitchMode,
  VLAN_MAX, VNI_MAX,
} from './limits';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

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

/** An object UUID (not the nil UUID); returned in lower-case canonical form. */
export function uuid(value: unknown, field = 'id'): string {
  if (typeof value !== 'string' || !uuidValidate(value)) {
    throw new ValidationError(field, 'a UUID such as 6ba7b810-9dad-11d1-80b4-00c04fd430c8', value);
  }
  const canonical = uuidStringify(uuidParse(value));
  if (canonical === NIL_UUID) {
    throw new ValidationError(field, 'a UUID other than the nil UUID (reserved for mgmt)', value);
  }
  return canonical;
}

/** The 16 bytes of UUID 'id' (already validated), for the addon. */
export function uuidBytes(id: string): Uint8Array {
  return uuidParse(id);
}

/** The text form of 16 UUID bytes from the addon. */
export function uuidText(bytes: Uint8Array): string {
  return uuidStringify(bytes);
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

/** RFC 5952 text of an IPv6 address already known to be valid. */
export function canonicalIPv6(text: string): string {
  const u = new URL(`http://[${text}]/`);
  return u.hostname.slice(1, -1);
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

/** True when 'value' is a UUID string (any version). */
export function validateUuid(value: string): boolean {
  return uuidValidate(value);
}
