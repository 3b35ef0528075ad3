//! Account layouts (discriminator + alignment-1 `#[repr(C)]` structs equal to their Borsh encoding).

use hourglass_core::idl::TypeSpec;
use hourglass_core::loaders::AccountType;
use hourglass_core::pod::{Layout, PodBool, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{pod_struct, Address};

pub const BPS: u64 = 10_000;
/// Most devices one lease can hold. The renter's transaction creates the Lease with a top-level system
/// `create_account` (up to 10 MiB), so the bound is the work per instruction, not the allocation: 2,048
/// 8-GPU machines is a 16,384-GPU cluster, and scanning the table stays a few tens of thousands of CU.
pub const MAX_SLOTS: u16 = 2_048;

pod_struct! {
    /// Market settings. PDA `["market"]`.
    pub struct Market {
        pub authority: Address,
        /// The network token.
        pub network_mint: Address,
        /// The stable mint (renters pay the surcharge).
        pub stable_mint: Address,
        /// The network fee vault, PDA `["network_treasury"]`, created by `initialize_market` as a token
        /// account of the network mint whose token authority is this Market: network-token fees collect
        /// here and anyone may burn them (`burn_fees`).
        pub network_treasury: Address,
        /// The stable mint's fee account, named by the market authority: stable fees are not burned
        /// (they fund buy-backs of the network token off-chain).
        pub stable_treasury: Address,
        /// Seconds after an hour ends during which it may still be proven.
        pub grace_period: PodI64,
        /// Seconds in a lease hour (3,600 in production; tests use short hours).
        pub hour_length: PodI64,
        /// Reservation fee paid by the renter on top of the booked cost (bps).
        pub renter_fee_bps: PodU16,
        /// Reservation fee taken from supplier payouts (bps).
        pub supplier_fee_bps: PodU16,
        /// Extra renter fee when paying in the stable mint (bps).
        pub stable_surcharge_bps: PodU16,
        /// Share of a faulted device's stake slashed (bps; the staking program bounds it too).
        pub fault_slash_bps: PodU16,
        pub bump: u8,
        pub authority_bump: u8,
        /// Canonical bump of the network fee vault PDA.
        pub treasury_bump: u8,
        pub reserved0: [u8; 5],
        /// The lease authority PDA `["lease_authority"]`, recorded so it is compared, not re-derived.
        pub lease_authority: Address,
        /// Network-token fees burned by `burn_fees` since the market started.
        pub total_burned: PodU64,
        pub reserved: [u8; 24],
    }
}

/// `Lease::status` values.
pub mod lease_status {
    pub const ACTIVE: u8 = 0;
    /// Booked hours used up; the job is stopped until the renter extends or the lease completes.
    pub const PAUSED: u8 = 1;
    /// Ended early by the renter; elapsed hours can still be proven within the grace period.
    pub const TERMINATED: u8 = 2;
    /// Refunded; only claims, releases and closing remain.
    pub const SETTLED: u8 = 3;
}

/// `Slot::status` values.
pub mod slot_status {
    pub const ACTIVE: u8 = 1;
    pub const FAULTED: u8 = 2;
}

pod_struct! {
    /// A lease (a keypair account created by `create_lease`), followed by `max_devices` [`Slot`]s.
    /// The market terms in force at booking (hour length, grace, fees, treasury) are copied in, so a
    /// running lease never changes terms and everyday instructions need no Market account.
    pub struct Lease {
        pub renter: Address,
        pub payment_mint: Address,
        /// Token account holding the booked cost; token authority = the lease authority PDA.
        pub escrow: Address,
        /// The market treasury for `payment_mint`.
        pub treasury: Address,
        pub gpu_model: PodU16,
        pub max_devices: PodU16,
        pub device_count: PodU16,
        pub released_count: PodU16,
        /// GPUs booked.
        pub gpu_count: PodU32,
        /// GPUs on assigned devices.
        pub assigned_gpus: PodU32,
        pub hours_booked: PodU32,
        /// Renter fee including the stable-mint surcharge when it applies.
        pub renter_fee_bps: PodU16,
        pub supplier_fee_bps: PodU16,
        pub fault_slash_bps: PodU16,
        /// See [`lease_status`].
        pub status: u8,
        pub stable: PodBool,
        pub authority_bump: u8,
        pub reserved0: [u8; 1],
        pub price_per_gpu_hour: PodU64,
        pub hour_length: PodI64,
        pub grace_period: PodI64,
        /// Lease hour h starts at `origin + h * hour_length` (shifted forward when a pause ends).
        pub origin: PodI64,
        /// When the lease paused (0 when not paused): its hour clock stands still from then.
        pub paused_at: PodI64,
        pub created_at: PodI64,
        /// Booked cost deposited in escrow (price x GPUs x hours), fees excluded.
        pub principal: PodU64,
        /// Cost of all proven device-hours (owed to suppliers).
        pub earned_total: PodU64,
        /// Paid out of `earned_total` (to suppliers and, as supplier fees, to the treasury).
        pub claimed_total: PodU64,
        /// Returned to the renter.
        pub refunded: PodU64,
        /// Reservation fees the renter paid.
        pub renter_fees: PodU64,
        /// The lease authority PDA (copied from the Market).
        pub lease_authority: Address,
    }
}

impl Lease {
    /// Seconds since `origin` as seen by the hour clock (frozen while paused), as whole lease hours.
    pub fn current_hour(&self, now: i64) -> u64 {
        let clock = if self.status == lease_status::PAUSED { self.paused_at.get() } else { now };
        let elapsed = clock.saturating_sub(self.origin.get());
        if elapsed <= 0 {
            0
        } else {
            elapsed as u64 / self.hour_length.get() as u64
        }
    }

    /// When hour `h` starts.
    pub fn hour_start(&self, h: u64) -> Option<i64> {
        let offset = hourglass_core::math::checked_mul(h, self.hour_length.get() as u64)?;
        self.origin.get().checked_add(i64::try_from(offset).ok()?)
    }

    /// When the booked hours end (the pause time while paused).
    pub fn end_time(&self) -> Option<i64> {
        if self.status == lease_status::PAUSED {
            Some(self.paused_at.get())
        } else {
            self.hour_start(self.hours_booked.get() as u64)
        }
    }

    /// Cost of `hours` hours of `gpus` GPUs at this lease's price.
    pub fn cost(&self, gpus: u64, hours: u64) -> Option<u64> {
        let per_hour = hourglass_core::math::checked_mul(self.price_per_gpu_hour.get(), gpus)?;
        hourglass_core::math::checked_mul(per_hour, hours)
    }
}

pod_struct! {
    /// One device of a lease.
    pub struct Slot {
        /// The staking Device (= device key).
        pub device: Address,
        /// The supplier wallet payouts go to.
        pub owner: Address,
        pub gpus: PodU16,
        /// See [`slot_status`].
        pub status: u8,
        /// Returned to active in the staking program.
        pub released: PodBool,
        /// The first hour this device may still prove (earlier hours are proven or forfeited).
        pub next_hour: PodU32,
        pub proven_hours: PodU32,
        pub claimed_hours: PodU32,
    }
}

impl AccountType for Market {}
impl AccountType for Lease {}

/// Data length of a lease with room for `max_devices` slots.
pub const fn lease_len(max_devices: u16) -> usize {
    Lease::LEN + max_devices as usize * core::mem::size_of::<Slot>()
}

/// Every account type, for the IDL (`Slot` entries follow the Lease header).
pub const TYPES: &[TypeSpec] = &[TypeSpec { name: Market::NAME, fields: Market::FIELDS }, TypeSpec { name: Lease::NAME, fields: Lease::FIELDS }];

/// The slot entry layout, for clients decoding the table after the Lease header.
pub const SLOT_TYPE: TypeSpec = TypeSpec { name: Slot::NAME, fields: Slot::FIELDS };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        assert_eq!(core::mem::size_of::<Slot>(), 80);
        assert_eq!(Lease::LEN, 8 + 4 * 32 + 8 + 12 + 6 + 4 + 6 * 8 + 5 * 8 + 32);
        assert!(lease_len(MAX_SLOTS) <= 10 * 1024 * 1024);
        assert_eq!(Market::LEN, 8 + 5 * 32 + 2 * 8 + 4 * 2 + 3 + 5 + 32 + 8 + 24);
        // Unchanged since the fee vault's fields came out of the reserved bytes.
        assert_eq!(Market::LEN, 8 + 5 * 32 + 2 * 8 + 4 * 2 + 2 + 6 + 32 + 32);
    }
}
