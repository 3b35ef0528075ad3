//! Events, emitted with `sol_log_data` in Anchor's format; the indexer consumes them.

use hourglass_core::event::Event;
use hourglass_core::idl::TypeSpec;
use hourglass_core::pod::{Layout, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{pod_struct, Address};

pod_struct! {
    pub struct ConfigInitialized {
        pub config: Address,
        pub authority: Address,
        pub stake_mint: Address,
        pub treasury: Address,
        pub unbonding_period: PodI64,
        pub max_slash_bps: PodU16,
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

impl Event for ConfigInitialized {}
impl Event for GpuTierSet {}
impl Event for DeviceRegistered {}
impl Event for Staked {}
impl Event for UnstakeRequested {}
impl Event for Withdrawn {}

/// Every event type, for the IDL.
pub const TYPES: &[TypeSpec] = &[
    TypeSpec { name: ConfigInitialized::NAME, fields: ConfigInitialized::FIELDS },
    TypeSpec { name: GpuTierSet::NAME, fields: GpuTierSet::FIELDS },
    TypeSpec { name: DeviceRegistered::NAME, fields: DeviceRegistered::FIELDS },
    TypeSpec { name: Staked::NAME, fields: Staked::FIELDS },
    TypeSpec { name: UnstakeRequested::NAME, fields: UnstakeRequested::FIELDS },
    TypeSpec { name: Withdrawn::NAME, fields: Withdrawn::FIELDS },
];
