// errors.ts: the error classes of the library.
//
// ValidationError: an argument was refused in TypeScript, before any
// native call; its message names the field, what was expected and what
// was received.  VpcError: libvpc (the kernel or vpcd) refused a call; it
// carries the errno's name and number, the op, and the object's id.

import { constants as osConstants } from 'node:os';

const errnoNames: ReadonlyMap<number, string> = new Map(
  Object.entries(osConstants.errno).map(([name, num]) => [num, name]),
);

/** The symbolic name of errno 'num' ("EEXIST"), or "E<num>". */
export function errnoName(num: number): string {
  return errnoNames.get(num) ?? `E${num}`;
}

/** Render a received value for a message: strings quoted, others as JSON. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    /** The field, as the caller named it ("vni", "switches[0].ports[1].vni"). */
    readonly field: string,
    /** What was expected ("a VNI between 0 and 16777215"). */
    readonly expected: string,
    /** The value received. */
    readonly received: unknown,
  ) {
    super(`expected ${expected} for ${field} but received ${describe(received)}`);
  }
}

/** The fields of a VpcError, as `--json` prints them. */
export interface VpcErrorJson {
  name: 'VpcError';
  code: string;
  errno: number;
  op: string;
  call: string;
  objectId: string | null;
  objectType: string | null;
  message: string;
}

export class VpcError extends Error {
  override readonly name = 'VpcError';
  /** errno name, "EEXIST". */
  readonly code: string;
  constructor(
    message: string,
    /** errno number. */
    readonly errno: number,
    /** Op name ("VPC_OP_PORT_VNI_SET"); "" when the failure was no vpc_ctl (open). */
    readonly op: string,
    /** The libvpc function that failed. */
    readonly call: string,
    /** The object the call was about, when known. */
    readonly objectId: string | null,
    /** Its type name, when known. */
    readonly objectType: string | null,
  ) {
    super(message);
    this.code = errnoName(errno);
  }

  /** True when the failure was reaching vpcd, not a refusal of the call. */
  get vpcdNotRunning(): boolean {
    return this.call === 'libvpc_obj_open' && /vpcd is not running|cannot connect to vpcd/.test(this.message);
  }

  toJSON(): VpcErrorJson {
    return {
      name: 'VpcError', code: this.code, errno: this.errno, op: this.op, call: this.call,
      objectId: this.objectId, objectType: this.objectType, message: this.message,
    };
  }
}

/** An input such as a topology file that is wrong as a whole. */
export class TopologyError extends Error {
  override readonly name: string = 'TopologyError';
  constructor(message: string, readonly problems: readonly string[] = []) {
    super(problems.length > 0 ? `${message}:\n  ${problems.join('\n  ')}` : message);
  }
}
