//! Hourglass rewards program: emits io.net's hourly block reward schedule from a pool that mints the
//! reward token, shares each hour among nominated devices by weight through a reward-per-weight
//! accumulator (O(1) claims), can be paused, and caps outflows with a circuit breaker.
#![no_std]
#![no_builtins]

pub mod interface;
pub mod processor;

pub use interface::{ID, ID_BASE58};

#[cfg(target_arch = "bpf")]
mod entrypoint {
    use crate::processor::process_instruction;

    pinocchio::program_entrypoint!(process_instruction, 16);
    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();
}

#[cfg(not(target_arch = "bpf"))]
extern crate std;
