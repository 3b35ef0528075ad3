//! Events: crank (hour, amount, total weight), nominations, claims, pause, breaker trips.

use hourglass_core::event::Event;
use hourglass_core::idl::TypeSpec;
use hourglass_core::pod::{Layout, PodBool, PodI64, PodU32, PodU64};
use hourglass_core::{pod_struct, Address};

pod_struct! {
    pub struct PoolInitialized {
        pub pool: Address,
        pub reward_mint: Address,
        pub start_time: PodI64,
        pub hour_length: PodI64,
        pub cap: PodU64,
    }
}

pod_struct! {
    pub struct HourEmitted {
        pub hour: PodU32,
        pub amount: PodU64,
        pub total_weight: PodU64,
        pub nominated_devices: PodU32,
    }
}

pod_struct! {
    pub struct RewardRegistered {
        pub device: Address,
        pub owner: Address,
        pub nominal_weight: PodU64,
    }
}

pod_struct! {
    pub struct UptimeRecorded {
        pub device: Address,
        pub first_hour: PodU32,
        pub hour_count: PodU32,
        pub streak: PodU32,
    }
}

pod_struct! {
    pub struct DeviceNominated {
        pub device: Address,
        pub weight: PodU64,
        pub from_hour: PodU32,
        pub total_weight: PodU64,
    }
}

pod_struct! {
    pub struct DeviceDenominated {
        pub device: Address,
        pub weight: PodU64,
        pub from_hour: PodU32,
        pub total_weight: PodU64,
    }
}

pod_struct! {
    /// A nominated device's weight changes from `from_hour` (working: nominal x the work factor).
    pub struct DeviceWeightChanged {
        pub device: Address,
        pub weight: PodU64,
        pub working: PodBool,
        pub from_hour: PodU32,
        pub total_weight: PodU64,
    }
}

pod_struct! {
    pub struct RewardsClaimed {
        pub device: Address,
        pub owner: Address,
        pub amount: PodU64,
    }
}

pod_struct! {
    pub struct PoolPaused {
        pub paused: PodBool,
        pub hour: PodU32,
    }
}

pod_struct! {
    pub struct BreakerTripped {
        pub device: Address,
        pub requested: PodU64,
        pub window_outflow: PodU64,
        pub breaker_cap: PodU64,
    }
}

impl Event for PoolInitialized {}
impl Event for HourEmitted {}
impl Event for RewardRegistered {}
impl Event for UptimeRecorded {}
impl Event for DeviceNominated {}
impl Event for DeviceDenominated {}
impl Event for DeviceWeightChanged {}
impl Event for RewardsClaimed {}
impl Event for PoolPaused {}
impl Event for BreakerTripped {}

pub const TYPES: &[TypeSpec] = &[
    TypeSpec { name: PoolInitialized::NAME, fields: PoolInitialized::FIELDS },
    TypeSpec { name: HourEmitted::NAME, fields: HourEmitted::FIELDS },
    TypeSpec { name: RewardRegistered::NAME, fields: RewardRegistered::FIELDS },
    TypeSpec { name: UptimeRecorded::NAME, fields: UptimeRecorded::FIELDS },
    TypeSpec { name: DeviceNominated::NAME, fields: DeviceNominated::FIELDS },
    TypeSpec { name: DeviceDenominated::NAME, fields: DeviceDenominated::FIELDS },
    TypeSpec { name: DeviceWeightChanged::NAME, fields: DeviceWeightChanged::FIELDS },
    TypeSpec { name: RewardsClaimed::NAME, fields: RewardsClaimed::FIELDS },
    TypeSpec { name: PoolPaused::NAME, fields: PoolPaused::FIELDS },
    TypeSpec { name: BreakerTripped::NAME, fields: BreakerTripped::FIELDS },
];
