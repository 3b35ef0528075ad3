//! PDA seeds. Bumps are found at creation and stored in the Market.

/// `["market"]`: the singleton Market (fees, mints, hour length, grace).
pub const MARKET: &[u8] = b"market";
/// `["lease_authority"]`: owns every escrow token account and is the staking program's lease
/// authority (marks devices leased, releases them, slashes on faults).
pub const LEASE_AUTHORITY: &[u8] = b"lease_authority";
/// `["network_treasury"]`: the network fee vault, a token account of the network mint whose token
/// authority is the Market PDA (so only `burn_fees` can move what it holds: it burns it).
pub const NETWORK_TREASURY: &[u8] = b"network_treasury";
