# binding.gyp: the vpc_native addon (node-addon-api) with libvpc compiled in.
#
# libvpc's sources are built into the addon so that `npm install` alone
# produces a working binding; no prior `make` is needed.  Built by
# ts/native/build.js from this directory (so node-gyp's build/ lands in
# ts/native/build, never in the repository's own build/).
{
  "targets": [
    {
      "target_name": "vpc_native",
      "sources": [
        "vpc_native.cc",
        "<!@(ls -1 ../../lib/libvpc/*.c)"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "../../sys",
        "../../lib/libvpc"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "_GNU_SOURCE"
      ],
      "cflags": [ "-Wall", "-Wextra", "-fvisibility=hidden" ],
      "cflags_c": [ "-std=gnu11" ],
      "cflags_cc": [ "-std=c++17" ],
      "libraries": [ "-lpthread" ]
    }
  ]
}
