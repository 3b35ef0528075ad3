//! `record_uptime`: a registered attester submits up to four device-signed uptime attestations (idle or
//! leased hours, in pool hours), verified by the Ed25519 instruction right before. Hours are recorded
//! once, only after they ended and within the grace; consecutive hours build a streak. The staking
//! Device is read with each: a device whose streak reaches 5 is nominated from the next hour (the hour
//! in progress is shared by the weights it started with) only while it is eligible (stake + co-stake
//! at least its minimum, not paused, registered); a nominated device no longer eligible leaves from the
//! next hour. A nominated device whose current lease shows proven hours it had not shown at its last
//! record weighs nominal x the pool's work factor from the next hour, otherwise nominal. The supplier's
//! recorded stake follows the Device. The pool must be cranked up to the current hour.

use hourglass_core::ed25519::{BatchError, MessageLayout, SignatureBatch};
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::math::mul_div_floor;
use hourglass_core::pod::{PodBool, PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::state::Config as StakingConfig;

use super::{eligible, live_device, now, saw_work, supplier_stake};
use crate::interface::error::RewardsError;
use crate::interface::events::{DeviceDenominated, DeviceNominated, DeviceWeightChanged, UptimeRecorded};
use crate::interface::instruction::{MAX_UPTIME_ATTESTATIONS, MESSAGES_OFFSET, MESSAGE_LEN, UPTIME_ACCOUNTS_PER_ATTESTATION};
use crate::interface::state::{DeviceReward, Pool, NOMINATION_HOURS};
use crate::ID;

const INSTRUCTIONS_SYSVAR: hourglass_core::Address = hourglass_core::Address::from_str_const("Sysvar1nstructions1111111111111111111111111");

pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [attester, staking_config, pool, instructions, records @ ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(attester)?;
    let mint_decimals = {
        let config = loaders::load::<StakingConfig>(staking_config, &hourglass_staking_interface::ID)?;
        if !config.is_attester(attester.address()) {
            return Err(RewardsError::NotAttester.into());
        }
        config.mint_decimals
    };
    if instructions.address() != &INSTRUCTIONS_SYSVAR {
        return Err(CoreError::WrongProgram.into());
    }
    let Some((len, messages)) = data.split_first_chunk::<4>() else {
        return Err(RewardsError::BadAttestationData.into());
    };
    let len = u32::from_le_bytes(*len) as usize;
    let n = len / MESSAGE_LEN;
    if len != messages.len() || len == 0 || len % MESSAGE_LEN != 0 || n > MAX_UPTIME_ATTESTATIONS || records.len() < n * UPTIME_ACCOUNTS_PER_ATTESTATION {
        return Err(RewardsError::BadAttestationData.into());
    }
    let sysvar = instructions.try_borrow()?;
    let layout = MessageLayout { count: n, first_offset: MESSAGES_OFFSET, stride: MESSAGE_LEN, len: MESSAGE_LEN };
    let batch = SignatureBatch::preceding(&sysvar, &layout).map_err(|e| match e {
        BatchError::Missing => RewardsError::MissingEd25519,
        BatchError::Mismatch => RewardsError::Ed25519Mismatch,
    })?;

    let now = now()?;
    let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
    let clock = p.clock_hour(now);
    if p.next_hour.get() < clock {
        return Err(RewardsError::PoolBehind.into());
    }
    let next_hour = p.next_hour.get();
    // A change counts from the next hour: its checkpoint is the accumulator after this one.
    let at = p.hour_point().ok_or(CoreError::Overflow)?;
    let acc = at.acc_after;
    let work_factor = p.work_factor_bps.get() as u64;
    for (j, triple) in records.chunks_exact_mut(UPTIME_ACCOUNTS_PER_ATTESTATION).take(n).enumerate() {
        let [record, device, lease] = triple else {
            return Err(CoreError::NotEnoughAccounts.into());
        };
        let m = &messages[j * MESSAGE_LEN..(j + 1) * MESSAGE_LEN];
        let mut r = loaders::load_mut::<DeviceReward>(record, &ID)?;
        if batch.signer(j) != r.device.as_ref() {
            return Err(RewardsError::WrongDeviceKey.into());
        }
        if m[0..8] != ID.as_ref()[..8] {
            return Err(RewardsError::WrongProgram.into());
        }
        let live = live_device(device, &r.device)?;
        let first = u32::from_le_bytes([m[40], m[41], m[42], m[43]]);
        let count = u16::from_le_bytes([m[44], m[45]]) as u32;
        let end = first.checked_add(count).ok_or(CoreError::Overflow)?;
        if count == 0 {
            return Err(RewardsError::BadAttestationData.into());
        }
        if first < r.next_hour.get() {
            return Err(RewardsError::UptimeReplayed.into());
        }
        if end > clock || end.saturating_add(p.grace_hours.get()) < clock {
            return Err(RewardsError::FutureHour.into());
        }
        let streak = if first == r.next_hour.get() { r.streak.get().saturating_add(count) } else { count };
        r.streak = PodU32::new(streak);
        r.next_hour = PodU32::new(end);
        UptimeRecorded { device: r.device, first_hour: PodU32::new(first), hour_count: PodU32::new(count), streak: PodU32::new(streak) }.emit();

        // The supplier's recorded stake follows the Device (settled first, so it moves the split only
        // of what is earned from now on).
        r.settle(at.acc, next_hour).ok_or(CoreError::Overflow)?;
        r.checkpoint_supplier(supplier_stake(live.as_ref())).ok_or(CoreError::Overflow)?;
        let working = saw_work(live.as_ref(), lease, &mut r)?;
        let eligible = eligible(live.as_ref(), mint_decimals, &r.owner)?;
        let nominal = r.nominal_weight.get();
        let target = if eligible && nominal > 0 && (r.nominated.get() || streak >= NOMINATION_HOURS) {
            if working {
                mul_div_floor(nominal, work_factor, 10_000).ok_or(CoreError::Overflow)?
            } else {
                nominal
            }
        } else {
            0
        };
        let from_hour = PodU32::new(next_hour.saturating_add(1));
        if !r.nominated.get() {
            if target == 0 {
                continue;
            }
            r.debt_hi.set(acc.hi);
            r.debt_lo.set(acc.lo);
            r.weight = PodU64::new(target);
            r.working = PodBool::new(working);
            r.nominated = PodBool::new(true);
            p.pending_add = PodU64::new(p.pending_add.get().checked_add(target).ok_or(CoreError::Overflow)?);
            p.nominated_devices = PodU32::new(p.nominated_devices.get() + 1);
            let total = p.weight_after_current_hour().ok_or(CoreError::Overflow)?;
            DeviceNominated { device: r.device, weight: r.weight, from_hour, total_weight: PodU64::new(total) }.emit();
            continue;
        }
        let weight = r.weight.get();
        if target == weight {
            r.working = PodBool::new(working);
            continue;
        }
        // The device keeps its share of the hour in progress at its old weight.
        r.settle_through_hour(&at).ok_or(CoreError::Overflow)?;
        if target > weight {
            p.pending_add = PodU64::new(p.pending_add.get().checked_add(target - weight).ok_or(CoreError::Overflow)?);
        } else {
            p.pending_sub = PodU64::new(p.pending_sub.get().checked_add(weight - target).ok_or(CoreError::Overflow)?);
        }
        r.weight = PodU64::new(target);
        r.working = PodBool::new(working && target != 0);
        let total = p.weight_after_current_hour().ok_or(CoreError::Overflow)?;
        if target == 0 {
            p.nominated_devices = PodU32::new(p.nominated_devices.get().saturating_sub(1));
            r.nominated = PodBool::new(false);
            r.streak = PodU32::new(0);
            DeviceDenominated { device: r.device, weight: PodU64::new(weight), from_hour, total_weight: PodU64::new(total) }.emit();
        } else {
            DeviceWeightChanged { device: r.device, weight: r.weight, working: r.working, from_hour, total_weight: PodU64::new(total) }.emit();
        }
    }
    Ok(())
}
