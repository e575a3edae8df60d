#!/usr/bin/env python3
"""verify.py: structural checks of a FreeBSD amd64 kernel module (.ko).

Reads the ELF file itself (no external tool) and reports every problem:

  - ELF64, little endian, x86-64, relocatable (ET_REL), OSABI FreeBSD
    (the amd64 kernel linker loads modules as relocatable objects);
  - relocation types only R_X86_64_64, PC32, PLT32 and 32S: what the
    kernel linker (link_elf_obj) resolves for code built with
    -mcmodel=kernel; GOT, TLS or other types mean the code was built
    wrongly (e.g. PIC, thread-local storage);
  - sections set_modmetadata_set and set_sysinit_set present (the module
    declares itself: DECLARE_MODULE, MODULE_VERSION, SYSINIT);
  - no COMMON symbols (kmod.mk builds with -fno-common);
  - every undefined symbol is in the allow-list of FreeBSD KPIs, except
    __start_set_X/__stop_set_X of a set_X section of the module itself,
    which the kernel linker binds to that section; and, given the header
    directories of a release, each allowed symbol the module uses is
    declared there (so a KPI present in one release only is caught),
    unless the allow-list marks it [compiler].

  verify.py [--allowlist FILE] [--headers DIR]... MODULE.ko
exits 0 and prints "PASS" if the module is clean, else 1 and the problems.
"""

import os
import re
import struct
import sys

ELFOSABI_FREEBSD = 9
ET_REL = 1
EM_X86_64 = 62
SHT_SYMTAB = 2
SHT_RELA = 4
SHT_REL = 9
SHN_UNDEF = 0
SHN_COMMON = 0xfff2
STB_LOCAL = 0

ALLOWED_RELOCS = {
    1: "R_X86_64_64",
    2: "R_X86_64_PC32",
    4: "R_X86_64_PLT32",
    11: "R_X86_64_32S",
}
RELOC_NAMES = {
    0: "R_X86_64_NONE", 3: "R_X86_64_GOT32", 5: "R_X86_64_COPY",
    6: "R_X86_64_GLOB_DAT", 7: "R_X86_64_JUMP_SLOT",
    8: "R_X86_64_RELATIVE", 9: "R_X86_64_GOTPCREL", 10: "R_X86_64_32",
    12: "R_X86_64_16", 13: "R_X86_64_PC16", 14: "R_X86_64_8",
    15: "R_X86_64_PC8", 16: "R_X86_64_DTPMOD64", 17: "R_X86_64_DTPOFF64",
    18: "R_X86_64_TPOFF64", 19: "R_X86_64_TLSGD", 20: "R_X86_64_TLSLD",
    21: "R_X86_64_DTPOFF32", 22: "R_X86_64_GOTTPOFF",
    23: "R_X86_64_TPOFF32", 24: "R_X86_64_PC64", 25: "R_X86_64_GOTOFF64",
    26: "R_X86_64_GOTPC32", 41: "R_X86_64_GOTPCRELX",
    42: "R_X86_64_REX_GOTPCRELX",
}
REQUIRED_SECTIONS = ("set_modmetadata_set", "set_sysinit_set")


def load_allowlist(path):
    """
    Read an allow-list: one symbol per line, '#' starts a comment, a tag
    "[compiler]" after the name marks a symbol the compiler emits calls
    to (no header declares it).  Returns {name: set of tags}.
    """
    out = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            out[words[0]] = set(w.strip("[]") for w in words[1:])
    return out


class Elf:
    """The parts of an ELF64 little-endian file the checks need."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if len(d) < 64 or d[:4] != b"\x7fELF":
            raise ValueError("not an ELF file")
        self.ei_class, self.ei_data, _, self.ei_osabi = d[4], d[5], d[6], d[7]
        if self.ei_class != 2 or self.ei_data != 1:
            raise ValueError("not ELF64 little endian (class %d, data %d)"
                             % (self.ei_class, self.ei_data))
        (self.e_type, self.e_machine, _, _, _, shoff, _, _, _, _,
         shentsize, shnum, shstrndx) = struct.unpack_from(
            "<HHIQQQIHHHHHH", d, 16)
        self.sections = []
        for i in range(shnum):
            (name, stype, flags, addr, off, size, link, info, align,
             entsize) = struct.unpack_from("<IIQQQQIIQQ", d,
                                           shoff + i * shentsize)
            self.sections.append({"name_off": name, "type": stype,
                                  "off": off, "size": size, "link": link,
                                  "info": info, "entsize": entsize})
        strtab = self.sections[shstrndx]
        for s in self.sections:
            s["name"] = self.cstr(strtab["off"] + s["name_off"])

    def cstr(self, off):
        end = self.data.index(b"\0", off)
        return self.data[off:end].decode("ascii", "replace")

    def symbols(self):
        """Yield (name, bind, shndx) of every symbol-table entry."""
        for s in self.sections:
            if s["type"] != SHT_SYMTAB:
                continue
            strs = self.sections[s["link"]]["off"]
            for i in range(1, s["size"] // 24):
                name, info, _, shndx, _, _ = struct.unpack_from(
                    "<IBBHQQ", self.data, s["off"] + i * 24)
                yield self.cstr(strs + name), info >> 4, shndx

    def relocations(self):
        """Yield (section name, type, symbol name) of every relocation."""
        syms = {}
        for s in self.sections:
            if s["type"] != SHT_SYMTAB:
                continue
            strs = self.sections[s["link"]]["off"]
            for i in range(s["size"] // 24):
                name = struct.unpack_from("<I", self.data,
                                          s["off"] + i * 24)[0]
                syms[i] = self.cstr(strs + name)
        for s in self.sections:
            if s["type"] == SHT_REL:
                yield s["name"], -1, ""
                continue
            if s["type"] != SHT_RELA:
                continue
            for i in range(s["size"] // 24):
                _, info, _ = struct.unpack_from("<QQq", self.data,
                                                s["off"] + i * 24)
                yield s["name"], info & 0xffffffff, syms.get(info >> 32, "")


_IDENTS = {}


def declared_in(name, header_roots):
    """True if identifier 'name' appears in a header under the roots."""
    key = tuple(header_roots)
    if key not in _IDENTS:
        idents = set()
        for root in header_roots:
            for dirpath, _, files in os.walk(root):
                for fn in files:
                    if fn.endswith(".h"):
                        with open(os.path.join(dirpath, fn),
                                  errors="replace") as f:
                            idents.update(re.findall(r"\w+", f.read()))
        _IDENTS[key] = idents
    return name in _IDENTS[key]


def verify(path, allow, header_roots=None):
    """Check module 'path' against allow-list 'allow'; list problems."""
    problems = []
    try:
        elf = Elf(path)
    except (OSError, ValueError) as e:
        return ["%s: %s" % (path, e)]
    if elf.e_type != ET_REL:
        problems.append("ELF type %d, not ET_REL (relocatable)" %
                        elf.e_type)
    if elf.e_machine != EM_X86_64:
        problems.append("machine %d, not x86-64" % elf.e_machine)
    if elf.ei_osabi != ELFOSABI_FREEBSD:
        problems.append("OSABI %d, not FreeBSD (%d)" %
                        (elf.ei_osabi, ELFOSABI_FREEBSD))

    bad = {}
    for sec, rtype, sym in elf.relocations():
        if rtype == -1:
            problems.append("REL (not RELA) relocation section %s" % sec)
        elif rtype not in ALLOWED_RELOCS:
            key = (RELOC_NAMES.get(rtype, "type %d" % rtype), sym)
            bad.setdefault(key, sec)
    for (rname, sym), sec in sorted(bad.items()):
        problems.append("forbidden relocation %s against %s in %s" %
                        (rname, sym or "(section)", sec))

    names = set(s["name"] for s in elf.sections)
    for req in REQUIRED_SECTIONS:
        if req not in names:
            problems.append("section %s missing" % req)

    for name, bind, shndx in elf.symbols():
        if shndx == SHN_COMMON:
            problems.append("COMMON symbol %s" % name)
        if shndx != SHN_UNDEF or not name or bind == STB_LOCAL:
            continue
        m = re.match(r"__(start|stop)_(set_\w+)$", name)
        if m and m.group(2) in names:
            continue		# bound to the module's own linker set
        if name not in allow:
            problems.append("undefined symbol %s is not in the KPI "
                            "allow-list" % name)
        elif header_roots and "compiler" not in allow[name] and \
                not declared_in(name, header_roots):
            problems.append("allow-listed symbol %s is not declared in "
                            "this release's headers" % name)
    return problems


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    allowlist = os.path.join(here, "kpi-allowlist.txt")
    headers = []
    args = argv[1:]
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--allowlist":
            allowlist = args.pop(0)
        elif opt == "--headers":
            headers.append(args.pop(0))
        else:
            print(__doc__)
            return 2
    if len(args) != 1:
        print(__doc__)
        return 2
    problems = verify(args[0], load_allowlist(allowlist), headers or None)
    if problems:
        print("FAIL %s" % args[0])
        for p in problems:
            print("    " + p)
        return 1
    print("PASS %s" % args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
