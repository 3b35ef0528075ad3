//! What a client of the lease program needs: address, seeds, state, instructions, attestation format,
//! events, errors.

pub mod attestation;
pub mod error;
pub mod events;
pub mod instruction;
pub mod seeds;
pub mod state;

use hourglass_core::Address;

include!(concat!(env!("OUT_DIR"), "/program_id.rs"));

/// The lease program's address (from Anchor.toml).
pub const ID: Address = Address::from_str_const(ID_BASE58);

/// The program description the IDL is generated from.
pub const SPEC: hourglass_core::idl::ProgramSpec = hourglass_core::idl::ProgramSpec {
    name: "hourglass_leases",
    version: env!("CARGO_PKG_VERSION"),
    address: ID_BASE58,
    instructions: instruction::SPECS,
    accounts: state::TYPES,
    extra_types: &[state::SLOT_TYPE],
    events: events::TYPES,
    errors: &[hourglass_core::error::CoreError::SPECS, error::LeaseError::SPECS],
};
