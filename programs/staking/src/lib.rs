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

hourglass_core::program_entrypoint!(crate::processor::process_instruction);
