//! The program description every interface fills in: instructions with their accounts and argument
//! fields, account and event layouts, and errors. `hourglass-idl-gen` turns it into Anchor IDL JSON
//! (spec 0.1.0); tests regenerate it and fail when the committed JSON drifts.

/// A field type as Anchor's IDL names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    U8,
    U16,
    U32,
    U64,
    I64,
    Bool,
    Pubkey,
    /// A fixed array of `u8`.
    Bytes(usize),
    /// A fixed array of public keys.
    PubkeyArray(usize),
    /// Borsh `bytes`: a u32 length, then that many bytes (variable-length argument).
    VecU8,
}

impl Ty {
    /// Borsh size in bytes.
    pub const fn size(self) -> usize {
        match self {
            Ty::U8 | Ty::Bool => 1,
            Ty::U16 => 2,
            Ty::U32 => 4,
            Ty::U64 | Ty::I64 => 8,
            Ty::Pubkey => 32,
            Ty::Bytes(n) => n,
            Ty::PubkeyArray(n) => 32 * n,
            // Variable: only the length prefix is fixed.
            Ty::VecU8 => 4,
        }
    }
}

/// One named field of a struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
}

/// One account an instruction takes, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountSpec {
    pub name: &'static str,
    pub writable: bool,
    pub signer: bool,
    /// A fixed address (programs, sysvars), base58.
    pub address: Option<&'static str>,
    pub docs: &'static str,
}

impl AccountSpec {
    pub const fn new(name: &'static str, docs: &'static str) -> Self {
        Self { name, writable: false, signer: false, address: None, docs }
    }
    pub const fn writable(mut self) -> Self {
        self.writable = true;
        self
    }
    pub const fn signer(mut self) -> Self {
        self.signer = true;
        self
    }
    pub const fn address(mut self, address: &'static str) -> Self {
        self.address = Some(address);
        self
    }
}

/// One instruction: its snake_case name, accounts and argument fields.
#[derive(Clone, Copy, Debug)]
pub struct InstructionSpec {
    pub name: &'static str,
    pub docs: &'static str,
    pub accounts: &'static [AccountSpec],
    pub args: &'static [Field],
}

/// A named layout (account or event).
#[derive(Clone, Copy, Debug)]
pub struct TypeSpec {
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// One error: code, PascalCase name, message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorSpec {
    pub code: u32,
    pub name: &'static str,
    pub msg: &'static str,
}

/// Everything the IDL of one program says.
#[derive(Clone, Copy, Debug)]
pub struct ProgramSpec {
    pub name: &'static str,
    pub version: &'static str,
    pub address: &'static str,
    pub instructions: &'static [InstructionSpec],
    pub accounts: &'static [TypeSpec],
    /// Further named layouts clients decode (e.g. table entries that follow an account's header).
    pub extra_types: &'static [TypeSpec],
    pub events: &'static [TypeSpec],
    pub errors: &'static [&'static [ErrorSpec]],
}

/// The well-known program and sysvar addresses instructions name.
pub mod addresses {
    pub const SYSTEM_PROGRAM: &str = "11111111111111111111111111111111";
    pub const TOKEN_PROGRAM: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
}
