//! Account layouts.

use hourglass_core::idl::TypeSpec;
use hourglass_core::loaders::AccountType;
use hourglass_core::math::U128;
use hourglass_core::pod::{Layout, PodBool, PodI64, PodU32, PodU64};
use hourglass_core::{pod_struct, Address};

/// Bandwidth factor per connectivity tier, in basis points (tier 0 is not eligible).
pub const BANDWIDTH_FACTOR_BPS: [u64; 6] = [0, 10_000, 11_000, 12_000, 13_000, 15_000];
/// Consecutive proven hours before a device is nominated for block rewards.
pub const NOMINATION_HOURS: u32 = 5;
/// Weight of a working hour over an idle one, in basis points, when `initialize_pool` is given 0:
/// a device seen serving proven lease hours weighs 2x (io.net's Ignition weights reward hired devices).
pub const DEFAULT_WORK_FACTOR_BPS: u32 = 20_000;
/// Bounds on `Pool::work_factor_bps`: 1x (work counts no more than idle uptime) to 5x.
pub const MIN_WORK_FACTOR_BPS: u32 = 10_000;
pub const MAX_WORK_FACTOR_BPS: u32 = 50_000;
/// Offsets in a lease program `Lease` account (checked against the lease crate in a host test): the
/// header is 286 bytes, then `max_devices` slots of 80 bytes; in a slot the device is bytes 0..32 and
/// `proven_hours` (u32) bytes 72..76.
pub const LEASE_HEADER_LEN: usize = 286;
pub const LEASE_MAX_DEVICES_OFFSET: usize = 8 + 4 * 32 + 2;
pub const LEASE_DEVICE_COUNT_OFFSET: usize = 8 + 4 * 32 + 4;
pub const LEASE_SLOT_LEN: usize = 80;
pub const LEASE_SLOT_PROVEN_OFFSET: usize = 72;

pod_struct! {
    /// The emission pool. PDA `["pool"]`.
    pub struct Pool {
        pub authority: Address,
        pub reward_mint: Address,
        pub reward_vault: Address,
        pub start_time: PodI64,
        pub hour_length: PodI64,
        /// When the pool was paused (0 = running); the hour clock stands still while paused.
        pub paused_at: PodI64,
        /// The first hour not yet emitted.
        pub next_hour: PodU32,
        /// Hours a nominated device may fall behind before anyone can denominate it.
        pub grace_hours: PodU32,
        /// Current hour's reward, Q64.64 base units.
        pub rate_hi: PodU64,
        pub rate_lo: PodU64,
        /// Rewards per unit of weight since the start, Q64.64 base units.
        pub acc_hi: PodU64,
        pub acc_lo: PodU64,
        /// Weight of nominated devices (applies to the hour being emitted next).
        pub total_weight: PodU64,
        pub nominated_devices: PodU32,
        pub breaker_window_hours: PodU32,
        pub total_emitted: PodU64,
        /// Emitted in hours with no nominated weight: carried whole into the next hour that has weight
        /// (added to what that hour shares out), so it always reaches nominated devices.
        pub unallocated: PodU64,
        pub total_claimed: PodU64,
        pub cap: PodU64,
        /// Most that may be claimed within one breaker window.
        pub breaker_cap: PodU64,
        pub window_start_hour: PodU32,
        pub decimals: u8,
        pub bump: u8,
        pub vault_bump: u8,
        pub reserved0: u8,
        pub window_outflow: PodU64,
        /// Weight nominated / denominated during the hour in progress: applied once it is emitted,
        /// so a change counts from the next hour.
        pub pending_add: PodU64,
        pub pending_sub: PodU64,
        /// A working hour's weight over an idle hour's, in basis points (see `DEFAULT_WORK_FACTOR_BPS`):
        /// a nominated device whose last uptime record saw new proven hours on its current lease weighs
        /// nominal x this / 10,000 from the next hour.
        pub work_factor_bps: PodU32,
        pub reserved: [u8; 44],
    }
}

pod_struct! {
    /// A device's nomination state and reward checkpoint. PDA `["device_reward", device]`.
    pub struct DeviceReward {
        /// The staking Device (= device key).
        pub device: Address,
        /// The supplier who claims.
        pub owner: Address,
        /// Weight while nominated and idle: tier multiplier x GPUs x bandwidth factor.
        pub nominal_weight: PodU64,
        /// The weight the pool counts now (0 when not nominated; nominal x work factor while working).
        pub weight: PodU64,
        /// Consecutive proven hours up to `next_hour`.
        pub streak: PodU32,
        /// The pool hour after the last proven one.
        pub next_hour: PodU32,
        /// The pool accumulator when the device's earnings were last settled, Q64.64.
        pub debt_hi: PodU64,
        pub debt_lo: PodU64,
        /// The device's earnings per unit of stake, Q64.64 (rounded down), that co-stakers are paid by.
        pub acc_stake_hi: PodU64,
        pub acc_stake_lo: PodU64,
        /// Stake the earnings are split by: the recorded stakes of the supplier and of every co-staker
        /// who synced.
        pub basis: PodU64,
        /// The supplier's stake as recorded at its last checkpoint.
        pub supplier_snapshot: PodU64,
        /// The per-stake accumulator at the supplier's last checkpoint.
        pub supplier_debt_hi: PodU64,
        pub supplier_debt_lo: PodU64,
        /// Set aside for the device's co-stakers (their share of each settlement, rounded up) and not
        /// yet credited to a position; once no co-stake is recorded, what is left goes to the supplier.
        pub co_owed: PodU64,
        /// The supplier's settled, unclaimed rewards: everything the device earned that is not the
        /// co-stakers' share (so rounding and earnings while no co-stake is recorded are the supplier's).
        pub accrued: PodU64,
        pub claimed: PodU64,
        pub nominated: PodBool,
        pub bump: u8,
        /// Earned in pool hour `ahead_hour`, the hour in progress when the device's weight last changed:
        /// split among its stakers once that hour is emitted (not claimable before it is minted).
        pub ahead: PodU64,
        pub ahead_hour: PodU32,
        /// First 8 bytes of the lease whose slot was last read, and that slot's proven hours then.
        pub work_lease: PodU64,
        pub work_proven: PodU32,
        /// Whether the last uptime record saw new proven lease hours (the weight is boosted).
        pub working: PodBool,
        pub reserved: [u8; 5],
    }
}

pod_struct! {
    /// A co-staker's share of a device's rewards. PDA `["co_reward", device, staker]`.
    pub struct CoStakeReward {
        pub device: Address,
        pub staker: Address,
        /// The staking program's CoStake this position follows.
        pub co_stake: Address,
        /// The co-stake as recorded at the last checkpoint.
        pub snapshot: PodU64,
        /// The device's per-stake accumulator at the last checkpoint.
        pub debt_hi: PodU64,
        pub debt_lo: PodU64,
        pub accrued: PodU64,
        pub claimed: PodU64,
        pub bump: u8,
        pub reserved: [u8; 31],
    }
}

impl AccountType for Pool {}
impl AccountType for DeviceReward {}
impl AccountType for CoStakeReward {}

impl Pool {
    pub fn rate(&self) -> U128 {
        U128::new(self.rate_hi.get(), self.rate_lo.get())
    }
    pub fn acc(&self) -> U128 {
        U128::new(self.acc_hi.get(), self.acc_lo.get())
    }
    /// What the hour in progress (`next_hour`) will add to the accumulator when emitted: its reward
    /// plus the carried `unallocated` (both fixed until it is emitted) over the weights counted in it
    /// (fixed too: changes made during it are pending), so this is known now.
    pub fn next_increment(&self) -> Option<U128> {
        let weight = self.total_weight.get();
        if weight == 0 {
            return Some(U128::ZERO);
        }
        let amount = crate::interface::schedule::hour_amount(self.next_hour.get(), self.rate(), self.total_emitted.get(), self.cap.get());
        let shared = amount.checked_add(self.unallocated.get())?;
        Some(U128::new(shared, 0).div_rem_u64(weight)?.0)
    }

    /// Total weight from the next hour on (pending changes applied).
    pub fn weight_after_current_hour(&self) -> Option<u64> {
        self.total_weight.get().checked_add(self.pending_add.get())?.checked_sub(self.pending_sub.get())
    }

    /// The accumulator as it will stand once the hour in progress is emitted.
    pub fn acc_after_current_hour(&self) -> Option<U128> {
        self.acc().checked_add(self.next_increment()?)
    }

    /// Whole hours since the start as the pool's clock sees it (frozen while paused).
    pub fn clock_hour(&self, now: i64) -> u32 {
        let t = if self.paused_at.get() != 0 { self.paused_at.get() } else { now };
        let elapsed = t.saturating_sub(self.start_time.get());
        if elapsed <= 0 {
            0
        } else {
            core::cmp::min(elapsed as u64 / self.hour_length.get() as u64, u32::MAX as u64) as u32
        }
    }
}

/// `weight * (acc - checkpoint) >> 64`, and the checkpoint moved to `acc`. A checkpoint ahead of `acc`
/// (a device nominated during the hour in progress, earning from the next one) earns nothing yet.
#[inline(always)]
fn earn(acc: U128, checkpoint: (&mut PodU64, &mut PodU64), weight: u64) -> Option<u64> {
    let from = U128::new(checkpoint.0.get(), checkpoint.1.get());
    if acc <= from {
        return Some(0);
    }
    let delta = acc.checked_sub(from)?;
    checkpoint.0.set(acc.hi);
    checkpoint.1.set(acc.lo);
    delta.mul_u64_shr64(weight)?.to_u64()
}

/// The pool's accumulator now and once the hour in progress is emitted, and that hour.
pub struct HourPoint {
    pub acc: U128,
    pub acc_after: U128,
    pub next_hour: u32,
}

impl Pool {
    pub fn hour_point(&self) -> Option<HourPoint> {
        Some(HourPoint { acc: self.acc(), acc_after: self.acc_after_current_hour()?, next_hour: self.next_hour.get() })
    }
}

impl DeviceReward {
    pub fn acc_stake(&self) -> U128 {
        U128::new(self.acc_stake_hi.get(), self.acc_stake_lo.get())
    }

    /// Recorded co-stake: the basis less the supplier's recorded stake.
    pub fn co_basis(&self) -> Option<u64> {
        self.basis.get().checked_sub(self.supplier_snapshot.get())
    }

    /// Splits `earned` between the co-stakers, whose share (co-stake / basis, rounded up) is set aside
    /// in `co_owed` and paid through the per-stake accumulator, and the supplier, who is credited the
    /// rest at once. No base unit is left unnamed.
    fn distribute(&mut self, earned: u64) -> Option<()> {
        if earned == 0 {
            return Some(());
        }
        let co_basis = self.co_basis()?;
        if co_basis == 0 {
            self.accrued.set(self.accrued.get().checked_add(earned)?);
            return Some(());
        }
        let (per_stake, _) = U128::new(earned, 0).div_rem_u64(self.basis.get())?;
        // per_stake x co_basis <= earned << 64, so the share is at most `earned`.
        let share = per_stake.checked_mul_u64(co_basis)?;
        let co_part = share.hi.checked_add((share.lo != 0) as u64)?;
        let acc = self.acc_stake().checked_add(per_stake)?;
        self.acc_stake_hi.set(acc.hi);
        self.acc_stake_lo.set(acc.lo);
        self.co_owed.set(self.co_owed.get().checked_add(co_part)?);
        self.accrued.set(self.accrued.get().checked_add(earned.checked_sub(co_part)?)?);
        Some(())
    }

    /// Moves what the device earned up to `pool_acc` into its stakers' shares. `next_hour` is the
    /// pool's first hour not emitted: earnings held back for an hour before it are released too, and
    /// with no co-stake recorded the rounding left in `co_owed` goes to the supplier.
    pub fn settle(&mut self, pool_acc: U128, next_hour: u32) -> Option<()> {
        if self.ahead.get() != 0 && next_hour > self.ahead_hour.get() {
            let ahead = self.ahead.get();
            self.ahead = PodU64::new(0);
            self.distribute(ahead)?;
        }
        if self.co_owed.get() != 0 && self.co_basis()? == 0 {
            self.accrued.set(self.accrued.get().checked_add(self.co_owed.get())?);
            self.co_owed = PodU64::new(0);
        }
        let weight = self.weight.get();
        let earned = earn(pool_acc, (&mut self.debt_hi, &mut self.debt_lo), weight)?;
        self.distribute(earned)
    }

    /// Before a weight change during the hour in progress (`at.next_hour`): settles up to `at.acc`,
    /// then holds the device's share of the hour in progress at its current weight (`at.acc_after`,
    /// the accumulator once that hour is emitted) until the hour is minted. The checkpoint is then
    /// `acc_after`, so the new weight counts from the next hour.
    pub fn settle_through_hour(&mut self, at: &HourPoint) -> Option<()> {
        self.settle(at.acc, at.next_hour)?;
        let weight = self.weight.get();
        let earned = earn(at.acc_after, (&mut self.debt_hi, &mut self.debt_lo), weight)?;
        if earned != 0 {
            self.ahead.set(self.ahead.get().checked_add(earned)?);
            self.ahead_hour.set(at.next_hour);
        }
        Some(())
    }

    /// Records `live` as the supplier's stake (the supplier is credited as earnings are settled, so
    /// this only moves the split for what is earned from now on).
    pub fn checkpoint_supplier(&mut self, live: u64) -> Option<()> {
        self.basis.set(self.basis.get().checked_sub(self.supplier_snapshot.get())?.checked_add(live)?);
        self.supplier_snapshot.set(live);
        Some(())
    }
}

impl CoStakeReward {
    /// Settles a co-staker's share against the device's per-stake accumulator and records `live`.
    /// Its recorded co-stake's share is taken from `co_owed`; it is credited on the smaller of its
    /// recorded and current co-stake (stake withdrawn or slashed since is never paid on), and the part
    /// it forfeits goes to the supplier.
    pub fn checkpoint(&mut self, device: &mut DeviceReward, live: u64) -> Option<()> {
        let acc = device.acc_stake();
        let from = U128::new(self.debt_hi.get(), self.debt_lo.get());
        let delta = acc.checked_sub(from)?;
        self.debt_hi.set(acc.hi);
        self.debt_lo.set(acc.lo);
        let snapshot = self.snapshot.get();
        let full = delta.mul_u64_shr64(snapshot)?.to_u64()?;
        let credit = delta.mul_u64_shr64(core::cmp::min(snapshot, live))?.to_u64()?;
        device.co_owed.set(device.co_owed.get().checked_sub(full)?);
        device.accrued.set(device.accrued.get().checked_add(full.checked_sub(credit)?)?);
        self.accrued.set(self.accrued.get().checked_add(credit)?);
        device.basis.set(device.basis.get().checked_sub(snapshot)?.checked_add(live)?);
        self.snapshot.set(live);
        Some(())
    }
}

pub const TYPES: &[TypeSpec] = &[
    TypeSpec { name: Pool::NAME, fields: Pool::FIELDS },
    TypeSpec { name: DeviceReward::NAME, fields: DeviceReward::FIELDS },
    TypeSpec { name: CoStakeReward::NAME, fields: CoStakeReward::FIELDS },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lease_offsets_match_the_lease_program() {
        use hourglass_leases::interface::state::{Lease, Slot};
        assert_eq!(Lease::LEN, LEASE_HEADER_LEN);
        assert_eq!(core::mem::size_of::<Slot>(), LEASE_SLOT_LEN);
        let mut lease = [0u8; LEASE_HEADER_LEN];
        lease[LEASE_MAX_DEVICES_OFFSET] = 7;
        lease[LEASE_DEVICE_COUNT_OFFSET] = 3;
        let l: &Lease = hourglass_core::pod::from_bytes(&lease[8..]).unwrap();
        assert_eq!((l.max_devices.get(), l.device_count.get()), (7, 3));
        let mut slot = [0u8; LEASE_SLOT_LEN];
        slot[LEASE_SLOT_PROVEN_OFFSET] = 9;
        let s: &Slot = hourglass_core::pod::from_bytes(&slot).unwrap();
        assert_eq!(s.proven_hours.get(), 9);
        assert_eq!(DeviceReward::LEN, 8 + 32 * 2 + 8 * 14 + 4 * 4 + 1 + 1 + 1 + 5 + 8);
        assert_eq!(Pool::LEN, 8 + 32 * 3 + 8 * 3 + 4 * 2 + 8 * 5 + 4 * 2 + 8 * 5 + 4 + 4 + 8 * 3 + 4 + 44);
    }

    /// Random settlements and co-staker checkpoints: what the device earned is always exactly the
    /// supplier's accrued + co_owed + what co-stakers were credited, and co_owed never runs short.
    #[test]
    fn every_unit_a_device_earns_is_named() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let mut r: DeviceReward = unsafe { core::mem::zeroed() };
            let mut positions: [CoStakeReward; 3] = unsafe { core::mem::zeroed() };
            r.supplier_snapshot = PodU64::new(next() % 1_000_000);
            r.basis = r.supplier_snapshot;
            let mut earned_total = 0u64;
            for _ in 0..200 {
                match next() % 4 {
                    0 | 1 => {
                        let e = next() % 10_000_000;
                        earned_total += e;
                        r.distribute(e).unwrap();
                    }
                    2 => {
                        let i = (next() % 3) as usize;
                        let live = if next() % 3 == 0 { 0 } else { next() % 600_000 };
                        positions[i].checkpoint(&mut r, live).unwrap();
                    }
                    _ => r.checkpoint_supplier(next() % 1_000_000).unwrap(),
                }
                let credited: u64 = positions.iter().map(|p| p.accrued.get()).sum();
                assert_eq!(r.accrued.get() + r.co_owed.get() + credited, earned_total);
            }
        }
    }
}
