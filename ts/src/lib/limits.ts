// limits.ts: the constants of <net/vpc.h> that validation needs.
//
// Written out so that validation works without the addon; a unit test
// checks every value against the addon's constants (taken from the
// header at compile time).

export const VNI_MAX = 0x00ffffff;
export const VLAN_MAX = 4094;
export const MAX_QUEUES = 16;
export const FLOOD_MAX = 1024;
export const MTU_MIN = 576;
export const MTU_MAX = 9000;
export const VXLAN_PORT = 4789;
export const IFNAMSIZ = 16;

export const OBJECT_TYPES = ['switch', 'port', 'vpclink', 'vmnic', 'ethlink', 'vpci'] as const;
/** The object types an operator creates (mgmt is the enumeration object). */
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Type numbers of enum vpc_obj_type. */
export const TYPE_NUMBER: Readonly<Record<ObjectType | 'mgmt', number>> = {
  switch: 1, port: 2, vpclink: 5, vmnic: 6, mgmt: 7, ethlink: 8, vpci: 9,
};

export const SWITCH_MODES = ['programmed', 'learning'] as const;
export type SwitchMode = (typeof SWITCH_MODES)[number];
export const MODE_NUMBER: Readonly<Record<SwitchMode, number>> = { programmed: 1, learning: 2 };

export const F_CREATE = 0x1;
export const F_OPEN = 0x2;
export const F_READ = 0x4;
export const F_WRITE = 0x8;
export const R_READ = 0x1;
export const R_WRITE = 0x2;
export const FWD_F_LEARNED = 0x1;
export const SWE_F_LEARNED = 0x1;
