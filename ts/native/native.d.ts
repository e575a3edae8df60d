// native.d.ts: the vpc_native addon's surface, typed by hand.
//
// Keep in step with vpc_native.cc.  Ids cross as 16-byte Uint8Arrays in
// RFC 4122 byte order, MACs and addresses as their text forms.  Every
// function that talks to the kernel or vpcd returns a Promise and rejects
// with a NativeFailure; the typed wrapper turns it into VpcError.

/** What a failed native call rejects with. */
export interface NativeFailure extends Error {
  /** errno of the failure (positive). */
  errno: number;
  /** The op word that failed; 0 when it was not a vpc_ctl (open, close). */
  op: number;
  /** libvpc_op_name(op), "" when op is 0. */
  opName: string;
  /** The libvpc function that failed, "libvpc_port_vni_set". */
  call: string;
}

export interface NativeStats {
  rxPkts: number;
  rxBytes: number;
  txPkts: number;
  txBytes: number;
  dropsTotal: number;
  /** Indexed by drop reason number; VPC_DROP_SLOTS long. */
  drops: number[];
}

export interface NativeNeigh { vni: number; ip: string | null; mac: string; }
export interface NativeNeighIn { vni: number; ip: string; mac?: string; }
export interface NativeFwd { vni: number; mac: string; flags: number; remote: string | null; }
export interface NativeFwdIn { vni: number; mac: string; remote?: string; }
export interface NativeSwEntry { vni: number; mac: string; flags: number; port: Uint8Array; }
export interface NativeUdp { address: string | null; port: number; }
export interface NativeUdpIn { address: string; port: number; }
/**
 * One record of mgmtDump: request 'op' addressed to object 'id', with its
 * input decoded by op (none for COMMIT, PORT_DISCONNECT and ops the addon
 * does not know, whose opName may then be null).
 */
export interface NativeDumpRecord {
  id: Uint8Array;
  type: number;
  op: number;
  opName: string | null;
  /** MAC_SET. */
  mac?: string;
  /** The uint32_t of MTU_SET, SW_MODE_SET, PORT_VNI_SET, ...; SW_FLOOD_SET: the VNI. */
  value?: number;
  /** SW_PORT_ADD, SW_PORT_DEL: the port; PORT_CONNECT: the peer. */
  target?: Uint8Array;
  neigh?: NativeNeigh;
  /** SW_FLOOD_SET. */
  addresses?: (string | null)[];
  /** ETHLINK_ATTACH. */
  name?: string;
  local?: NativeUdp;
  fwd?: NativeFwd;
}

export interface NativeConstants {
  VPC_ABI_VERSION: number;
  VPC_TYPE_SWITCH: number; VPC_TYPE_PORT: number; VPC_TYPE_VPCLINK: number;
  VPC_TYPE_VMNIC: number; VPC_TYPE_MGMT: number; VPC_TYPE_ETHLINK: number;
  VPC_TYPE_VPCI: number;
  VPC_F_CREATE: number; VPC_F_OPEN: number; VPC_F_READ: number; VPC_F_WRITE: number;
  VPC_R_READ: number; VPC_R_WRITE: number;
  VPC_VNI_MAX: number; VPC_VLAN_MAX: number; VPC_MAX_QUEUES: number;
  VPC_FLOOD_MAX: number; VPC_MTU_MIN: number; VPC_MTU_MAX: number;
  VPC_VXLAN_PORT: number; VPC_IFNAMSIZ: number;
  VPC_SW_MODE_PROGRAMMED: number; VPC_SW_MODE_LEARNING: number;
  VPC_AF_INET: number; VPC_AF_INET6: number;
  VPC_FWD_F_LEARNED: number; VPC_SWE_F_LEARNED: number;
  VPC_DROP_COUNT: number; VPC_DROP_SLOTS: number;
  LIBVPC_BACKEND_NONE: number; LIBVPC_BACKEND_KERNEL: number; LIBVPC_BACKEND_VPCD: number;
}

export interface VpcNative {
  // Synchronous, no I/O.
  opName(op: number): string | null;
  typeName(type: number): string | null;
  dropName(reason: number): string | null;
  /** $VPC_SOCKET or the default, as libvpc will use it. */
  socketPath(): string;
  readonly constants: NativeConstants;

  // Asynchronous: run on the thread pool.
  backend(): Promise<number>;
  open(id: Uint8Array, type: number, flags: number): Promise<number>;
  close(vd: number): Promise<void>;
  typeGet(vd: number): Promise<number>;
  idGet(vd: number): Promise<Uint8Array>;
  commit(vd: number): Promise<void>;
  committedGet(vd: number): Promise<number>;
  destroy(vd: number): Promise<void>;
  macGet(vd: number): Promise<string>;
  macSet(vd: number, mac: string): Promise<void>;
  mtuGet(vd: number): Promise<number>;
  mtuSet(vd: number, mtu: number): Promise<void>;
  rightsGet(vd: number): Promise<number>;
  restrict(vd: number, rights: number): Promise<void>;
  abiVersion(vd: number): Promise<number>;
  statsGet(vd: number): Promise<NativeStats>;
  mgmtCount(vd: number, type: number): Promise<number>;
  mgmtList(vd: number, type: number): Promise<Uint8Array[]>;
  mgmtDump(vd: number): Promise<NativeDumpRecord[]>;
  switchPortAdd(vd: number, port: Uint8Array): Promise<void>;
  switchPortDel(vd: number, port: Uint8Array): Promise<void>;
  switchPortList(vd: number): Promise<Uint8Array[]>;
  switchModeGet(vd: number): Promise<number>;
  switchModeSet(vd: number, mode: number): Promise<void>;
  switchFloodSet(vd: number, vni: number, addresses: string[]): Promise<void>;
  switchFloodGet(vd: number, vni: number): Promise<(string | null)[]>;
  switchArpAdd(vd: number, e: NativeNeighIn): Promise<void>;
  switchArpDel(vd: number, e: NativeNeighIn): Promise<void>;
  switchArpList(vd: number): Promise<NativeNeigh[]>;
  switchMacList(vd: number): Promise<NativeSwEntry[]>;
  portConnect(vd: number, peer: Uint8Array): Promise<void>;
  portDisconnect(vd: number): Promise<void>;
  portVniGet(vd: number): Promise<number>;
  portVniSet(vd: number, vni: number): Promise<void>;
  portVlanGet(vd: number): Promise<number>;
  portVlanSet(vd: number, vlan: number): Promise<void>;
  portPeerGet(vd: number): Promise<Uint8Array>;
  portSwitchGet(vd: number): Promise<Uint8Array>;
  nicIfnameGet(vd: number): Promise<string>;
  nicQueuesGet(vd: number): Promise<number>;
  nicQueuesSet(vd: number, queues: number): Promise<void>;
  ethlinkAttach(vd: number, ifname: string): Promise<void>;
  ethlinkIfnameGet(vd: number): Promise<string>;
  ethlinkVlanGet(vd: number): Promise<number>;
  ethlinkVlanSet(vd: number, vlan: number): Promise<void>;
  vpclinkLocalSet(vd: number, a: NativeUdpIn): Promise<void>;
  vpclinkLocalGet(vd: number): Promise<NativeUdp>;
  vpclinkFwdSet(vd: number, f: NativeFwdIn): Promise<void>;
  vpclinkFwdDel(vd: number, f: NativeFwdIn): Promise<void>;
  vpclinkFwdList(vd: number): Promise<NativeFwd[]>;
}
