//! Relinks the relocatable eBPF object that `bpf-linker` produces (ET_REL, EM_BPF) into the SBPF v0
//! shared object the Solana runtime loads (ET_DYN, EM_BPF, e_flags 0).
//!
//! Why this exists: crates.io `sbpf-linker` 0.1.x (the last line that builds against LLVM 22) drops
//! relocations against section symbols of merged string sections (`.rodata.str1.1`) and ignores
//! pointer relocations inside `.rodata`, so string literals and constant tables load as garbage
//! addresses ("Access violation in unknown section"). This tool does the relink step itself:
//!
//! - every executable section is concatenated into one `.text`; every read-only data section
//!   (`.rodata*`, `.data.rel.ro*`) into one `.rodata` right after it; file offset == virtual address;
//! - `lddw` of a data or code address (`R_BPF_64_64`) gets the final address and an
//!   `R_BPF_64_RELATIVE` dynamic relocation (the loader adds the program region base);
//! - a pointer inside read-only data (`R_BPF_64_ABS64`) is written in the loader's legacy form
//!   (address in the upper 32 bits) with an `R_BPF_64_RELATIVE` relocation;
//! - a call to an undefined symbol (a syscall, `R_BPF_64_32`) keeps `imm = -1` and gets an
//!   `R_BPF_64_32` relocation against a `.dynsym` entry named after it (the loader hashes the name);
//! - a call to a function in any executable section becomes a pc-relative call, which the loader
//!   registers itself;
//! - `callx rN` is re-encoded the SBPF v0 way (register number in `imm`, not in `dst`);
//! - writable data (`.data`, `.bss`) is rejected: SBPF v0 has no writable program memory.

use object::elf;
use object::read::elf::{FileHeader, Rel, SectionHeader, Sym};
use object::{LittleEndian, SectionIndex, SymbolIndex};

type Header = elf::FileHeader64<LittleEndian>;

/// Relocation types (LLVM's BPF numbering, which the Solana loader reads with x86-64 names).
pub mod reloc {
    pub const R_BPF_64_64: u32 = 1;
    pub const R_BPF_64_ABS64: u32 = 2;
    pub const R_BPF_64_RELATIVE: u32 = 8;
    pub const R_BPF_64_32: u32 = 10;
}

const OP_LDDW: u8 = 0x18;
const OP_CALL: u8 = 0x85;
const OP_CALLX: u8 = 0x8d;
const TEXT_ADDR: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelinkError(pub String);

impl std::fmt::Display for RelinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RelinkError {}

fn err<T>(msg: impl Into<String>) -> Result<T, RelinkError> {
    Err(RelinkError(msg.into()))
}

impl From<object::read::Error> for RelinkError {
    fn from(e: object::read::Error) -> Self {
        RelinkError(format!("malformed ELF: {e}"))
    }
}

/// The relinked program and what went into it.
#[derive(Debug, Clone)]
pub struct Relinked {
    pub bytes: Vec<u8>,
    pub text_size: usize,
    pub rodata_size: usize,
    /// Dynamic relocations written (RELATIVE and syscall calls).
    pub dynamic_relocations: usize,
    /// Syscalls the program calls, sorted.
    pub syscalls: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Region {
    Text,
    Ro,
}

/// Where an input section lands: region and offset inside it.
#[derive(Clone, Copy, Debug)]
struct Placement {
    region: Region,
    offset: usize,
}

struct Layout {
    placements: Vec<Option<Placement>>,
    text: Vec<u8>,
    ro: Vec<u8>,
}

impl Layout {
    fn ro_addr(&self) -> usize {
        align_up(TEXT_ADDR + self.text.len(), 8)
    }

    fn addr(&self, p: Placement) -> usize {
        match p.region {
            Region::Text => TEXT_ADDR + p.offset,
            Region::Ro => self.ro_addr() + p.offset,
        }
    }
}

fn align_up(v: usize, a: usize) -> usize {
    v.div_ceil(a.max(1)) * a.max(1)
}

fn is_ro_name(name: &str) -> bool {
    name.starts_with(".rodata") || name.starts_with(".data.rel.ro")
}

fn read_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn write_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Relinks `input` (an ET_REL eBPF object) into an SBPF v0 shared object.
pub fn relink(input: &[u8]) -> Result<Relinked, RelinkError> {
    let header = Header::parse(input)?;
    let endian = header.endian()?;
    if header.e_type(endian) != elf::ET_REL {
        return err("input is not a relocatable object (ET_REL)");
    }
    if header.e_machine(endian) != elf::EM_BPF {
        return err("input is not an eBPF object (EM_BPF)");
    }
    let sections = header.sections(endian, input)?;
    let symbols = sections.symbols(endian, input, elf::SHT_SYMTAB)?;

    // 1. Place sections: executable ones into .text (.text first), read-only data into .rodata.
    let mut layout = Layout { placements: vec![None; sections.len()], text: Vec::new(), ro: Vec::new() };
    let mut order: Vec<(SectionIndex, &elf::SectionHeader64<LittleEndian>)> = sections.enumerate().collect();
    order.sort_by_key(|(i, s)| {
        let name = sections.section_name(endian, s).unwrap_or_default();
        (name != b".text", i.0)
    });
    for (index, section) in order {
        let name = String::from_utf8_lossy(sections.section_name(endian, section)?).into_owned();
        let flags = section.sh_flags(endian);
        let kind = section.sh_type(endian);
        if flags & u64::from(elf::SHF_ALLOC) == 0 || section.sh_size(endian) == 0 {
            continue;
        }
        let align = section.sh_addralign(endian) as usize;
        if flags & u64::from(elf::SHF_EXECINSTR) != 0 {
            let data = section.data(endian, input)?;
            let offset = align_up(layout.text.len(), 8);
            layout.text.resize(offset, 0);
            layout.text.extend_from_slice(data);
            layout.placements[index.0] = Some(Placement { region: Region::Text, offset });
        } else if is_ro_name(&name) && kind != elf::SHT_NOBITS {
            let data = section.data(endian, input)?;
            let offset = align_up(layout.ro.len(), align);
            layout.ro.resize(offset, 0);
            layout.ro.extend_from_slice(data);
            layout.placements[index.0] = Some(Placement { region: Region::Ro, offset });
        } else if flags & u64::from(elf::SHF_WRITE) != 0 {
            return err(format!("section {name} is writable data; SBPF v0 programs cannot have writable statics (no `static mut`)"));
        }
    }
    if layout.text.is_empty() {
        return err("no executable code");
    }
    layout.text.resize(align_up(layout.text.len(), 8), 0);

    // 2. Relocations.
    let mut dynrel: Vec<(u64, u32, String)> = Vec::new(); // (file offset, type, symbol name or "")
    let mut internal_fn_syms: Vec<(String, usize)> = Vec::new();
    for (_, section) in sections.enumerate() {
        if section.sh_type(endian) != elf::SHT_REL {
            continue;
        }
        let target = SectionIndex(section.sh_info(endian) as usize);
        let Some(place) = layout.placements.get(target.0).copied().flatten() else {
            continue; // relocations of debug or dropped sections
        };
        let Some((rels, _)) = section.rel(endian, input)? else { continue };
        for r in rels {
            let offset = place.offset + r.r_offset(endian) as usize;
            let r_type = r.r_type(endian);
            let sym = symbols.symbol(SymbolIndex(r.r_sym(endian) as usize))?;
            let sym_name = String::from_utf8_lossy(symbols.symbol_name(endian, sym).unwrap_or_default()).into_owned();
            let defined = sym.st_shndx(endian) != elf::SHN_UNDEF;
            // Address of the symbol in the output, when it is defined in a placed section.
            let sym_addr = if defined {
                let shndx = sym.st_shndx(endian) as usize;
                let p = layout
                    .placements
                    .get(shndx)
                    .copied()
                    .flatten()
                    .ok_or_else(|| RelinkError(format!("relocation against {sym_name:?} in a section that is not loaded")))?;
                Some(layout.addr(p) + sym.st_value(endian) as usize)
            } else {
                None
            };
            match (place.region, r_type) {
                (Region::Text, reloc::R_BPF_64_64) => {
                    if layout.text[offset] != OP_LDDW {
                        return err(format!("R_BPF_64_64 at .text+{offset:#x} is not on an lddw"));
                    }
                    let Some(base) = sym_addr else {
                        return err(format!("lddw of undefined symbol {sym_name:?}"));
                    };
                    let addend = u64::from(read_u32(&layout.text, offset + 4)) | (u64::from(read_u32(&layout.text, offset + 12)) << 32);
                    let addr = base as u64 + addend;
                    write_u32(&mut layout.text, offset + 4, addr as u32);
                    write_u32(&mut layout.text, offset + 12, (addr >> 32) as u32);
                    dynrel.push(((TEXT_ADDR + offset) as u64, reloc::R_BPF_64_RELATIVE, String::new()));
                }
                (Region::Text, reloc::R_BPF_64_32) => {
                    if layout.text[offset] != OP_CALL {
                        return err(format!("R_BPF_64_32 at .text+{offset:#x} is not on a call"));
                    }
                    let imm = read_u32(&layout.text, offset + 4) as i32;
                    match sym_addr {
                        None => {
                            write_u32(&mut layout.text, offset + 4, u32::MAX);
                            dynrel.push(((TEXT_ADDR + offset) as u64, reloc::R_BPF_64_32, sym_name));
                        }
                        Some(base) => {
                            // The implicit addend encodes the target as (byte offset / 8 - 1).
                            let target = base as i64 + (i64::from(imm) + 1) * 8 - TEXT_ADDR as i64;
                            if target < 0 || target as usize >= layout.text.len() || target % 8 != 0 {
                                return err(format!("call at .text+{offset:#x} targets {target:#x}, outside .text"));
                            }
                            let pc = (offset / 8) as i64;
                            let relative = target / 8 - (pc + 1);
                            if relative == -1 {
                                // A call to itself: -1 means "relocate me" to the loader, so name it.
                                let name = format!("function_{}", target / 8);
                                internal_fn_syms.push((name.clone(), TEXT_ADDR + target as usize));
                                dynrel.push(((TEXT_ADDR + offset) as u64, reloc::R_BPF_64_32, name));
                            } else {
                                write_u32(&mut layout.text, offset + 4, relative as i32 as u32);
                            }
                        }
                    }
                }
                (Region::Ro, reloc::R_BPF_64_ABS64) => {
                    let Some(base) = sym_addr else {
                        return err(format!("pointer to undefined symbol {sym_name:?} in read-only data"));
                    };
                    let addend = u64::from_le_bytes(layout.ro[offset..offset + 8].try_into().expect("8 bytes"));
                    let addr = base as u64 + addend;
                    if addr > u64::from(u32::MAX) {
                        return err("read-only data pointer beyond 4 GiB");
                    }
                    // The loader reads the address from the upper 32 bits and writes the full pointer.
                    write_u32(&mut layout.ro, offset, 0);
                    write_u32(&mut layout.ro, offset + 4, addr as u32);
                    let at = layout.ro_addr() + offset;
                    dynrel.push((at as u64, reloc::R_BPF_64_RELATIVE, String::new()));
                }
                (region, t) => {
                    return err(format!("unsupported relocation type {t} in {region:?} at offset {offset:#x}"));
                }
            }
        }
    }

    // 3. callx: SBPF v0 takes the register from imm.
    for pc in (0..layout.text.len()).step_by(8) {
        if layout.text[pc] == OP_CALLX {
            let dst = layout.text[pc + 1] & 0x0f;
            layout.text[pc + 1] &= 0xf0;
            write_u32(&mut layout.text, pc + 4, u32::from(dst));
        }
    }
    // lddw occupies two slots; the second slot's opcode byte is 0 so the scan above cannot misfire
    // on it, but a callx opcode can only be real code.

    // 4. Entry point.
    let mut entry = None;
    for sym in symbols.iter() {
        if symbols.symbol_name(endian, sym).unwrap_or_default() == b"entrypoint" && sym.st_shndx(endian) != elf::SHN_UNDEF {
            let p = layout.placements.get(sym.st_shndx(endian) as usize).copied().flatten();
            if let Some(p) = p.filter(|p| p.region == Region::Text) {
                entry = Some(layout.addr(p) + sym.st_value(endian) as usize);
            }
        }
    }
    let Some(entry) = entry else { return err("no `entrypoint` function") };

    Ok(write_elf(&layout, entry, dynrel, internal_fn_syms))
}

/// Writes the ELF: header, .text, .rodata, .dynamic, .dynsym, .dynstr, .rel.dyn, .shstrtab, section
/// headers. Loaded sections have file offset == address; there are no program headers (the loader
/// falls back to section headers).
fn write_elf(layout: &Layout, entry: usize, dynrel: Vec<(u64, u32, String)>, internal_fns: Vec<(String, usize)>) -> Relinked {
    let mut out = vec![0u8; TEXT_ADDR];
    out.extend_from_slice(&layout.text);
    let ro_addr = layout.ro_addr();
    out.resize(ro_addr, 0);
    out.extend_from_slice(&layout.ro);

    // .dynstr and .dynsym: null, entrypoint, internal functions, then syscalls (deduplicated).
    let mut dynstr = vec![0u8];
    let mut dynsym: Vec<[u8; 24]> = vec![[0; 24]];
    let mut sym_index = std::collections::BTreeMap::<String, u32>::new();
    let mut add_sym = |name: &str, info: u8, shndx: u16, value: u64, dynstr: &mut Vec<u8>| -> u32 {
        let mut s = [0u8; 24];
        s[0..4].copy_from_slice(&(dynstr.len() as u32).to_le_bytes());
        dynstr.extend_from_slice(name.as_bytes());
        dynstr.push(0);
        s[4] = info;
        s[6..8].copy_from_slice(&shndx.to_le_bytes());
        s[8..16].copy_from_slice(&value.to_le_bytes());
        dynsym.push(s);
        (dynsym.len() - 1) as u32
    };
    const TEXT_SHNDX: u16 = 1;
    let func_global = (elf::STB_GLOBAL << 4) | elf::STT_FUNC;
    add_sym("entrypoint", func_global, TEXT_SHNDX, entry as u64, &mut dynstr);
    for (name, addr) in &internal_fns {
        if !sym_index.contains_key(name) {
            let i = add_sym(name, func_global, TEXT_SHNDX, *addr as u64, &mut dynstr);
            sym_index.insert(name.clone(), i);
        }
    }
    let mut syscalls: Vec<String> =
        dynrel.iter().filter(|(_, t, name)| *t == reloc::R_BPF_64_32 && !name.is_empty() && !sym_index.contains_key(name)).map(|(_, _, n)| n.clone()).collect();
    syscalls.sort();
    syscalls.dedup();
    for name in &syscalls {
        let i = add_sym(name, elf::STB_GLOBAL << 4, 0, 0, &mut dynstr);
        sym_index.insert(name.clone(), i);
    }

    let mut rel = Vec::with_capacity(dynrel.len() * 16);
    let mut sorted = dynrel;
    sorted.sort_by_key(|(off, _, _)| *off);
    for (off, t, name) in &sorted {
        let sym = if name.is_empty() { 0 } else { sym_index[name] };
        rel.extend_from_slice(&off.to_le_bytes());
        rel.extend_from_slice(&((u64::from(sym) << 32) | u64::from(*t)).to_le_bytes());
    }

    let pad8 = |out: &mut Vec<u8>| out.resize(align_up(out.len(), 8), 0);
    pad8(&mut out);
    let dynamic_addr = out.len();
    let dyn_entries_len = if rel.is_empty() { 5 } else { 9 } * 16;
    out.resize(dynamic_addr + dyn_entries_len, 0);
    pad8(&mut out);
    let dynsym_addr = out.len();
    for s in &dynsym {
        out.extend_from_slice(s);
    }
    let dynstr_addr = out.len();
    out.extend_from_slice(&dynstr);
    pad8(&mut out);
    let rel_addr = out.len();
    out.extend_from_slice(&rel);

    // .dynamic contents.
    let mut dynamic = Vec::new();
    let mut push_dyn = |tag: u32, val: u64| {
        dynamic.extend_from_slice(&u64::from(tag).to_le_bytes());
        dynamic.extend_from_slice(&val.to_le_bytes());
    };
    push_dyn(elf::DT_SYMTAB, dynsym_addr as u64);
    push_dyn(elf::DT_SYMENT, 24);
    push_dyn(elf::DT_STRTAB, dynstr_addr as u64);
    push_dyn(elf::DT_STRSZ, dynstr.len() as u64);
    if !rel.is_empty() {
        push_dyn(elf::DT_REL, rel_addr as u64);
        push_dyn(elf::DT_RELSZ, rel.len() as u64);
        push_dyn(elf::DT_RELENT, 16);
        push_dyn(elf::DT_TEXTREL, 0);
    }
    push_dyn(elf::DT_NULL, 0);
    out[dynamic_addr..dynamic_addr + dynamic.len()].copy_from_slice(&dynamic);

    // .shstrtab and section headers.
    let mut shstrtab = vec![0u8];
    let mut name_of = |n: &str| {
        let at = shstrtab.len() as u32;
        shstrtab.extend_from_slice(n.as_bytes());
        shstrtab.push(0);
        at
    };
    struct Sh {
        name: u32,
        kind: u32,
        flags: u64,
        addr: u64,
        size: u64,
        link: u32,
        info: u32,
        align: u64,
        entsize: u64,
    }
    let alloc = u64::from(elf::SHF_ALLOC);
    let mut headers = vec![Sh { name: 0, kind: elf::SHT_NULL, flags: 0, addr: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
    headers.push(Sh {
        name: name_of(".text"),
        kind: elf::SHT_PROGBITS,
        flags: alloc | u64::from(elf::SHF_EXECINSTR),
        addr: TEXT_ADDR as u64,
        size: layout.text.len() as u64,
        link: 0,
        info: 0,
        align: 8,
        entsize: 0,
    });
    if !layout.ro.is_empty() {
        headers.push(Sh {
            name: name_of(".rodata"),
            kind: elf::SHT_PROGBITS,
            flags: alloc,
            addr: ro_addr as u64,
            size: layout.ro.len() as u64,
            link: 0,
            info: 0,
            align: 8,
            entsize: 0,
        });
    }
    let dynstr_index = headers.len() as u32 + 2;
    let dynsym_index = headers.len() as u32 + 1;
    headers.push(Sh {
        name: name_of(".dynamic"),
        kind: elf::SHT_DYNAMIC,
        flags: alloc,
        addr: dynamic_addr as u64,
        size: dynamic.len() as u64,
        link: dynstr_index,
        info: 0,
        align: 8,
        entsize: 16,
    });
    headers.push(Sh {
        name: name_of(".dynsym"),
        kind: elf::SHT_DYNSYM,
        flags: alloc,
        addr: dynsym_addr as u64,
        size: (dynsym.len() * 24) as u64,
        link: dynstr_index,
        info: 1,
        align: 8,
        entsize: 24,
    });
    headers.push(Sh {
        name: name_of(".dynstr"),
        kind: elf::SHT_STRTAB,
        flags: alloc,
        addr: dynstr_addr as u64,
        size: dynstr.len() as u64,
        link: 0,
        info: 0,
        align: 1,
        entsize: 0,
    });
    if !rel.is_empty() {
        headers.push(Sh {
            name: name_of(".rel.dyn"),
            kind: elf::SHT_REL,
            flags: alloc,
            addr: rel_addr as u64,
            size: rel.len() as u64,
            link: dynsym_index,
            info: 0,
            align: 8,
            entsize: 16,
        });
    }
    let shstrtab_name = name_of(".shstrtab");
    let shstrtab_addr = out.len();
    out.extend_from_slice(&shstrtab);
    headers.push(Sh { name: shstrtab_name, kind: elf::SHT_STRTAB, flags: 0, addr: 0, size: shstrtab.len() as u64, link: 0, info: 0, align: 1, entsize: 0 });
    pad8(&mut out);
    let shoff = out.len();
    let offsets_for = |h: &Sh| {
        if h.kind == elf::SHT_NULL {
            0
        } else if h.addr != 0 {
            h.addr
        } else {
            shstrtab_addr as u64
        }
    };
    for h in &headers {
        out.extend_from_slice(&h.name.to_le_bytes());
        out.extend_from_slice(&h.kind.to_le_bytes());
        out.extend_from_slice(&h.flags.to_le_bytes());
        out.extend_from_slice(&h.addr.to_le_bytes());
        out.extend_from_slice(&offsets_for(h).to_le_bytes());
        out.extend_from_slice(&h.size.to_le_bytes());
        out.extend_from_slice(&h.link.to_le_bytes());
        out.extend_from_slice(&h.info.to_le_bytes());
        out.extend_from_slice(&h.align.to_le_bytes());
        out.extend_from_slice(&h.entsize.to_le_bytes());
    }

    // ELF header.
    let mut eh = Vec::with_capacity(64);
    eh.extend_from_slice(&[0x7f, b'E', b'L', b'F', elf::ELFCLASS64, elf::ELFDATA2LSB, elf::EV_CURRENT, elf::ELFOSABI_NONE]);
    eh.extend_from_slice(&[0; 8]);
    eh.extend_from_slice(&elf::ET_DYN.to_le_bytes());
    eh.extend_from_slice(&elf::EM_BPF.to_le_bytes());
    eh.extend_from_slice(&u32::from(elf::EV_CURRENT).to_le_bytes());
    eh.extend_from_slice(&(entry as u64).to_le_bytes());
    eh.extend_from_slice(&0u64.to_le_bytes()); // e_phoff: no program headers
    eh.extend_from_slice(&(shoff as u64).to_le_bytes());
    eh.extend_from_slice(&0u32.to_le_bytes()); // e_flags: SBPF v0
    eh.extend_from_slice(&64u16.to_le_bytes()); // e_ehsize
    eh.extend_from_slice(&56u16.to_le_bytes()); // e_phentsize
    eh.extend_from_slice(&0u16.to_le_bytes()); // e_phnum
    eh.extend_from_slice(&64u16.to_le_bytes()); // e_shentsize
    eh.extend_from_slice(&(headers.len() as u16).to_le_bytes());
    eh.extend_from_slice(&((headers.len() - 1) as u16).to_le_bytes()); // e_shstrndx
    out[..64].copy_from_slice(&eh);

    Relinked { bytes: out, text_size: layout.text.len(), rodata_size: layout.ro.len(), dynamic_relocations: sorted.len(), syscalls }
}

#[cfg(test)]
mod tests {
    use super::*;
    use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
    use object::{Architecture, BinaryFormat, Endianness, RelocationFlags, SectionKind, SymbolFlags, SymbolKind, SymbolScope};

    fn insn(op: u8, regs: u8, off: i16, imm: i32) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[0] = op;
        b[1] = regs;
        b[2..4].copy_from_slice(&off.to_le_bytes());
        b[4..8].copy_from_slice(&imm.to_le_bytes());
        b
    }

    fn lddw(reg: u8, value: u64) -> Vec<u8> {
        let mut v = insn(OP_LDDW, reg, 0, value as u32 as i32).to_vec();
        v.extend_from_slice(&insn(0, 0, 0, (value >> 32) as u32 as i32));
        v
    }

    const EXIT: [u8; 8] = [0x95, 0, 0, 0, 0, 0, 0, 0];

    struct Built {
        obj: Vec<u8>,
    }

    /// A program shaped like what bpf-linker emits: `entrypoint` in .text loading a string from a
    /// merged string section through its section symbol, calling a syscall and a cold function in
    /// `.text.unlikely.` (section-symbol call with the addend in imm), and a pointer table in .rodata.
    fn sample(extra: impl FnOnce(&mut Object)) -> Built {
        let mut obj = Object::new(BinaryFormat::Elf, Architecture::Bpf, Endianness::Little);
        let text = obj.section_id(StandardSection::Text);
        let cold = obj.add_section(Vec::new(), b".text.unlikely.".to_vec(), SectionKind::Text);
        let strs = obj.add_section(Vec::new(), b".rodata.str1.1".to_vec(), SectionKind::ReadOnlyString);
        let ro = obj.add_section(Vec::new(), b".rodata".to_vec(), SectionKind::ReadOnlyData);

        // .rodata.str1.1: "xx" then "hello" at offset 2.
        obj.append_section_data(strs, b"xxhello", 1);
        // .text.unlikely.: 8 bytes of padding function, then the cold function at offset 8.
        obj.append_section_data(cold, &[EXIT, EXIT].concat(), 8);
        // .text: entrypoint.
        let mut code = Vec::new();
        code.extend(lddw(1, 2)); // 0: r1 = &"hello" (addend 2 in imm)
        code.extend(insn(OP_CALL, 0, 0, -1)); // 16: call sol_log_
        code.extend(insn(OP_CALL, 0x10, 0, 0)); // 24: call cold+8 (imm = 8/8 - 1 = 0)
        code.extend(insn(OP_CALLX, 0x04, 0, 0)); // 32: callx r4
        code.extend(EXIT); // 40
        obj.append_section_data(text, &code, 8);
        // .rodata: a pointer to "hello" (implicit addend 2 in the data).
        obj.append_section_data(ro, &2u64.to_le_bytes(), 8);

        let entry = obj.add_symbol(Symbol {
            name: b"entrypoint".to_vec(),
            value: 0,
            size: code.len() as u64,
            kind: SymbolKind::Text,
            scope: SymbolScope::Dynamic,
            weak: false,
            section: SymbolSection::Section(text),
            flags: SymbolFlags::None,
        });
        let _ = entry;
        let log = obj.add_symbol(Symbol {
            name: b"sol_log_".to_vec(),
            value: 0,
            size: 0,
            kind: SymbolKind::Unknown,
            scope: SymbolScope::Dynamic,
            weak: false,
            section: SymbolSection::Undefined,
            flags: SymbolFlags::None,
        });
        let strs_sym = obj.section_symbol(strs);
        let cold_sym = obj.section_symbol(cold);
        let rel = |r_type| RelocationFlags::Elf { r_type };
        obj.add_relocation(text, Relocation { offset: 0, symbol: strs_sym, addend: 0, flags: rel(reloc::R_BPF_64_64) }).unwrap();
        obj.add_relocation(text, Relocation { offset: 16, symbol: log, addend: 0, flags: rel(reloc::R_BPF_64_32) }).unwrap();
        obj.add_relocation(text, Relocation { offset: 24, symbol: cold_sym, addend: 0, flags: rel(reloc::R_BPF_64_32) }).unwrap();
        obj.add_relocation(ro, Relocation { offset: 0, symbol: strs_sym, addend: 0, flags: rel(reloc::R_BPF_64_ABS64) }).unwrap();
        extra(&mut obj);
        Built { obj: obj.write().unwrap() }
    }

    fn section<'a>(elf: &'a [u8], name: &str) -> (u64, &'a [u8]) {
        use object::{Object as _, ObjectSection as _};
        let f = object::File::parse(elf).unwrap();
        let s = f.section_by_name(name).unwrap_or_else(|| panic!("no {name}"));
        (s.address(), s.data().unwrap())
    }

    fn dyn_relocs(elf: &[u8]) -> Vec<(u64, u32, u32)> {
        let (_, rel) = section(elf, ".rel.dyn");
        rel.chunks(16)
            .map(|c| {
                let off = u64::from_le_bytes(c[0..8].try_into().unwrap());
                let info = u64::from_le_bytes(c[8..16].try_into().unwrap());
                (off, (info & 0xffff_ffff) as u32, (info >> 32) as u32)
            })
            .collect()
    }

    #[test]
    fn produces_an_sbpf_v0_shared_object() {
        let out = relink(&sample(|_| {}).obj).unwrap();
        let b = &out.bytes;
        assert_eq!(&b[0..4], b"\x7fELF");
        assert_eq!(u16::from_le_bytes([b[16], b[17]]), elf::ET_DYN);
        assert_eq!(u16::from_le_bytes([b[18], b[19]]), elf::EM_BPF);
        assert_eq!(u32::from_le_bytes(b[48..52].try_into().unwrap()), 0, "e_flags must be 0 (SBPF v0)");
        assert_eq!(u64::from_le_bytes(b[24..32].try_into().unwrap()), TEXT_ADDR as u64, "entry");
        assert_eq!(out.syscalls, vec!["sol_log_".to_string()]);
        // Loaded sections sit at file offset == address.
        use object::{Object as _, ObjectSection as _};
        let f = object::File::parse(&b[..]).unwrap();
        for s in f.sections() {
            if s.address() != 0 {
                assert_eq!(Some(s.address()), s.file_range().map(|r| r.0), "{:?}", s.name());
            }
        }
    }

    #[test]
    fn relocates_lddw_of_a_merged_string_through_its_section_symbol() {
        let out = relink(&sample(|_| {}).obj).unwrap();
        let (ro_addr, ro) = section(&out.bytes, ".rodata");
        let (text_addr, text) = section(&out.bytes, ".text");
        // .text (48 bytes) + .text.unlikely. (16) -> .rodata at 64 + 64: the strings (input order),
        // then the pointer table at the next 8-byte boundary.
        let lo = u32::from_le_bytes(text[4..8].try_into().unwrap()) as u64;
        let hi = u32::from_le_bytes(text[12..16].try_into().unwrap()) as u64;
        let addr = lo | (hi << 32);
        let strings_at = ro_addr;
        assert_eq!(ro_addr, 128);
        assert_eq!(addr, strings_at + 2);
        assert_eq!(&ro[(addr - ro_addr) as usize..][..5], b"hello");
        assert!(dyn_relocs(&out.bytes).contains(&(text_addr, reloc::R_BPF_64_RELATIVE, 0)));
    }

    #[test]
    fn syscalls_get_named_dynamic_symbols_and_internal_calls_become_relative() {
        let out = relink(&sample(|_| {}).obj).unwrap();
        let (text_addr, text) = section(&out.bytes, ".text");
        let relocs = dyn_relocs(&out.bytes);
        let (_, _, sym) = *relocs.iter().find(|r| r.0 == text_addr + 16).expect("syscall relocation");
        assert_eq!(relocs.iter().find(|r| r.0 == text_addr + 16).unwrap().1, reloc::R_BPF_64_32);
        let (_, dynsym) = section(&out.bytes, ".dynsym");
        let (_, dynstr) = section(&out.bytes, ".dynstr");
        let name_off = u32::from_le_bytes(dynsym[sym as usize * 24..][..4].try_into().unwrap()) as usize;
        let name = &dynstr[name_off..dynstr[name_off..].iter().position(|&c| c == 0).unwrap() + name_off];
        assert_eq!(name, b"sol_log_");
        assert_eq!(i32::from_le_bytes(text[20..24].try_into().unwrap()), -1);
        // call at pc 3 to .text.unlikely.+8: .text is 48 bytes, so the target is byte 56 = pc 7.
        assert_eq!(i32::from_le_bytes(text[28..32].try_into().unwrap()), 7 - (3 + 1));
        assert!(!relocs.iter().any(|r| r.0 == text_addr + 24), "internal calls need no relocation");
    }

    #[test]
    fn pointers_in_rodata_use_the_loaders_legacy_encoding() {
        let out = relink(&sample(|_| {}).obj).unwrap();
        let (ro_addr, ro) = section(&out.bytes, ".rodata");
        // The table follows the 7 string bytes at the next 8-byte boundary.
        assert_eq!(u32::from_le_bytes(ro[8..12].try_into().unwrap()), 0);
        assert_eq!(u32::from_le_bytes(ro[12..16].try_into().unwrap()) as u64, ro_addr + 2);
        assert!(dyn_relocs(&out.bytes).contains(&(ro_addr + 8, reloc::R_BPF_64_RELATIVE, 0)));
    }

    #[test]
    fn callx_takes_its_register_from_imm() {
        let out = relink(&sample(|_| {}).obj).unwrap();
        let (_, text) = section(&out.bytes, ".text");
        assert_eq!(text[32], OP_CALLX);
        assert_eq!(text[33] & 0x0f, 0);
        assert_eq!(i32::from_le_bytes(text[36..40].try_into().unwrap()), 4);
    }

    #[test]
    fn rejects_writable_data_missing_entrypoint_and_foreign_objects() {
        let with_data = sample(|obj| {
            let data = obj.section_id(StandardSection::Data);
            obj.append_section_data(data, &[1, 2, 3, 4], 4);
        });
        let e = relink(&with_data.obj).unwrap_err();
        assert!(e.0.contains("writable"), "{e}");

        let mut obj = Object::new(BinaryFormat::Elf, Architecture::Bpf, Endianness::Little);
        let text = obj.section_id(StandardSection::Text);
        obj.append_section_data(text, &EXIT, 8);
        assert!(relink(&obj.write().unwrap()).unwrap_err().0.contains("entrypoint"));

        let x86 = Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little).write().unwrap();
        assert!(relink(&x86).unwrap_err().0.contains("EM_BPF"));
        assert!(relink(b"not an elf").is_err());
    }
}
