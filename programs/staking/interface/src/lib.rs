//! What a client of the staking program, or a program reading its accounts or calling it, needs:
//! address, seeds, state, instructions, events, errors. A plain library (no entrypoint), so other
//! programs can link it.
#![no_std]

pub mod cpi;
pub mod error;
pub mod events;
pub mod instruction;
pub mod seeds;
pub mod state;

use hourglass_core::Address;

include!(concat!(env!("OUT_DIR"), "/program_id.rs"));

/// The staking program's address (from Anchor.toml).
pub const ID: Address = Address::from_str_const(ID_BASE58);

/// The program description the IDL is generated from.
pub const SPEC: hourglass_core::idl::ProgramSpec = hourglass_core::idl::ProgramSpec {
    name: "hourglass_staking",
    version: env!("CARGO_PKG_VERSION"),
    address: ID_BASE58,
    instructions: instruction::SPECS,
    accounts: state::TYPES,
    extra_types: &[],
    events: events::TYPES,
    errors: &[hourglass_core::error::CoreError::SPECS, error::StakingError::SPECS],
};
