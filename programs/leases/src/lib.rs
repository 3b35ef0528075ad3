//! Hourglass lease program: renters lock payment for GPU-hours in a per-lease escrow; devices prove
//! hours with Ed25519-signed attestations submitted by a registered attester (proof of time-lock);
//! proven hours pay suppliers, everything else is refunded.
//!
//! `interface` holds what clients need; `processor` has one file per instruction behind a thin
//! dispatcher. Staking state is read through `hourglass-staking`'s interface and changed only by CPI.
#![no_std]
#![no_builtins]

pub mod interface;
pub mod processor;

pub use interface::{ID, ID_BASE58};

hourglass_core::program_entrypoint!(crate::processor::process_instruction);
