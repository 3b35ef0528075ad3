//! Instructions: data = sha256("global:<name>")[0..8] ++ arguments (Borsh). Accounts in order with
//! [writable, signer].

use hourglass_core::idl::addresses::{SYSTEM_PROGRAM, TOKEN_PROGRAM};
use hourglass_core::idl::{AccountSpec as A, Field, InstructionSpec, Ty};
use hourglass_core::pod::{Layout, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{instruction_set, pod_struct};

instruction_set! {
    /// The lease instructions, in the order of [`SPECS`].
    pub enum LeaseInstruction {
        InitializeMarket = "initialize_market",
        CreateLease = "create_lease",
        AssignDevice = "assign_device",
        ProveTime = "prove_time",
        Extend = "extend",
        Pause = "pause",
        Terminate = "terminate",
        Complete = "complete",
        ReportFault = "report_fault",
        Claim = "claim",
        ReleaseDevice = "release_device",
        CloseLease = "close_lease",
        BurnFees = "burn_fees",
    }
}

pub use hourglass_core::discriminator::args;

pod_struct! {
    pub struct InitializeMarketArgs {
        pub grace_period: PodI64,
        pub hour_length: PodI64,
        pub renter_fee_bps: PodU16,
        pub supplier_fee_bps: PodU16,
        pub stable_surcharge_bps: PodU16,
        pub fault_slash_bps: PodU16,
    }
}

pod_struct! {
    pub struct CreateLeaseArgs {
        pub gpu_model: PodU16,
        pub gpu_count: PodU32,
        pub hours: PodU32,
        pub price_per_gpu_hour: PodU64,
        pub max_devices: PodU16,
    }
}

pod_struct! {
    pub struct ExtendArgs {
        pub hours: PodU32,
    }
}

pod_struct! {
    pub struct SlotArgs {
        pub slot: PodU16,
    }
}

pod_struct! {
    pub struct NoArgs {}
}

/// `prove_time`'s single argument: Borsh `bytes` holding 64-byte entries (see `attestation`).
pub const PROVE_TIME_ARGS: &[Field] = &[Field { name: "attestations", ty: Ty::VecU8 }];

const MARKET: A = A::new("market", "PDA [\"market\"]");
const LEASE: A = A::new("lease", "The Lease account").writable();
const ESCROW: A = A::new("escrow", "The lease's escrow token account").writable();
const AUTHORITY: A = A::new("lease_authority", "PDA [\"lease_authority\"]");
const STAKING_CONFIG: A = A::new("staking_config", "The staking program's Config");
const STAKING_PROGRAM: A = A::new("staking_program", "The staking program");
const DEVICE: A = A::new("device", "The staking Device").writable();
const TOKEN: A = A::new("token_program", "").address(TOKEN_PROGRAM);
const SYSTEM: A = A::new("system_program", "").address(SYSTEM_PROGRAM);
const RENTER_TOKENS: A = A::new("renter_tokens", "The renter's token account of the payment mint").writable();
const CALLER: A = A::new("caller", "Anyone (a crank); pays the fee").signer();

/// Instruction descriptions, indexed by `LeaseInstruction as usize`.
pub const SPECS: &[InstructionSpec] = &[
    InstructionSpec {
        name: "initialize_market",
        docs: "Creates the Market (accepted mints, fee rates, hour length, grace period) and its network fee vault. Once only.",
        accounts: &[
            A::new("authority", "Market authority; pays rent").writable().signer(),
            A::new("market", "PDA [\"market\"]").writable(),
            A::new("network_mint", "The network token"),
            A::new("stable_mint", "The stable mint"),
            A::new("network_treasury", "PDA [\"network_treasury\"], created here: the network fee vault (token authority: the market)").writable(),
            A::new("stable_treasury", "Fee account of the stable mint (the market authority's)"),
            AUTHORITY,
            SYSTEM,
            TOKEN,
        ],
        args: InitializeMarketArgs::FIELDS,
    },
    InstructionSpec {
        name: "create_lease",
        docs: "Books GPUs for hours at a price per GPU-hour: locks price x GPUs x hours in a new escrow and pays the renter fee.",
        accounts: &[
            A::new("renter", "Pays the booking, the fee and rent").writable().signer(),
            A::new("lease", "Keypair account created just before (owner: this program, lease_len(max_devices) bytes), still zeroed").writable().signer(),
            A::new("escrow", "New keypair account for the escrow token account").writable().signer(),
            MARKET,
            A::new("payment_mint", "The network or the stable mint"),
            RENTER_TOKENS,
            A::new("treasury", "The market treasury for the payment mint").writable(),
            AUTHORITY,
            TOKEN,
            SYSTEM,
        ],
        args: CreateLeaseArgs::FIELDS,
    },
    InstructionSpec {
        name: "assign_device",
        docs: "An attester places a staked, active device of the right model on the lease.",
        accounts: &[A::new("attester", "A registered attester").signer(), STAKING_CONFIG, LEASE, DEVICE, AUTHORITY, STAKING_PROGRAM],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "prove_time",
        docs: "An attester submits device-signed attestations, verified by the preceding Ed25519 instruction.",
        accounts: &[
            A::new("attester", "A registered attester").signer(),
            STAKING_CONFIG,
            LEASE,
            A::new("instructions", "The instructions sysvar").address("Sysvar1nstructions1111111111111111111111111"),
        ],
        args: PROVE_TIME_ARGS,
    },
    InstructionSpec {
        name: "extend",
        docs: "The renter books more hours (and resumes a paused lease).",
        accounts: &[A::new("renter", "The renter").signer(), LEASE, ESCROW, RENTER_TOKENS, A::new("treasury", "The lease's treasury").writable(), TOKEN],
        args: ExtendArgs::FIELDS,
    },
    InstructionSpec {
        name: "pause",
        docs: "Anyone pauses a lease whose booked hours are used up (the job stops until extended).",
        accounts: &[CALLER, LEASE],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "terminate",
        docs: "The renter ends the lease now: hours not yet run are refunded at once.",
        accounts: &[A::new("renter", "The renter").signer(), LEASE, ESCROW, RENTER_TOKENS, AUTHORITY, TOKEN],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "complete",
        docs: "After the end plus grace, anyone settles: every unproven hour is refunded to the renter.",
        accounts: &[CALLER, LEASE, ESCROW, RENTER_TOKENS, AUTHORITY, TOKEN],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "report_fault",
        docs: "Anyone reports a device that missed more than the grace: it stops earning, is released and slashed.",
        accounts: &[
            CALLER,
            LEASE,
            AUTHORITY,
            STAKING_PROGRAM,
            STAKING_CONFIG,
            DEVICE,
            A::new("stake_vault", "The staking vault").writable(),
            A::new("staking_treasury", "The staking treasury").writable(),
            TOKEN,
        ],
        args: SlotArgs::FIELDS,
    },
    InstructionSpec {
        name: "claim",
        docs: "Pays a device's unclaimed proven hours to its supplier in one transfer, less the supplier fee.",
        accounts: &[
            CALLER,
            LEASE,
            ESCROW,
            A::new("supplier_tokens", "The supplier's token account of the payment mint").writable(),
            A::new("treasury", "The lease's treasury").writable(),
            AUTHORITY,
            TOKEN,
        ],
        args: SlotArgs::FIELDS,
    },
    InstructionSpec {
        name: "release_device",
        docs: "After settlement, returns a device to active in the staking program.",
        accounts: &[CALLER, LEASE, AUTHORITY, STAKING_PROGRAM, STAKING_CONFIG, DEVICE],
        args: SlotArgs::FIELDS,
    },
    InstructionSpec {
        name: "close_lease",
        docs: "Closes a settled, fully paid and released lease; rent and the escrow's rent go to the renter.",
        accounts: &[A::new("renter", "The renter; receives the rent").writable().signer(), LEASE, ESCROW, AUTHORITY, TOKEN],
        args: NoArgs::FIELDS,
    },
    InstructionSpec {
        name: "burn_fees",
        docs: "Anyone burns every network-token fee in the network fee vault (the mint's supply falls by it). Stable fees are not burned.",
        accounts: &[
            CALLER,
            A::new("market", "PDA [\"market\"]; records the total burned").writable(),
            A::new("network_treasury", "The Market's network fee vault").writable(),
            A::new("network_mint", "The network mint").writable(),
            TOKEN,
        ],
        args: NoArgs::FIELDS,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_line_up_with_the_enum() {
        assert_eq!(SPECS.len(), LeaseInstruction::ALL.len());
        for &ix in LeaseInstruction::ALL {
            assert_eq!(ix.spec().name, ix.name());
            assert_eq!(LeaseInstruction::unpack(&ix.discriminator()).unwrap().0, ix);
        }
    }
}
