//! Events (Anchor format); every state change emits one.

use hourglass_core::event::Event;
use hourglass_core::idl::TypeSpec;
use hourglass_core::pod::{Layout, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{pod_struct, Address};

pod_struct! {
    pub struct MarketInitialized {
        pub authority: Address,
        pub network_mint: Address,
        pub stable_mint: Address,
        pub hour_length: PodI64,
        pub grace_period: PodI64,
    }
}

pod_struct! {
    pub struct LeaseCreated {
        pub lease: Address,
        pub renter: Address,
        pub payment_mint: Address,
        pub gpu_model: PodU16,
        pub gpu_count: PodU32,
        pub hours: PodU32,
        pub price_per_gpu_hour: PodU64,
        pub principal: PodU64,
        pub renter_fee: PodU64,
        pub origin: PodI64,
    }
}

pod_struct! {
    pub struct DeviceAssigned {
        pub lease: Address,
        pub device: Address,
        pub slot: PodU16,
        pub gpus: PodU16,
        pub first_hour: PodU32,
    }
}

pod_struct! {
    pub struct TimeProven {
        pub lease: Address,
        pub device: Address,
        pub attester: Address,
        pub first_hour: PodU32,
        pub hour_count: PodU16,
        pub amount: PodU64,
    }
}

pod_struct! {
    pub struct LeaseExtended {
        pub lease: Address,
        pub hours: PodU32,
        pub hours_booked: PodU32,
        pub deposit: PodU64,
        pub renter_fee: PodU64,
        pub resumed: u8,
    }
}

pod_struct! {
    pub struct LeasePaused {
        pub lease: Address,
        pub paused_at: PodI64,
    }
}

pod_struct! {
    pub struct LeaseTerminated {
        pub lease: Address,
        pub hours_booked: PodU32,
        pub refund: PodU64,
    }
}

pod_struct! {
    pub struct LeaseSettled {
        pub lease: Address,
        pub earned_total: PodU64,
        pub refund: PodU64,
        pub refunded_total: PodU64,
    }
}

pod_struct! {
    pub struct DeviceFaulted {
        pub lease: Address,
        pub device: Address,
        pub missed_hour: PodU32,
        pub slash_bps: PodU16,
    }
}

pod_struct! {
    pub struct PayoutClaimed {
        pub lease: Address,
        pub device: Address,
        pub supplier: Address,
        pub hours: PodU32,
        pub gross: PodU64,
        pub fee: PodU64,
    }
}

pod_struct! {
    pub struct DeviceReleased {
        pub lease: Address,
        pub device: Address,
    }
}

pod_struct! {
    pub struct LeaseClosed {
        pub lease: Address,
        pub renter: Address,
    }
}

pod_struct! {
    /// `burn_fees` burned the network-token fees the market collected.
    pub struct FeesBurned {
        pub mint: Address,
        pub amount: PodU64,
        /// Everything burned since the market started.
        pub total_burned: PodU64,
    }
}

impl Event for MarketInitialized {}
impl Event for LeaseCreated {}
impl Event for DeviceAssigned {}
impl Event for TimeProven {}
impl Event for LeaseExtended {}
impl Event for LeasePaused {}
impl Event for LeaseTerminated {}
impl Event for LeaseSettled {}
impl Event for DeviceFaulted {}
impl Event for PayoutClaimed {}
impl Event for DeviceReleased {}
impl Event for LeaseClosed {}
impl Event for FeesBurned {}

/// Every event type, for the IDL.
pub const TYPES: &[TypeSpec] = &[
    TypeSpec { name: MarketInitialized::NAME, fields: MarketInitialized::FIELDS },
    TypeSpec { name: LeaseCreated::NAME, fields: LeaseCreated::FIELDS },
    TypeSpec { name: DeviceAssigned::NAME, fields: DeviceAssigned::FIELDS },
    TypeSpec { name: TimeProven::NAME, fields: TimeProven::FIELDS },
    TypeSpec { name: LeaseExtended::NAME, fields: LeaseExtended::FIELDS },
    TypeSpec { name: LeasePaused::NAME, fields: LeasePaused::FIELDS },
    TypeSpec { name: LeaseTerminated::NAME, fields: LeaseTerminated::FIELDS },
    TypeSpec { name: LeaseSettled::NAME, fields: LeaseSettled::FIELDS },
    TypeSpec { name: DeviceFaulted::NAME, fields: DeviceFaulted::FIELDS },
    TypeSpec { name: PayoutClaimed::NAME, fields: PayoutClaimed::FIELDS },
    TypeSpec { name: DeviceReleased::NAME, fields: DeviceReleased::FIELDS },
    TypeSpec { name: LeaseClosed::NAME, fields: LeaseClosed::FIELDS },
    TypeSpec { name: FeesBurned::NAME, fields: FeesBurned::FIELDS },
];
