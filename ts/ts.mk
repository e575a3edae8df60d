# ts.mk: the TypeScript toolkit (ts/): the vpc_native addon, the library,
# vpcctl and their ava tests.  Included by the top Makefile.
#
#   make ts        npm install (builds the addon with node-gyp, compiles
#                  the TypeScript into ts/dist) when package.json changed or
#                  nothing is installed; otherwise just recompile
#   make ts-test   unit and system tests (system: vpcd in network
#                  namespaces, needs root and `make rel`); ends with one
#                  line "N passed, N failed"
#   make ts-clean  remove ts/dist and the addon's build directory

NPM		?= npm
NODE		?= node

node_modules/.package-lock.json: package.json
	$(NPM) install --no-audit --no-fund
	@touch $@

TS_ADDON	:= ts/native/build/Release/vpc_native.node

$(TS_ADDON): node_modules/.package-lock.json ts/native/vpc_native.cc \
    ts/native/binding.gyp $(wildcard lib/libvpc/*.[ch]) sys/net/vpc.h
	$(NODE) ts/native/build.js

ts: node_modules/.package-lock.json $(TS_ADDON)
	$(NODE) node_modules/typescript/bin/tsc -p tsconfig.json

ts-test: ts
	@$(NODE) ts/test/run-ava.js all

ts-clean:
	rm -rf ts/dist ts/native/build

.PHONY: ts ts-test ts-clean
