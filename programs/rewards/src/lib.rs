//! Hourglass rewards program: emits io.net's hourly block reward schedule from a pool that mints the
//! reward token, shares each hour among nominated devices by weight through a reward-per-weight
//! accumulator (O(1) claims), can be paused, and caps outflows with a circuit breaker.
#![no_std]
#![no_builtins]

pub mod interface;
pub mod processor;

pub use interface::{ID, ID_BASE58};

hourglass_core::program_entrypoint!(crate::processor::process_instruction);
