//! Hourglass staking program: the GPU device registry and the stake suppliers put behind each device.
//!
//! `interface` holds everything a client needs (state layouts, instructions with their accounts and
//! arguments, events, errors, PDA seeds); `processor` holds one file per instruction behind a thin
//! dispatcher. The program is built to SBF with `scripts/build-programs.sh`.
#![no_std]
#![no_builtins]

pub use hourglass_staking_interface as interface;
pub mod processor;

pub use interface::{ID, ID_BASE58};

/// The program entrypoint, allocator and panic handler.
#[cfg(target_arch = "bpf")]
mod entrypoint {
    use crate::processor::process_instruction;

    // Sixteen accounts is more than any instruction takes; extra accounts are ignored.
    pinocchio::program_entrypoint!(process_instruction, 16);
    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();
}

// Host builds (tests, the IDL generator) use std's panic handler.
#[cfg(not(target_arch = "bpf"))]
extern crate std;
