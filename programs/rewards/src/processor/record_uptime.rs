//! `record_uptime`: a registered attester submits up to four device-signed uptime attestations (idle or
//! leased hours, in pool hours), verified by the Ed25519 instruction right before. Hours are recorded
//! once, only after they ended and within the grace; consecutive hours build a streak, and a device
//! whose streak reaches 5 with a non-zero weight is nominated from the next hour (the hour in progress
//! is shared by the weights it started with). The pool must be cranked up to the current hour.

use hourglass_core::ed25519::{BatchError, MessageLayout, SignatureBatch};
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodBool, PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::state::Config as StakingConfig;

use super::now;
use crate::interface::error::RewardsError;
use crate::interface::events::{DeviceNominated, UptimeRecorded};
use crate::interface::instruction::{MAX_UPTIME_ATTESTATIONS, MESSAGES_OFFSET, MESSAGE_LEN};
use crate::interface::state::{DeviceReward, Pool, NOMINATION_HOURS};
use crate::ID;

const INSTRUCTIONS_SYSVAR: hourglass_core::Address = hourglass_core::Address::from_str_const("Sysvar1nstructions1111111111111111111111111");

pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [attester, staking_config, pool, instructions, records @ ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(attester)?;
    {
        let config = loaders::load::<StakingConfig>(staking_config, &hourglass_staking_interface::ID)?;
        if !config.is_attester(attester.address()) {
            return Err(RewardsError::NotAttester.into());
        }
    }
    if instructions.address() != &INSTRUCTIONS_SYSVAR {
        return Err(CoreError::WrongProgram.into());
    }
    let Some((len, messages)) = data.split_first_chunk::<4>() else {
        return Err(RewardsError::BadAttestationData.into());
    };
    let len = u32::from_le_bytes(*len) as usize;
    let n = len / MESSAGE_LEN;
    if len != messages.len() || len == 0 || len % MESSAGE_LEN != 0 || n > MAX_UPTIME_ATTESTATIONS || records.len() < n {
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
    // A nomination counts from the next hour: its checkpoint is the accumulator after this one.
    let acc = p.acc_after_current_hour().ok_or(CoreError::Overflow)?;
    for (j, record) in records.iter_mut().take(n).enumerate() {
        let m = &messages[j * MESSAGE_LEN..(j + 1) * MESSAGE_LEN];
        let mut r = loaders::load_mut::<DeviceReward>(record, &ID)?;
        if batch.signer(j) != r.device.as_ref() {
            return Err(RewardsError::WrongDeviceKey.into());
        }
        if m[0..8] != ID.as_ref()[..8] {
            return Err(RewardsError::WrongProgram.into());
        }
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

        if !r.nominated.get() && streak >= NOMINATION_HOURS && r.nominal_weight.get() > 0 {
            r.debt_hi.set(acc.hi);
            r.debt_lo.set(acc.lo);
            r.weight = r.nominal_weight;
            r.nominated = PodBool::new(true);
            p.pending_add = PodU64::new(p.pending_add.get().checked_add(r.weight.get()).ok_or(CoreError::Overflow)?);
            p.nominated_devices = PodU32::new(p.nominated_devices.get() + 1);
            let total = p.total_weight.get().checked_add(p.pending_add.get()).and_then(|t| t.checked_sub(p.pending_sub.get())).ok_or(CoreError::Overflow)?;
            DeviceNominated { device: r.device, weight: r.weight, from_hour: PodU32::new(p.next_hour.get() + 1), total_weight: PodU64::new(total) }.emit();
        }
    }
    Ok(())
}
