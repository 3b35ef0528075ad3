//! What a client of the rewards program needs.

pub mod error;
pub mod events;
pub mod instruction;
pub mod schedule;
pub mod seeds;
pub mod state;

use hourglass_core::Address;

include!(concat!(env!("OUT_DIR"), "/program_id.rs"));

/// The rewards program's address (from Anchor.toml).
pub const ID: Address = Address::from_str_const(ID_BASE58);

include!(concat!(env!("OUT_DIR"), "/leases_id.rs"));

/// The lease program, whose Lease accounts show proven lease hours.
pub const LEASES_ID: Address = Address::from_str_const(LEASES_ID_BASE58);

/// The program description the IDL is generated from.
pub const SPEC: hourglass_core::idl::ProgramSpec = hourglass_core::idl::ProgramSpec {
    name: "hourglass_rewards",
    version: env!("CARGO_PKG_VERSION"),
    address: ID_BASE58,
    instructions: instruction::SPECS,
    accounts: state::TYPES,
    extra_types: &[],
    events: events::TYPES,
    errors: &[hourglass_core::error::CoreError::SPECS, error::RewardsError::SPECS],
};
