//! Events, emitted with `sol_log_data` in Anchor's format; the indexer consumes them. Every state
//! change emits one.

use hourglass_core::event::Event;
use hourglass_core::idl::TypeSpec;
use hourglass_core::pod::{Layout, PodBool, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{pod_struct, Address};

pod_struct! {
    pub struct ConfigInitialized {
        pub config: Address,
        pub authority: Address,
        pub stake_mint: Address,
        pub treasury: Address,
        pub unbonding_period: PodI64,
        pub max_slash_bps: PodU16,
        pub slash_delay: PodI64,
    }
}

pod_struct! {
    pub struct ConfigUpdated {
        pub authority: Address,
        pub treasury: Address,
        pub lease_authority: Address,
        pub unbonding_period: PodI64,
        pub max_slash_bps: PodU16,
        pub slash_delay: PodI64,
    }
}

pod_struct! {
    /// `update_config` queued a loosening of the slashing terms; the same call repeated from
    /// `effective_at` applies it.
    pub struct ConfigChangeQueued {
        pub unbonding_period: PodI64,
        pub max_slash_bps: PodU16,
        pub slash_delay: PodI64,
        pub effective_at: PodI64,
    }
}

pod_struct! {
    pub struct AuthorityChanged {
        pub previous: Address,
        pub authority: Address,
    }
}

pod_struct! {
    pub struct AttesterSet {
        pub attester: Address,
        pub enabled: PodBool,
        pub attester_count: u8,
    }
}

pod_struct! {
    pub struct GpuTierSet {
        pub model_code: PodU16,
        pub multiplier_bps: PodU32,
    }
}

pod_struct! {
    pub struct DeviceRegistered {
        pub device: Address,
        pub owner: Address,
        pub device_key: Address,
        pub gpu_model: PodU16,
        pub gpu_count: PodU16,
        pub vram_gb: PodU16,
        pub region: PodU16,
        pub bandwidth_tier: u8,
        pub multiplier_bps: PodU32,
        pub minimum_stake: PodU64,
    }
}

pod_struct! {
    /// Paused, resumed, leased or released.
    pub struct DeviceStatusChanged {
        pub device: Address,
        pub status: u8,
        pub lease: Address,
    }
}

pod_struct! {
    pub struct Staked {
        pub device: Address,
        pub staker: Address,
        pub amount: PodU64,
        pub total_stake: PodU64,
    }
}

pod_struct! {
    pub struct UnstakeRequested {
        pub device: Address,
        pub amount: PodU64,
        pub remaining_stake: PodU64,
        pub unbonding_amount: PodU64,
        pub unlock_at: PodI64,
    }
}

pod_struct! {
    pub struct Withdrawn {
        pub device: Address,
        pub destination: Address,
        pub amount: PodU64,
    }
}

pod_struct! {
    pub struct CoStaked {
        pub device: Address,
        pub staker: Address,
        pub amount: PodU64,
        /// The staker's active co-stake on this device after this instruction.
        pub staker_amount: PodU64,
        /// All co-stakers' active stake on this device.
        pub device_co_stake: PodU64,
    }
}

pod_struct! {
    pub struct CoUnstakeRequested {
        pub device: Address,
        pub staker: Address,
        pub amount: PodU64,
        pub unbonding_amount: PodU64,
        pub unlock_at: PodI64,
    }
}

pod_struct! {
    pub struct CoWithdrawn {
        pub device: Address,
        pub staker: Address,
        pub destination: Address,
        pub amount: PodU64,
    }
}

pod_struct! {
    pub struct DeviceSlashed {
        pub device: Address,
        pub authority: Address,
        pub amount: PodU64,
        pub bps: PodU16,
        pub reason: u8,
        pub remaining_stake: PodU64,
        /// Taken from co-stakers (their active and unbonding stake, pro rata); part of `amount`.
        pub co_stake_amount: PodU64,
        /// Co-stakers' active stake left on the device.
        pub remaining_co_stake: PodU64,
        /// The supplier's unbonding stake left (unbonding stays slashable).
        pub remaining_unbonding: PodU64,
    }
}

pod_struct! {
    /// The config authority proposed a discretionary slash; `execute_slash` may take it from
    /// `executable_at`, and `cancel_slash` withdraws it until then.
    pub struct SlashProposed {
        pub device: Address,
        pub proposal: Address,
        pub authority: Address,
        pub bps: PodU16,
        pub reason: u8,
        pub executable_at: PodI64,
    }
}

pod_struct! {
    /// `execute_slash` took a proposal (the DeviceSlashed event beside it carries the amounts).
    pub struct SlashExecuted {
        pub device: Address,
        pub proposal: Address,
        pub bps: PodU16,
        pub reason: u8,
        pub amount: PodU64,
    }
}

pod_struct! {
    pub struct SlashCancelled {
        pub device: Address,
        pub proposal: Address,
        pub bps: PodU16,
        pub reason: u8,
    }
}

pod_struct! {
    pub struct DeviceDeregistered {
        pub device: Address,
        pub owner: Address,
    }
}

impl Event for ConfigInitialized {}
impl Event for ConfigUpdated {}
impl Event for AuthorityChanged {}
impl Event for AttesterSet {}
impl Event for GpuTierSet {}
impl Event for DeviceRegistered {}
impl Event for DeviceStatusChanged {}
impl Event for Staked {}
impl Event for UnstakeRequested {}
impl Event for Withdrawn {}
impl Event for CoStaked {}
impl Event for CoUnstakeRequested {}
impl Event for CoWithdrawn {}
impl Event for DeviceSlashed {}
impl Event for SlashProposed {}
impl Event for SlashCancelled {}
impl Event for SlashExecuted {}
impl Event for ConfigChangeQueued {}
impl Event for DeviceDeregistered {}

macro_rules! types {
    ($($t:ident),* $(,)?) => {
        /// Every event type, for the IDL.
        pub const TYPES: &[TypeSpec] = &[$(TypeSpec { name: $t::NAME, fields: $t::FIELDS }),*];
    };
}

types!(
    ConfigInitialized,
    ConfigUpdated,
    AuthorityChanged,
    AttesterSet,
    GpuTierSet,
    DeviceRegistered,
    DeviceStatusChanged,
    Staked,
    UnstakeRequested,
    Withdrawn,
    CoStaked,
    CoUnstakeRequested,
    CoWithdrawn,
    DeviceSlashed,
    DeviceDeregistered,
    SlashProposed,
    SlashCancelled,
    SlashExecuted,
    ConfigChangeQueued,
);
