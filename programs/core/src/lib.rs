//! Shared no_std building blocks for every Hourglass program.
//!
//! - [`syscalls`]: thin safe wrappers over the Solana runtime syscalls we use.
//! - [`sha256`]: a `const fn` SHA-256, so Anchor discriminators are computed at compile time.
//! - [`discriminator`]: Anchor's `global:`, `account:` and `event:` discriminators.
//! - [`math`]: integer math inside the LLVM eBPF backend limits (no `__multi3`, no i128 division).
//! - [`pod`]: alignment-1 plain-old-data field types and the `pod_struct!` macro that also records each
//!   struct's field list for the IDL.
//! - [`error`]: the numbered error macro and the shared loader errors (codes 6000..=6099).
//! - [`loaders`]: typed account checks (signer, writable, owner, discriminator, length, canonical PDA).
//! - [`event`]: Anchor-format events through `sol_log_data`.
//! - [`cpi`]: PDA account creation and token transfers.
//! - `mem` (SBF only): `memcpy`/`memmove`/`memset`/`memcmp`/`bcmp` on the runtime's memory syscalls.
//! - [`ed25519`]: checking that a preceding Ed25519 instruction verified exactly our messages.
//! - [`instructions_sysvar`]: reading other instructions of the transaction (Ed25519 checks).
//! - [`idl`]: the program description types every interface fills in (read by the IDL generator).
//! - [`program_entrypoint!`]: a program's SBF entrypoint, allocator and panic handler.
#![no_std]
#![no_builtins]

pub mod cpi;
pub mod discriminator;
pub mod ed25519;
pub mod error;
pub mod event;
pub mod idl;
pub mod instructions_sysvar;
pub mod loaders;
pub mod math;
#[cfg(target_arch = "bpf")]
pub mod mem;
pub mod pod;
pub mod sha256;
pub mod syscalls;

pub use pinocchio;
pub use pinocchio::error::ProgramError;
pub use pinocchio::{AccountView, Address, ProgramResult};

/// Declares a program's SBF entrypoint around `$process` (the dispatcher), with no heap allocator and
/// a panic handler; host builds (tests, the IDL generator) get std's instead. Sixteen accounts are
/// decoded, more than any instruction takes; extra accounts are ignored.
#[macro_export]
macro_rules! program_entrypoint {
    ($process:path) => {
        #[cfg(target_arch = "bpf")]
        mod entrypoint {
            ::pinocchio::program_entrypoint!($process, 16);
            ::pinocchio::no_allocator!();
            ::pinocchio::nostd_panic_handler!();
        }

        #[cfg(not(target_arch = "bpf"))]
        extern crate std;
    };
}
