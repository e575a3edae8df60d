#!/bin/sh
# deps.sh: install what building and testing vpc needs, once.
#
# Idempotent: asks apt only for packages that are missing.  Run as root
# (make test and make demo create network namespaces, so they need root
# anyway).
set -eu

pkgs="gcc g++ make clang-19 lld-19 llvm-19 libclang-rt-19-dev libck-dev iproute2 iperf3
    iputils-ping tshark tcpdump python3 python3-scapy python3-pytest
    python3-pip python3-yaml mandoc procps"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages:$missing (run as root)" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# tshark asks whether non-root users may capture; the answer is no.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
	    debconf-set-selections
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The TypeScript toolkit needs Node.js 20 or later with npm.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "deps: installing nodejs and npm"
	apt-get install -y -qq nodejs npm >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	echo "deps: Node.js $(node --version) is too old: vpcctl needs 20 or later" >&2
	exit 1
fi
