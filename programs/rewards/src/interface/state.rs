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
        /// Emitted while no device was nominated (stays in the vault).
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
        pub reserved: [u8; 48],
    }
}

pod_struct! {
    /// A device's nomination state and reward checkpoint. PDA `["device_reward", device]`.
    pub struct DeviceReward {
        /// The staking Device (= device key).
        pub device: Address,
        /// The supplier who claims.
        pub owner: Address,
        /// Weight while nominated: tier multiplier x GPUs x bandwidth factor.
        pub nominal_weight: PodU64,
        /// The weight the pool counts now (0 when not nominated).
        pub weight: PodU64,
        /// Consecutive proven hours up to `next_hour`.
        pub streak: PodU32,
        /// The pool hour after the last proven one.
        pub next_hour: PodU32,
        /// The pool accumulator when the device's earnings were last settled, Q64.64.
        pub debt_hi: PodU64,
        pub debt_lo: PodU64,
        /// The device's earnings per unit of stake, Q64.64: shared pro rata among its stakers.
        pub acc_stake_hi: PodU64,
        pub acc_stake_lo: PodU64,
        /// Stake the per-stake accumulator divides by: the recorded stakes of the supplier and of every
        /// co-staker who synced.
        pub basis: PodU64,
        /// The supplier's stake as recorded at its last checkpoint.
        pub supplier_snapshot: PodU64,
        /// The per-stake accumulator at the supplier's last checkpoint.
        pub supplier_debt_hi: PodU64,
        pub supplier_debt_lo: PodU64,
        /// Earned while no stake was recorded (stays in the vault).
        pub unassigned: PodU64,
        /// The supplier's settled, unclaimed rewards.
        pub accrued: PodU64,
        pub claimed: PodU64,
        pub nominated: PodBool,
        pub bump: u8,
        pub reserved: [u8; 30],
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
    /// What the hour in progress (`next_hour`) will add to the accumulator when emitted: the weights
    /// counted in it are fixed (changes made during it are pending), so this is known now.
    pub fn next_increment(&self) -> Option<U128> {
        let weight = self.total_weight.get();
        if weight == 0 {
            return Some(U128::ZERO);
        }
        let amount = crate::interface::schedule::hour_amount(self.next_hour.get(), self.rate(), self.total_emitted.get(), self.cap.get());
        Some(U128::new(amount, 0).div_rem_u64(weight)?.0)
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

impl DeviceReward {
    pub fn acc_stake(&self) -> U128 {
        U128::new(self.acc_stake_hi.get(), self.acc_stake_lo.get())
    }

    /// Moves what the device earned since its pool checkpoint into its per-stake accumulator.
    pub fn settle(&mut self, pool_acc: U128) -> Option<()> {
        let weight = self.weight.get();
        let earned = earn(pool_acc, (&mut self.debt_hi, &mut self.debt_lo), weight)?;
        if earned == 0 {
            return Some(());
        }
        let basis = self.basis.get();
        if basis == 0 {
            self.unassigned.set(self.unassigned.get().checked_add(earned)?);
        } else {
            let (per_stake, _) = U128::new(earned, 0).div_rem_u64(basis)?;
            let acc = self.acc_stake().checked_add(per_stake)?;
            self.acc_stake_hi.set(acc.hi);
            self.acc_stake_lo.set(acc.lo);
        }
        Some(())
    }

    /// Settles the supplier's share (credited on the smaller of its recorded and current stake, so
    /// stake withdrawn since is never paid on) and records `live` as its stake from now on.
    pub fn checkpoint_supplier(&mut self, live: u64) -> Option<()> {
        let acc = self.acc_stake();
        let credit = core::cmp::min(self.supplier_snapshot.get(), live);
        let earned = earn(acc, (&mut self.supplier_debt_hi, &mut self.supplier_debt_lo), credit)?;
        self.accrued.set(self.accrued.get().checked_add(earned)?);
        self.basis.set(self.basis.get().checked_sub(self.supplier_snapshot.get())?.checked_add(live)?);
        self.supplier_snapshot.set(live);
        Some(())
    }
}

impl CoStakeReward {
    /// Settles a co-staker's share against the device's per-stake accumulator (credited on the smaller
    /// of its recorded and current co-stake) and records `live`, keeping the device's basis the sum of
    /// recorded stakes.
    pub fn checkpoint(&mut self, device: &mut DeviceReward, live: u64) -> Option<()> {
        let acc = device.acc_stake();
        let credit = core::cmp::min(self.snapshot.get(), live);
        let earned = earn(acc, (&mut self.debt_hi, &mut self.debt_lo), credit)?;
        self.accrued.set(self.accrued.get().checked_add(earned)?);
        device.basis.set(device.basis.get().checked_sub(self.snapshot.get())?.checked_add(live)?);
        self.snapshot.set(live);
        Some(())
    }
}

pub const TYPES: &[TypeSpec] = &[
    TypeSpec { name: Pool::NAME, fields: Pool::FIELDS },
    TypeSpec { name: DeviceReward::NAME, fields: DeviceReward::FIELDS },
    TypeSpec { name: CoStakeReward::NAME, fields: CoStakeReward::FIELDS },
];
