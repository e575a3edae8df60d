// object.ts: VpcObject, the base of every object class, and the call
// wrapper that turns a native failure into VpcError.

import type { NativeFailure, NativeStats, VpcNative } from '../../native/native';
import { VpcError } from './errors';
import { R_READ, R_WRITE } from './limits';
import { native } from './native';
import * as v from './validate';

/** Counters of an object (struct vpc_stats); drops by reason name. */
export interface Stats {
  rxPkts: number;
  rxBytes: number;
  txPkts: number;
  txBytes: number;
  dropsTotal: number;
  /** Every reason the header names, zero or not ("vxlan_short": 0, ...). */
  drops: Record<string, number>;
}

export interface Rights { read: boolean; write: boolean; }

function isNativeFailure(e: unknown): e is NativeFailure {
  return e instanceof Error && typeof (e as Partial<NativeFailure>).errno === 'number' &&
    typeof (e as Partial<NativeFailure>).call === 'string';
}

/**
 * Run native call 'fn', turning its failure into a VpcError about object
 * 'id' of type 'type'.  The VpcError is made here, so its stack shows the
 * caller rather than the thread pool's completion.
 */
export async function nativeCall<T>(id: string | null, type: string | null,
  fn: (n: VpcNative) => Promise<T>): Promise<T> {
  const n = native();
  try {
    return await fn(n);
  } catch (e) {
    if (isNativeFailure(e)) {
      throw new VpcError(e.message, e.errno, e.opName, e.call, id, type);
    }
    throw e;
  }
}

/** Convert the addon's counters. */
export function statsOf(s: NativeStats): Stats {
  const n = native();
  const drops: Record<string, number> = {};
  const count = n.constants.VPC_DROP_COUNT;
  for (let i = 0; i < count; i++) {
    drops[n.dropName(i) ?? `reason_${i}`] = s.drops[i] ?? 0;
  }
  return { rxPkts: s.rxPkts, rxBytes: s.rxBytes, txPkts: s.txPkts, txBytes: s.txBytes, dropsTotal: s.dropsTotal, drops };
}

/** The drops of 'stats' that are not zero (and not "none"). */
export function nonzeroDrops(stats: Stats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, val] of Object.entries(stats.drops)) if (val !== 0 && k !== 'none') out[k] = val;
  return out;
}

/**
 * One open descriptor of one object.  Methods map one to one onto libvpc
 * calls; close() releases the descriptor (an uncommitted object whose
 * last descriptor closes is torn down by the kernel or vpcd).
 */
export abstract class VpcObject {
  abstract readonly type: string;
  private closed = false;

  constructor(
    /** The object's UUID, canonical lower case. */
    readonly id: string,
    /** The descriptor. */
    readonly vd: number,
  ) {}

  protected call<T>(fn: (n: VpcNative, vd: number) => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(new Error(`${this.type} ${this.id}: descriptor already closed`));
    }
    return nativeCall(this.id, this.type, (n) => fn(n, this.vd));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await nativeCall(this.id, this.type, (n) => n.close(this.vd));
  }

  /** VPC_OP_TYPE_GET: the type number. */
  typeNumber(): Promise<number> { return this.call((n, vd) => n.typeGet(vd)); }
  /** VPC_OP_ID_GET. */
  async idGet(): Promise<string> { return v.uuidText(await this.call((n, vd) => n.idGet(vd))); }
  /** VPC_OP_COMMIT: the registry keeps the object after this descriptor closes. */
  commit(): Promise<void> { return this.call((n, vd) => n.commit(vd)); }
  async committed(): Promise<boolean> { return (await this.call((n, vd) => n.committedGet(vd))) !== 0; }
  /** VPC_OP_DESTROY: unlink; EBUSY while in use. */
  destroy(): Promise<void> { return this.call((n, vd) => n.destroy(vd)); }
  mac(): Promise<string> { return this.call((n, vd) => n.macGet(vd)); }
  setMac(mac: string): Promise<void> {
    const m = v.mac(mac);
    return this.call((n, vd) => n.macSet(vd, m));
  }
  mtu(): Promise<number> { return this.call((n, vd) => n.mtuGet(vd)); }
  setMtu(mtu: number): Promise<void> {
    const m = v.mtu(mtu);
    return this.call((n, vd) => n.mtuSet(vd, m));
  }
  async rights(): Promise<Rights> {
    const r = await this.call((n, vd) => n.rightsGet(vd));
    return { read: (r & R_READ) !== 0, write: (r & R_WRITE) !== 0 };
  }
  /** VPC_OP_RESTRICT: keep only the rights given (never extends). */
  restrict(rights: Rights): Promise<void> {
    const r = (rights.read ? R_READ : 0) | (rights.write ? R_WRITE : 0);
    return this.call((n, vd) => n.restrict(vd, r));
  }
  abiVersion(): Promise<number> { return this.call((n, vd) => n.abiVersion(vd)); }
}

/** Objects with counters: every type but mgmt. */
export abstract class CountedObject extends VpcObject {
  async stats(): Promise<Stats> { return statsOf(await this.call((n, vd) => n.statsGet(vd))); }
}
