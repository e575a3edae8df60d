/*
 * vpc_native.cc: the libvpc binding for Node.js (node-addon-api).
 *
 * Every libvpc call is one JS function returning a Promise.  The JS
 * arguments are converted on the main thread into a plain Baton struct;
 * an AsyncWorker runs the blocking libvpc call on the thread pool with
 * only that struct (never a JS value), and back on the main thread the
 * result is converted to JS or the failure to an Error carrying errno,
 * the op word, the op name and libvpc_errstr()'s text.  Each call uses
 * its own libvpc handle, so concurrent calls never share an error record.
 * Argument checking here is only about JS types: the TypeScript layer
 * (ts/src/lib) validates values and names fields in its messages.
 * The surface is typed by hand in native.d.ts; keep the two in step.
 */

#include <napi.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "libvpc.h"

namespace {

/* What a Baton asks the worker to do: one libvpc call each. */
enum class Call {
	Open, Close, TypeGet, IdGet, Commit, CommittedGet, Destroy, MacGet,
	MacSet, MtuGet, MtuSet, RightsGet, Restrict, AbiVersion, StatsGet,
	MgmtCount, MgmtList, SwPortAdd, SwPortDel, SwPortList, SwModeGet,
	SwModeSet, SwFloodSet, SwFloodGet, SwArpAdd, SwArpDel, SwArpList,
	SwMacList, PortConnect, PortDisconnect, PortVniGet, PortVniSet,
	PortVlanGet, PortVlanSet, PortPeerGet, PortSwitchGet, NicIfnameGet,
	NicQueuesGet, NicQueuesSet, EthAttach, EthIfnameGet, EthVlanGet,
	EthVlanSet, VlLocalSet, VlLocalGet, VlFwdSet, VlFwdDel, VlFwdList,
	MgmtDump, Backend
};

/* How the JS arguments of a call are read. */
enum class Args {
	None,		/* () */
	Vd,		/* (vd) */
	VdU32,		/* (vd, number) */
	VdId,		/* (vd, Uint8Array(16)) */
	VdMac,		/* (vd, "aa:bb:cc:dd:ee:ff") */
	VdStr,		/* (vd, string ifname) */
	VdFlood,	/* (vd, vni, string[] addresses) */
	VdNeigh,	/* (vd, {vni, ip, mac}) */
	VdFwd,		/* (vd, {vni, mac, remote}) */
	VdUdp,		/* (vd, {address, port}) */
	Open		/* (Uint8Array(16) id, type, flags) */
};

/* What a successful call gives back to JS. */
enum class Result {
	Void, Int, U32, Id, Mac, Stats, Ids, Addrs, Neighs, SwEntries,
	Fwds, Name, Udp, Dump
};

/* One exported function: its JS name and what it does. */
struct Spec {
	const char	*name;		/* JS name */
	const char	*cname;		/* libvpc function, for messages */
	Call		 call;
	Args		 args;
	Result		 result;
};

const Spec specs[] = {
	{ "open", "libvpc_obj_open", Call::Open, Args::Open, Result::Int },
	{ "close", "libvpc_obj_close", Call::Close, Args::Vd, Result::Void },
	{ "typeGet", "libvpc_type_get", Call::TypeGet, Args::Vd,
	    Result::U32 },
	{ "idGet", "libvpc_id_get", Call::IdGet, Args::Vd, Result::Id },
	{ "commit", "libvpc_commit", Call::Commit, Args::Vd, Result::Void },
	{ "committedGet", "libvpc_committed_get", Call::CommittedGet,
	    Args::Vd, Result::U32 },
	{ "destroy", "libvpc_destroy", Call::Destroy, Args::Vd,
	    Result::Void },
	{ "macGet", "libvpc_mac_get", Call::MacGet, Args::Vd, Result::Mac },
	{ "macSet", "libvpc_mac_set", Call::MacSet, Args::VdMac,
	    Result::Void },
	{ "mtuGet", "libvpc_mtu_get", Call::MtuGet, Args::Vd, Result::U32 },
	{ "mtuSet", "libvpc_mtu_set", Call::MtuSet, Args::VdU32,
	    Result::Void },
	{ "rightsGet", "libvpc_rights_get", Call::RightsGet, Args::Vd,
	    Result::U32 },
	{ "restrict", "libvpc_restrict", Call::Restrict, Args::VdU32,
	    Result::Void },
	{ "abiVersion", "libvpc_abi_version", Call::AbiVersion, Args::Vd,
	    Result::U32 },
	{ "statsGet", "libvpc_stats_get", Call::StatsGet, Args::Vd,
	    Result::Stats },
	{ "mgmtCount", "libvpc_mgmt_count", Call::MgmtCount, Args::VdU32,
	    Result::U32 },
	{ "mgmtList", "libvpc_mgmt_list", Call::MgmtList, Args::VdU32,
	    Result::Ids },
	{ "mgmtDump", "libvpc_mgmt_dump", Call::MgmtDump, Args::Vd,
	    Result::Dump },
	{ "switchPortAdd", "libvpc_switch_port_add", Call::SwPortAdd,
	    Args::VdId, Result::Void },
	{ "switchPortDel", "libvpc_switch_port_del", Call::SwPortDel,
	    Args::VdId, Result::Void },
	{ "switchPortList", "libvpc_switch_port_list", Call::SwPortList,
	    Args::Vd, Result::Ids },
	{ "switchModeGet", "libvpc_switch_mode_get", Call::SwModeGet,
	    Args::Vd, Result::U32 },
	{ "switchModeSet", "libvpc_switch_mode_set", Call::SwModeSet,
	    Args::VdU32, Result::Void },
	{ "switchFloodSet", "libvpc_switch_flood_set", Call::SwFloodSet,
	    Args::VdFlood, Result::Void },
	{ "switchFloodGet", "libvpc_switch_flood_get", Call::SwFloodGet,
	    Args::VdU32, Result::Addrs },
	{ "switchArpAdd", "libvpc_switch_arp_add", Call::SwArpAdd,
	    Args::VdNeigh, Result::Void },
	{ "switchArpDel", "libvpc_switch_arp_del", Call::SwArpDel,
	    Args::VdNeigh, Result::Void },
	{ "switchArpList", "libvpc_switch_arp_list", Call::SwArpList,
	    Args::Vd, Result::Neighs },
	{ "switchMacList", "libvpc_switch_mac_list", Call::SwMacList,
	    Args::Vd, Result::SwEntries },
	{ "portConnect", "libvpc_port_connect", Call::PortConnect,
	    Args::VdId, Result::Void },
	{ "portDisconnect", "libvpc_port_disconnect", Call::PortDisconnect,
	    Args::Vd, Result::Void },
	{ "portVniGet", "libvpc_port_vni_get", Call::PortVniGet, Args::Vd,
	    Result::U32 },
	{ "portVniSet", "libvpc_port_vni_set", Call::PortVniSet,
	    Args::VdU32, Result::Void },
	{ "portVlanGet", "libvpc_port_vlan_get", Call::PortVlanGet,
	    Args::Vd, Result::U32 },
	{ "portVlanSet", "libvpc_port_vlan_set", Call::PortVlanSet,
	    Args::VdU32, Result::Void },
	{ "portPeerGet", "libvpc_port_peer_get", Call::PortPeerGet,
	    Args::Vd, Result::Id },
	{ "portSwitchGet", "libvpc_port_switch_get", Call::PortSwitchGet,
	    Args::Vd, Result::Id },
	{ "nicIfnameGet", "libvpc_nic_ifname_get", Call::NicIfnameGet,
	    Args::Vd, Result::Name },
	{ "nicQueuesGet", "libvpc_nic_queues_get", Call::NicQueuesGet,
	    Args::Vd, Result::U32 },
	{ "nicQueuesSet", "libvpc_nic_queues_set", Call::NicQueuesSet,
	    Args::VdU32, Result::Void },
	{ "ethlinkAttach", "libvpc_ethlink_attach", Call::EthAttach,
	    Args::VdStr, Result::Void },
	{ "ethlinkIfnameGet", "libvpc_ethlink_ifname_get",
	    Call::EthIfnameGet, Args::Vd, Result::Name },
	{ "ethlinkVlanGet", "libvpc_ethlink_vlan_get", Call::EthVlanGet,
	    Args::Vd, Result::U32 },
	{ "ethlinkVlanSet", "libvpc_ethlink_vlan_set", Call::EthVlanSet,
	    Args::VdU32, Result::Void },
	{ "vpclinkLocalSet", "libvpc_vpclink_local_set", Call::VlLocalSet,
	    Args::VdUdp, Result::Void },
	{ "vpclinkLocalGet", "libvpc_vpclink_local_get", Call::VlLocalGet,
	    Args::Vd, Result::Udp },
	{ "vpclinkFwdSet", "libvpc_vpclink_fwd_set", Call::VlFwdSet,
	    Args::VdFwd, Result::Void },
	{ "vpclinkFwdDel", "libvpc_vpclink_fwd_del", Call::VlFwdDel,
	    Args::VdFwd, Result::Void },
	{ "vpclinkFwdList", "libvpc_vpclink_fwd_list", Call::VlFwdList,
	    Args::Vd, Result::Fwds },
	{ "backend", "libvpc_backend", Call::Backend, Args::None,
	    Result::U32 },
};

/*
 * Everything one call needs and produces, as plain C data: the worker
 * thread reads and writes only this.
 */
struct Baton {
	const Spec	*spec;		/* the call */
	int		 vd;		/* descriptor */
	uint32_t	 u32;		/* number argument (vni, mtu, type..) */
	uint32_t	 flags;		/* vpc_open flags */
	vpc_id_t	 id;		/* id argument */
	uint8_t		 mac[6];	/* MAC argument */
	char		 name[VPC_IFNAMSIZ]; /* ifname argument */
	std::vector<struct vpc_ipaddr> addrs; /* flood list argument */
	struct vpc_neigh neigh;		/* ARP entry argument */
	struct vpc_fwd	 fwd;		/* forwarding entry argument */
	struct vpc_udpaddr udp;		/* local address argument */

	int		 rc;		/* libvpc's return value */
	int		 err;		/* errno of a failure, 0: none */
	uint32_t	 errop;		/* op word of a failure, 0: none */
	std::string	 errstr;	/* libvpc_errstr() of a failure */
	uint32_t	 out_u32;	/* U32 result */
	vpc_id_t	 out_id;	/* Id result */
	uint8_t		 out_mac[6];	/* Mac result */
	char		 out_name[VPC_IFNAMSIZ]; /* Name result */
	struct vpc_udpaddr out_udp;	/* Udp result */
	struct vpc_stats out_stats;	/* Stats result */
	void		*list;		/* list result, malloc'ed by libvpc */
	size_t		 nlist;		/* entries in 'list' (Dump: bytes) */

	Baton() : spec(nullptr), vd(-1), u32(0), flags(0), rc(0), err(0),
	    errop(0), out_u32(0), list(nullptr), nlist(0)
	{
		std::memset(&id, 0, sizeof(id));
		std::memset(mac, 0, sizeof(mac));
		std::memset(name, 0, sizeof(name));
		std::memset(&neigh, 0, sizeof(neigh));
		std::memset(&fwd, 0, sizeof(fwd));
		std::memset(&udp, 0, sizeof(udp));
		std::memset(&out_id, 0, sizeof(out_id));
		std::memset(out_mac, 0, sizeof(out_mac));
		std::memset(out_name, 0, sizeof(out_name));
		std::memset(&out_udp, 0, sizeof(out_udp));
		std::memset(&out_stats, 0, sizeof(out_stats));
	}
	~Baton() { std::free(list); }
	Baton(const Baton &) = delete;
	Baton &operator=(const Baton &) = delete;
};

/* Run the libvpc call of 'b' with handle 'h'; returns libvpc's value. */
int
run_call(libvpc_handle_t *h, Baton &b)
{
	int vd = b.vd;

	switch (b.spec->call) {
	case Call::Open:
		return (libvpc_obj_open(h, &b.id, b.u32, b.flags));
	case Call::Close:
		return (libvpc_obj_close(h, vd));
	case Call::TypeGet:
		return (libvpc_type_get(h, vd, &b.out_u32));
	case Call::IdGet:
		return (libvpc_id_get(h, vd, &b.out_id));
	case Call::Commit:
		return (libvpc_commit(h, vd));
	case Call::CommittedGet:
		return (libvpc_committed_get(h, vd, &b.out_u32));
	case Call::Destroy:
		return (libvpc_destroy(h, vd));
	case Call::MacGet:
		return (libvpc_mac_get(h, vd, b.out_mac));
	case Call::MacSet:
		return (libvpc_mac_set(h, vd, b.mac));
	case Call::MtuGet:
		return (libvpc_mtu_get(h, vd, &b.out_u32));
	case Call::MtuSet:
		return (libvpc_mtu_set(h, vd, b.u32));
	case Call::RightsGet:
		return (libvpc_rights_get(h, vd, &b.out_u32));
	case Call::Restrict:
		return (libvpc_restrict(h, vd, b.u32));
	case Call::AbiVersion:
		return (libvpc_abi_version(h, vd, &b.out_u32));
	case Call::StatsGet:
		return (libvpc_stats_get(h, vd, &b.out_stats));
	case Call::MgmtCount:
		return (libvpc_mgmt_count(h, vd, b.u32, &b.out_u32));
	case Call::MgmtList:
		return (libvpc_mgmt_list(h, vd, b.u32,
		    reinterpret_cast<vpc_id_t **>(&b.list), &b.nlist));
	case Call::SwPortAdd:
		return (libvpc_switch_port_add(h, vd, &b.id));
	case Call::SwPortDel:
		return (libvpc_switch_port_del(h, vd, &b.id));
	case Call::SwPortList:
		return (libvpc_switch_port_list(h, vd,
		    reinterpret_cast<vpc_id_t **>(&b.list), &b.nlist));
	case Call::SwModeGet:
		return (libvpc_switch_mode_get(h, vd, &b.out_u32));
	case Call::SwModeSet:
		return (libvpc_switch_mode_set(h, vd, b.u32));
	case Call::SwFloodSet:
		return (libvpc_switch_flood_set(h, vd, b.u32,
		    b.addrs.empty() ? nullptr : b.addrs.data(),
		    b.addrs.size()));
	case Call::SwFloodGet:
		return (libvpc_switch_flood_get(h, vd, b.u32,
		    reinterpret_cast<struct vpc_ipaddr **>(&b.list),
		    &b.nlist));
	case Call::SwArpAdd:
		return (libvpc_switch_arp_add(h, vd, &b.neigh));
	case Call::SwArpDel:
		return (libvpc_switch_arp_del(h, vd, &b.neigh));
	case Call::SwArpList:
		return (libvpc_switch_arp_list(h, vd,
		    reinterpret_cast<struct vpc_neigh **>(&b.list),
		    &b.nlist));
	case Call::SwMacList:
		return (libvpc_switch_mac_list(h, vd,
		    reinterpret_cast<struct vpc_swentry **>(&b.list),
		    &b.nlist));
	case Call::PortConnect:
		return (libvpc_port_connect(h, vd, &b.id));
	case Call::PortDisconnect:
		return (libvpc_port_disconnect(h, vd));
	case Call::PortVniGet:
		return (libvpc_port_vni_get(h, vd, &b.out_u32));
	case Call::PortVniSet:
		return (libvpc_port_vni_set(h, vd, b.u32));
	case Call::PortVlanGet:
		return (libvpc_port_vlan_get(h, vd, &b.out_u32));
	case Call::PortVlanSet:
		return (libvpc_port_vlan_set(h, vd, b.u32));
	case Call::PortPeerGet:
		return (libvpc_port_peer_get(h, vd, &b.out_id));
	case Call::PortSwitchGet:
		return (libvpc_port_switch_get(h, vd, &b.out_id));
	case Call::NicIfnameGet:
		return (libvpc_nic_ifname_get(h, vd, b.out_name));
	case Call::NicQueuesGet:
		return (libvpc_nic_queues_get(h, vd, &b.out_u32));
	case Call::NicQueuesSet:
		return (libvpc_nic_queues_set(h, vd, b.u32));
	case Call::EthAttach:
		return (libvpc_ethlink_attach(h, vd, b.name));
	case Call::EthIfnameGet:
		return (libvpc_ethlink_ifname_get(h, vd, b.out_name));
	case Call::EthVlanGet:
		return (libvpc_ethlink_vlan_get(h, vd, &b.out_u32));
	case Call::EthVlanSet:
		return (libvpc_ethlink_vlan_set(h, vd, b.u32));
	case Call::VlLocalSet:
		return (libvpc_vpclink_local_set(h, vd, &b.udp));
	case Call::VlLocalGet:
		return (libvpc_vpclink_local_get(h, vd, &b.out_udp));
	case Call::VlFwdSet:
		return (libvpc_vpclink_fwd_set(h, vd, &b.fwd));
	case Call::VlFwdDel:
		return (libvpc_vpclink_fwd_del(h, vd, &b.fwd));
	case Call::VlFwdList:
		return (libvpc_vpclink_fwd_list(h, vd,
		    reinterpret_cast<struct vpc_fwd **>(&b.list), &b.nlist));
	case Call::MgmtDump:
		return (libvpc_mgmt_dump(h, vd, &b.list, &b.nlist));
	case Call::Backend:
		b.out_u32 = static_cast<uint32_t>(libvpc_backend());
		return (0);
	}
	errno = EINVAL;
	return (-1);
}

/* What the input of a dump record holds, by its op. */
enum class DumpIn { None, Mac, U32, Id, Neigh, Flood, Name, Udp, Fwd,
	Unknown };

DumpIn
dump_in(vpc_op_t op)
{
	switch (op) {
	case VPC_OP_COMMIT:
	case VPC_OP_PORT_DISCONNECT:
		return (DumpIn::None);
	case VPC_OP_MAC_SET:
		return (DumpIn::Mac);
	case VPC_OP_MTU_SET:
	case VPC_OP_SW_MODE_SET:
	case VPC_OP_PORT_VNI_SET:
	case VPC_OP_PORT_VLAN_SET:
	case VPC_OP_VMNIC_QUEUES_SET:
	case VPC_OP_VPCI_QUEUES_SET:
	case VPC_OP_ETHLINK_VLAN_SET:
		return (DumpIn::U32);
	case VPC_OP_SW_PORT_ADD:
	case VPC_OP_SW_PORT_DEL:
	case VPC_OP_PORT_CONNECT:
		return (DumpIn::Id);
	case VPC_OP_SW_ARP_ADD:
		return (DumpIn::Neigh);
	case VPC_OP_SW_FLOOD_SET:
		return (DumpIn::Flood);
	case VPC_OP_ETHLINK_ATTACH:
		return (DumpIn::Name);
	case VPC_OP_VPCLINK_LOCAL_SET:
		return (DumpIn::Udp);
	case VPC_OP_VPCLINK_FWD_SET:
		return (DumpIn::Fwd);
	default:
		return (DumpIn::Unknown);
	}
}

/*
 * Whether a dump record's input has the size its op takes ('dr' from a
 * checked dump, so its input lies inside it).
 */
bool
dump_rec_ok(const struct vpc_dumprec *dr)
{
	const uint8_t *in = reinterpret_cast<const uint8_t *>(dr + 1);
	struct vpc_flood_hdr fh;
	size_t want;

	switch (dump_in(dr->dr_op)) {
	case DumpIn::None: want = 0; break;
	case DumpIn::Mac: want = sizeof(struct vpc_mac); break;
	case DumpIn::U32: want = sizeof(uint32_t); break;
	case DumpIn::Id: want = sizeof(vpc_id_t); break;
	case DumpIn::Neigh: want = sizeof(struct vpc_neigh); break;
	case DumpIn::Name: want = sizeof(struct vpc_ifname); break;
	case DumpIn::Udp: want = sizeof(struct vpc_udpaddr); break;
	case DumpIn::Fwd: want = sizeof(struct vpc_fwd); break;
	case DumpIn::Flood:
		if (dr->dr_inlen < sizeof(fh))
			return (false);
		std::memcpy(&fh, in, sizeof(fh));
		want = sizeof(fh) + static_cast<size_t>(fh.vfh_count) *
		    sizeof(struct vpc_ipaddr);
		break;
	case DumpIn::Unknown:
		return (true);		/* skipped by readers */
	}
	return (dr->dr_inlen == want);
}

/*
 * After a successful MGMT_DUMP: every record of an op we decode must have
 * that op's input size, or the call fails with EPROTO naming the record.
 */
void
dump_check(Baton &b)
{
	const struct vpc_dumprec *dr;
	size_t off = 0;

	while ((dr = libvpc_dump_next(b.list, b.nlist, &off)) != nullptr) {
		if (dump_rec_ok(dr))
			continue;
		const char *name = libvpc_op_name(dr->dr_op);
		b.rc = -1;
		b.err = EPROTO;
		b.errop = VPC_OP_MGMT_DUMP;
		b.errstr = std::string("VPC_OP_MGMT_DUMP: a record of ") +
		    (name != nullptr ? name : "an unknown op") + " has " +
		    std::to_string(dr->dr_inlen) + " bytes of input";
		return;
	}
}

/* JS forms of the C values (main thread only). */
Napi::Value
id_value(Napi::Env env, const vpc_id_t &id)
{
	Napi::Uint8Array a = Napi::Uint8Array::New(env, 16);

	std::memcpy(a.Data(), id.vi_bytes, 16);
	return (a);
}

Napi::Value
mac_value(Napi::Env env, const uint8_t mac[6])
{
	char buf[LIBVPC_MAC_STRLEN];

	libvpc_mac_format(mac, buf);
	return (Napi::String::New(env, buf));
}

Napi::Value
addr_value(Napi::Env env, const struct vpc_ipaddr &a)
{
	char buf[LIBVPC_ADDR_STRLEN];

	if (a.va_family != VPC_AF_INET && a.va_family != VPC_AF_INET6)
		return (env.Null());
	libvpc_addr_format(&a, buf);
	return (Napi::String::New(env, buf));
}

Napi::Value
stats_value(Napi::Env env, const struct vpc_stats &s)
{
	Napi::Object o = Napi::Object::New(env);
	Napi::Array drops = Napi::Array::New(env, VPC_DROP_SLOTS);

	/* Counters as doubles: exact up to 2^53, far beyond any test. */
	o.Set("rxPkts", static_cast<double>(s.vs_rx_pkts));
	o.Set("rxBytes", static_cast<double>(s.vs_rx_bytes));
	o.Set("txPkts", static_cast<double>(s.vs_tx_pkts));
	o.Set("txBytes", static_cast<double>(s.vs_tx_bytes));
	o.Set("dropsTotal", static_cast<double>(s.vs_drops_total));
	for (uint32_t i = 0; i < VPC_DROP_SLOTS; i++)
		drops.Set(i, static_cast<double>(s.vs_drops[i]));
	o.Set("drops", drops);
	return (o);
}

/* One decoded dump record: {id, type, op, opName, ...its input}. */
Napi::Value
dump_rec_value(Napi::Env env, const struct vpc_dumprec *dr)
{
	const uint8_t *in = reinterpret_cast<const uint8_t *>(dr + 1);
	const char *name = libvpc_op_name(dr->dr_op);
	Napi::Object o = Napi::Object::New(env);
	struct vpc_flood_hdr fh;
	struct vpc_ipaddr a;
	struct vpc_ifname ifn;
	struct vpc_udpaddr ua;
	struct vpc_neigh ne;
	struct vpc_fwd fw;
	struct vpc_mac m;
	vpc_id_t id;
	uint32_t u;

	o.Set("id", id_value(env, dr->dr_id));
	o.Set("type", Napi::Number::New(env, dr->dr_type));
	o.Set("op", Napi::Number::New(env, dr->dr_op));
	o.Set("opName", name != nullptr ? Napi::String::New(env, name) :
	    env.Null());
	switch (dump_in(dr->dr_op)) {
	case DumpIn::None:
	case DumpIn::Unknown:
		break;
	case DumpIn::Mac:
		std::memcpy(&m, in, sizeof(m));
		o.Set("mac", mac_value(env, m.vm_octet));
		break;
	case DumpIn::U32:
		std::memcpy(&u, in, sizeof(u));
		o.Set("value", Napi::Number::New(env, u));
		break;
	case DumpIn::Id:
		std::memcpy(&id, in, sizeof(id));
		o.Set("target", id_value(env, id));
		break;
	case DumpIn::Neigh: {
		std::memcpy(&ne, in, sizeof(ne));
		Napi::Object e = Napi::Object::New(env);
		e.Set("vni", Napi::Number::New(env, ne.vn_vni));
		e.Set("ip", addr_value(env, ne.vn_ip));
		e.Set("mac", mac_value(env, ne.vn_mac));
		o.Set("neigh", e);
		break;
	}
	case DumpIn::Flood: {
		std::memcpy(&fh, in, sizeof(fh));
		Napi::Array list = Napi::Array::New(env, fh.vfh_count);
		for (uint32_t i = 0; i < fh.vfh_count; i++) {
			std::memcpy(&a, in + sizeof(fh) + i * sizeof(a),
			    sizeof(a));
			list.Set(i, addr_value(env, a));
		}
		o.Set("value", Napi::Number::New(env, fh.vfh_vni));
		o.Set("addresses", list);
		break;
	}
	case DumpIn::Name:
		std::memcpy(&ifn, in, sizeof(ifn));
		o.Set("name", Napi::String::New(env, std::string(ifn.vn_name,
		    strnlen(ifn.vn_name, sizeof(ifn.vn_name)))));
		break;
	case DumpIn::Udp: {
		std::memcpy(&ua, in, sizeof(ua));
		Napi::Object e = Napi::Object::New(env);
		e.Set("address", addr_value(env, ua.vu_addr));
		e.Set("port", Napi::Number::New(env, ua.vu_port));
		o.Set("local", e);
		break;
	}
	case DumpIn::Fwd: {
		std::memcpy(&fw, in, sizeof(fw));
		Napi::Object e = Napi::Object::New(env);
		e.Set("vni", Napi::Number::New(env, fw.vf_vni));
		e.Set("mac", mac_value(env, fw.vf_mac));
		e.Set("flags", Napi::Number::New(env, fw.vf_flags));
		e.Set("remote", addr_value(env, fw.vf_remote));
		o.Set("fwd", e);
		break;
	}
	}
	return (o);
}

/* The records of a successful (and checked) MGMT_DUMP, in order. */
Napi::Value
dump_value(Napi::Env env, const Baton &b)
{
	std::vector<const struct vpc_dumprec *> recs;
	const struct vpc_dumprec *dr;
	size_t off = 0;

	while ((dr = libvpc_dump_next(b.list, b.nlist, &off)) != nullptr)
		recs.push_back(dr);
	Napi::Array arr = Napi::Array::New(env, recs.size());
	for (size_t i = 0; i < recs.size(); i++)
		arr.Set(i, dump_rec_value(env, recs[i]));
	return (arr);
}

/* The JS value of a successful call 'b'. */
Napi::Value
result_value(Napi::Env env, const Baton &b)
{
	Napi::Array arr;
	size_t i;

	switch (b.spec->result) {
	case Result::Void:
		return (env.Undefined());
	case Result::Int:
		return (Napi::Number::New(env, b.rc));
	case Result::U32:
		return (Napi::Number::New(env, b.out_u32));
	case Result::Id:
		return (id_value(env, b.out_id));
	case Result::Mac:
		return (mac_value(env, b.out_mac));
	case Result::Stats:
		return (stats_value(env, b.out_stats));
	case Result::Name:
		return (Napi::String::New(env, std::string(b.out_name,
		    strnlen(b.out_name, sizeof(b.out_name)))));
	case Result::Udp: {
		Napi::Object o = Napi::Object::New(env);
		o.Set("address", addr_value(env, b.out_udp.vu_addr));
		o.Set("port", Napi::Number::New(env, b.out_udp.vu_port));
		return (o);
	}
	case Result::Ids:
		arr = Napi::Array::New(env, b.nlist);
		for (i = 0; i < b.nlist; i++)
			arr.Set(i, id_value(env,
			    static_cast<const vpc_id_t *>(b.list)[i]));
		return (arr);
	case Result::Addrs:
		arr = Napi::Array::New(env, b.nlist);
		for (i = 0; i < b.nlist; i++)
			arr.Set(i, addr_value(env,
			    static_cast<const struct vpc_ipaddr *>(b.list)[i]));
		return (arr);
	case Result::Neighs:
		arr = Napi::Array::New(env, b.nlist);
		for (i = 0; i < b.nlist; i++) {
			const struct vpc_neigh &n =
			    static_cast<const struct vpc_neigh *>(b.list)[i];
			Napi::Object o = Napi::Object::New(env);
			o.Set("vni", Napi::Number::New(env, n.vn_vni));
			o.Set("ip", addr_value(env, n.vn_ip));
			o.Set("mac", mac_value(env, n.vn_mac));
			arr.Set(i, o);
		}
		return (arr);
	case Result::SwEntries:
		arr = Napi::Array::New(env, b.nlist);
		for (i = 0; i < b.nlist; i++) {
			const struct vpc_swentry &e =
			    static_cast<const struct vpc_swentry *>(b.list)[i];
			Napi::Object o = Napi::Object::New(env);
			o.Set("vni", Napi::Number::New(env, e.se_vni));
			o.Set("mac", mac_value(env, e.se_mac));
			o.Set("flags", Napi::Number::New(env, e.se_flags));
			o.Set("port", id_value(env, e.se_port));
			arr.Set(i, o);
		}
		return (arr);
	case Result::Dump:
		return (dump_value(env, b));
	case Result::Fwds:
		arr = Napi::Array::New(env, b.nlist);
		for (i = 0; i < b.nlist; i++) {
			const struct vpc_fwd &f =
			    static_cast<const struct vpc_fwd *>(b.list)[i];
			Napi::Object o = Napi::Object::New(env);
			o.Set("vni", Napi::Number::New(env, f.vf_vni));
			o.Set("mac", mac_value(env, f.vf_mac));
			o.Set("flags", Napi::Number::New(env, f.vf_flags));
			o.Set("remote", addr_value(env, f.vf_remote));
			arr.Set(i, o);
		}
		return (arr);
	}
	return (env.Undefined());
}

/*
 * The worker: runs the call on the thread pool, settles the promise on
 * the main thread.
 */
class Worker : public Napi::AsyncWorker {
public:
	Worker(Napi::Env env, Baton *b)
	    : Napi::AsyncWorker(env, b->spec->name), baton_(b),
	      deferred_(Napi::Promise::Deferred::New(env)) {}
	~Worker() override { delete baton_; }

	Napi::Promise Promise() { return (deferred_.Promise()); }

	/* Thread pool: plain C only. */
	void Execute() override
	{
		libvpc_handle_t *h;
		Baton &b = *baton_;

		if ((h = libvpc_open()) == nullptr) {
			b.err = ENOMEM;
			b.errstr = "libvpc_open: out of memory";
			return;
		}
		errno = 0;
		b.rc = run_call(h, b);
		if (b.rc == 0 && b.spec->call == Call::MgmtDump)
			dump_check(b);
		if (b.rc == -1 && b.err == 0) {
			b.err = libvpc_errno(h) != 0 ? libvpc_errno(h) : errno;
			b.errop = libvpc_err_op(h);
			b.errstr = libvpc_errno(h) != 0 ? libvpc_errstr(h) :
			    std::string(b.spec->cname) + ": " +
			    std::strerror(b.err);
		}
		libvpc_close(h);
	}

	/* Main thread: the promise is settled here, never with an exception. */
	void OnOK() override
	{
		Napi::Env env = Env();
		Baton &b = *baton_;

		if (b.err == 0) {
			deferred_.Resolve(result_value(env, b));
			return;
		}
		Napi::Error e = Napi::Error::New(env, b.errstr);
		Napi::Object o = e.Value();
		const char *opname = b.errop != 0 ?
		    libvpc_op_name(b.errop) : nullptr;
		o.Set("errno", Napi::Number::New(env, b.err));
		o.Set("op", Napi::Number::New(env, b.errop));
		o.Set("opName", opname != nullptr ?
		    Napi::String::New(env, opname) :
		    Napi::String::New(env, ""));
		o.Set("call", Napi::String::New(env, b.spec->cname));
		deferred_.Reject(o);
	}

private:
	Baton			*baton_;	/* owned */
	Napi::Promise::Deferred	 deferred_;	/* settled in OnOK */
};

/* Readers of JS arguments: false (with a pending TypeError) if bad. */
bool
read_u32(const Napi::CallbackInfo &info, size_t i, const char *what,
    uint32_t *v)
{
	if (info.Length() <= i || !info[i].IsNumber()) {
		Napi::TypeError::New(info.Env(), std::string("expected a "
		    "number for ") + what).ThrowAsJavaScriptException();
		return (false);
	}
	double d = info[i].As<Napi::Number>().DoubleValue();
	if (!(d >= 0 && d <= 4294967295.0) || d != static_cast<double>(
	    static_cast<uint32_t>(d))) {
		Napi::TypeError::New(info.Env(), std::string("expected an "
		    "unsigned 32-bit integer for ") + what).
		    ThrowAsJavaScriptException();
		return (false);
	}
	*v = static_cast<uint32_t>(d);
	return (true);
}

bool
read_vd(const Napi::CallbackInfo &info, int *vd)
{
	uint32_t v;

	if (!read_u32(info, 0, "vd", &v))
		return (false);
	*vd = static_cast<int>(v);
	return (true);
}

bool
read_id(const Napi::CallbackInfo &info, size_t i, vpc_id_t *id)
{
	if (info.Length() <= i || !info[i].IsTypedArray() ||
	    info[i].As<Napi::TypedArray>().TypedArrayType() !=
	    napi_uint8_array ||
	    info[i].As<Napi::Uint8Array>().ElementLength() != 16) {
		Napi::TypeError::New(info.Env(), "expected a Uint8Array of "
		    "16 bytes for id").ThrowAsJavaScriptException();
		return (false);
	}
	std::memcpy(id->vi_bytes, info[i].As<Napi::Uint8Array>().Data(), 16);
	return (true);
}

bool
read_string(Napi::Env env, Napi::Value v, const char *what, std::string *s)
{
	if (!v.IsString()) {
		Napi::TypeError::New(env, std::string("expected a string for ") +
		    what).ThrowAsJavaScriptException();
		return (false);
	}
	*s = v.As<Napi::String>().Utf8Value();
	return (true);
}

bool
read_mac(Napi::Env env, Napi::Value v, uint8_t mac[6])
{
	std::string s;

	if (!read_string(env, v, "mac", &s))
		return (false);
	if (libvpc_mac_parse(s.c_str(), mac) != 0) {
		Napi::TypeError::New(env, "expected a MAC address "
		    "xx:xx:xx:xx:xx:xx for mac").ThrowAsJavaScriptException();
		return (false);
	}
	return (true);
}

bool
read_addr(Napi::Env env, Napi::Value v, const char *what,
    struct vpc_ipaddr *a)
{
	std::string s;

	if (!read_string(env, v, what, &s))
		return (false);
	if (libvpc_addr_parse(s.c_str(), a) != 0) {
		Napi::TypeError::New(env, std::string("expected an IPv4 or "
		    "IPv6 address for ") + what).ThrowAsJavaScriptException();
		return (false);
	}
	return (true);
}

bool
read_obj(const Napi::CallbackInfo &info, size_t i, Napi::Object *o)
{
	if (info.Length() <= i || !info[i].IsObject()) {
		Napi::TypeError::New(info.Env(), "expected an object").
		    ThrowAsJavaScriptException();
		return (false);
	}
	*o = info[i].As<Napi::Object>();
	return (true);
}

bool
read_field_u32(Napi::Env env, Napi::Object o, const char *key, uint32_t *v)
{
	Napi::Value x = o.Get(key);
	double d;

	if (!x.IsNumber() || (d = x.As<Napi::Number>().DoubleValue()) < 0 ||
	    d > 4294967295.0 || d != static_cast<double>(
	    static_cast<uint32_t>(d))) {
		Napi::TypeError::New(env, std::string("expected an unsigned "
		    "32-bit integer for ") + key).ThrowAsJavaScriptException();
		return (false);
	}
	*v = static_cast<uint32_t>(d);
	return (true);
}

/* Convert the arguments of 'info' into 'b' as its spec says. */
bool
read_args(const Napi::CallbackInfo &info, Baton &b)
{
	Napi::Env env = info.Env();
	Napi::Object o;
	std::string s;
	uint32_t port;

	switch (b.spec->args) {
	case Args::None:
		return (true);
	case Args::Open:
		return (read_id(info, 0, &b.id) &&
		    read_u32(info, 1, "type", &b.u32) &&
		    read_u32(info, 2, "flags", &b.flags));
	case Args::Vd:
		return (read_vd(info, &b.vd));
	case Args::VdU32:
		return (read_vd(info, &b.vd) &&
		    read_u32(info, 1, "value", &b.u32));
	case Args::VdId:
		return (read_vd(info, &b.vd) && read_id(info, 1, &b.id));
	case Args::VdMac:
		return (read_vd(info, &b.vd) && info.Length() > 1 &&
		    read_mac(env, info[1], b.mac));
	case Args::VdStr:
		if (!read_vd(info, &b.vd) || info.Length() < 2 ||
		    !read_string(env, info[1], "ifname", &s))
			return (false);
		if (s.size() >= VPC_IFNAMSIZ) {
			Napi::TypeError::New(env, "expected an interface name "
			    "shorter than 16 bytes for ifname").
			    ThrowAsJavaScriptException();
			return (false);
		}
		std::memcpy(b.name, s.c_str(), s.size() + 1);
		return (true);
	case Args::VdFlood: {
		if (!read_vd(info, &b.vd) || !read_u32(info, 1, "vni", &b.u32))
			return (false);
		if (info.Length() < 3 || !info[2].IsArray()) {
			Napi::TypeError::New(env, "expected an array of "
			    "addresses for addresses").
			    ThrowAsJavaScriptException();
			return (false);
		}
		Napi::Array a = info[2].As<Napi::Array>();
		b.addrs.resize(a.Length());
		for (uint32_t i = 0; i < a.Length(); i++)
			if (!read_addr(env, a.Get(i), "addresses", &b.addrs[i]))
				return (false);
		return (true);
	}
	case Args::VdNeigh:
		return (read_vd(info, &b.vd) && read_obj(info, 1, &o) &&
		    read_field_u32(env, o, "vni", &b.neigh.vn_vni) &&
		    read_addr(env, o.Get("ip"), "ip", &b.neigh.vn_ip) &&
		    (o.Get("mac").IsUndefined() ||
		    read_mac(env, o.Get("mac"), b.neigh.vn_mac)));
	case Args::VdFwd:
		return (read_vd(info, &b.vd) && read_obj(info, 1, &o) &&
		    read_field_u32(env, o, "vni", &b.fwd.vf_vni) &&
		    read_mac(env, o.Get("mac"), b.fwd.vf_mac) &&
		    (o.Get("remote").IsUndefined() ||
		    read_addr(env, o.Get("remote"), "remote",
		    &b.fwd.vf_remote)));
	case Args::VdUdp:
		if (!read_vd(info, &b.vd) || !read_obj(info, 1, &o) ||
		    !read_addr(env, o.Get("address"), "address",
		    &b.udp.vu_addr) || !read_field_u32(env, o, "port", &port))
			return (false);
		if (port > 65535) {
			Napi::TypeError::New(env, "expected a UDP port for "
			    "port").ThrowAsJavaScriptException();
			return (false);
		}
		b.udp.vu_port = static_cast<uint16_t>(port);
		return (true);
	}
	return (false);
}

/* The JS function of every spec: convert, queue, return the promise. */
Napi::Value
dispatch(const Napi::CallbackInfo &info)
{
	const Spec *spec = static_cast<const Spec *>(info.Data());
	Baton *b = new Baton();

	b->spec = spec;
	if (!read_args(info, *b)) {
		delete b;
		return (info.Env().Undefined());
	}
	Worker *w = new Worker(info.Env(), b);	/* deletes itself and 'b' */
	Napi::Promise p = w->Promise();
	w->Queue();
	return (p);
}

/* Synchronous name lookups (no I/O). */
Napi::Value
op_name(const Napi::CallbackInfo &info)
{
	uint32_t op;
	const char *s;

	if (!read_u32(info, 0, "op", &op))
		return (info.Env().Undefined());
	s = libvpc_op_name(op);
	return (s != nullptr ? Napi::String::New(info.Env(), s) :
	    info.Env().Null());
}

Napi::Value
type_name(const Napi::CallbackInfo &info)
{
	uint32_t t;
	const char *s;

	if (!read_u32(info, 0, "type", &t))
		return (info.Env().Undefined());
	s = libvpc_type_name(t);
	return (s != nullptr ? Napi::String::New(info.Env(), s) :
	    info.Env().Null());
}

Napi::Value
drop_name(const Napi::CallbackInfo &info)
{
	uint32_t r;
	const char *s;

	if (!read_u32(info, 0, "reason", &r))
		return (info.Env().Undefined());
	s = libvpc_drop_name(r);
	return (s != nullptr ? Napi::String::New(info.Env(), s) :
	    info.Env().Null());
}

Napi::Value
socket_path(const Napi::CallbackInfo &info)
{
	return (Napi::String::New(info.Env(), libvpc_socket_path()));
}

/* The constants of <net/vpc.h> the TypeScript layer needs. */
Napi::Object
constants(Napi::Env env)
{
	Napi::Object c = Napi::Object::New(env);

#define	C(name)	c.Set(#name, Napi::Number::New(env, static_cast<double>(name)))
	C(VPC_ABI_VERSION);
	C(VPC_TYPE_SWITCH); C(VPC_TYPE_PORT); C(VPC_TYPE_VPCLINK);
	C(VPC_TYPE_VMNIC); C(VPC_TYPE_MGMT); C(VPC_TYPE_ETHLINK);
	C(VPC_TYPE_VPCI);
	C(VPC_F_CREATE); C(VPC_F_OPEN); C(VPC_F_READ); C(VPC_F_WRITE);
	C(VPC_R_READ); C(VPC_R_WRITE);
	C(VPC_VNI_MAX); C(VPC_VLAN_MAX); C(VPC_MAX_QUEUES); C(VPC_FLOOD_MAX);
	C(VPC_MTU_MIN); C(VPC_MTU_MAX); C(VPC_VXLAN_PORT); C(VPC_IFNAMSIZ);
	C(VPC_SW_MODE_PROGRAMMED); C(VPC_SW_MODE_LEARNING);
	C(VPC_AF_INET); C(VPC_AF_INET6);
	C(VPC_FWD_F_LEARNED); C(VPC_SWE_F_LEARNED);
	C(VPC_DROP_COUNT); C(VPC_DROP_SLOTS);
	C(LIBVPC_BACKEND_NONE); C(LIBVPC_BACKEND_KERNEL);
	C(LIBVPC_BACKEND_VPCD);
#undef C
	return (c);
}

Napi::Object
init(Napi::Env env, Napi::Object exports)
{
	for (const Spec &s : specs)
		exports.Set(s.name, Napi::Function::New(env, dispatch, s.name,
		    const_cast<Spec *>(&s)));
	exports.Set("opName", Napi::Function::New(env, op_name, "opName"));
	exports.Set("typeName", Napi::Function::New(env, type_name,
	    "typeName"));
	exports.Set("dropName", Napi::Function::New(env, drop_name,
	    "dropName"));
	exports.Set("socketPath", Napi::Function::New(env, socket_path,
	    "socketPath"));
	exports.Set("constants", constants(env));
	return (exports);
}

} // namespace

NODE_API_MODULE(vpc_native, init)
