"""(g) Test (a) again over an IPv6 underlay.

The hosts' underlay veths carry 2001:db8::1 and 2001:db8::2 (nodad) and the
vpclinks are bound to them; everything (a) proves must hold: same-tenant
ping and TCP across hosts in both directions, no frame of tenant A in a B
guest's capture while that capture does see B's own traffic, vpclink MTU
= underlay MTU - 70, clean vpcd exit.
"""

from test_a_two_tenants import isolation_scenario


def test_g_two_tenants_isolated_ipv6_underlay(lab):
    isolation_scenario(lab, family=6)
