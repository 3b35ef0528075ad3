//! The thin dispatcher and shared helpers.

mod claim;
mod claim_co_stake;
mod crank;
mod denominate;
mod initialize_pool;
mod record_uptime;
mod register_reward;
mod set_paused;
mod sync_co_stake;

use hourglass_core::discriminator::no_args;
use hourglass_core::error::CoreError;
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, Address, ProgramError, ProgramResult};
use hourglass_staking_interface::state::Device;

use crate::interface::instruction::{args, RewardsInstruction as I};

#[inline(always)]
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if program_id != &crate::ID {
        return Err(CoreError::WrongProgram.into());
    }
    let (ix, data) = I::unpack(data)?;
    match ix {
        I::InitializePool => initialize_pool::process(accounts, args(data)?),
        I::Crank => crank::process(accounts, args(data)?),
        I::SetPaused => set_paused::process(accounts, args(data)?),
        I::RegisterReward => no_args(data).and_then(|_| register_reward::process(accounts)),
        I::RecordUptime => record_uptime::process(accounts, data),
        I::Denominate => no_args(data).and_then(|_| denominate::process(accounts)),
        I::Claim => no_args(data).and_then(|_| claim::process(accounts)),
        I::SyncCoStake => no_args(data).and_then(|_| sync_co_stake::process(accounts)),
        I::ClaimCoStake => no_args(data).and_then(|_| claim_co_stake::process(accounts)),
    }
}

#[inline(always)]
fn now() -> Result<i64, ProgramError> {
    Ok(hourglass_core::syscalls::clock()?.unix_timestamp)
}

/// Signs as the pool PDA.
#[inline(always)]
fn with_pool_signer<R>(bump: u8, f: impl FnOnce(&Signer) -> R) -> R {
    let bump = [bump];
    let seeds = [Seed::from(crate::interface::seeds::POOL), Seed::from(&bump)];
    f(&Signer::from(&seeds))
}

/// The circuit breaker: counts `amount` against the current window's outflow, or refuses it (logging a
/// BreakerTripped event for `device`). Also records it as claimed.
fn take_from_pool(p: &mut crate::interface::state::Pool, now: i64, device: Address, amount: u64) -> ProgramResult {
    use crate::interface::error::RewardsError;
    use crate::interface::events::BreakerTripped;
    use hourglass_core::event::Event;
    use hourglass_core::pod::{PodU32, PodU64};
    let clock = p.clock_hour(now);
    if clock >= p.window_start_hour.get().saturating_add(p.breaker_window_hours.get()) {
        p.window_start_hour = PodU32::new(clock);
        p.window_outflow = PodU64::new(0);
    }
    let outflow = p.window_outflow.get().checked_add(amount).ok_or(CoreError::Overflow)?;
    if outflow > p.breaker_cap.get() {
        BreakerTripped { device, requested: PodU64::new(amount), window_outflow: p.window_outflow, breaker_cap: p.breaker_cap }.emit();
        return Err(RewardsError::BreakerTripped.into());
    }
    p.window_outflow = PodU64::new(outflow);
    p.total_claimed = PodU64::new(p.total_claimed.get().checked_add(amount).ok_or(CoreError::Overflow)?);
    Ok(())
}

/// The staking Device at `account`, which must be the device `expected`; `None` once it is
/// deregistered (closed: no data, or no longer the staking program's).
pub(crate) fn live_device(account: &AccountView, expected: &Address) -> Result<Option<Device>, ProgramError> {
    if account.address() != expected {
        return Err(crate::interface::error::RewardsError::WrongDevice.into());
    }
    if account.is_data_empty() || !account.owned_by(&hourglass_staking_interface::ID) {
        return Ok(None);
    }
    Ok(Some(*hourglass_core::loaders::load::<Device>(account, &hourglass_staking_interface::ID)?))
}

/// Eligible for block rewards: registered (`device` is `Some`), supplier + co-stake at least its
/// minimum, not paused, and still the supplier's who registered the reward record (`owner`; a device
/// key registered again under another wallet does not pay the old record's owner).
pub(crate) fn eligible(device: Option<&Device>, mint_decimals: u8, owner: &Address) -> Result<bool, ProgramError> {
    use hourglass_staking_interface::state::device_status;
    let Some(d) = device else { return Ok(false) };
    let minimum = d.minimum_stake(mint_decimals).ok_or(CoreError::Overflow)?;
    let total = d.total_stake().ok_or(CoreError::Overflow)?;
    Ok(d.status != device_status::PAUSED && total >= minimum && &d.owner == owner)
}

/// The supplier's live stake on `device` (none once it is deregistered).
pub(crate) fn supplier_stake(device: Option<&Device>) -> u64 {
    device.map_or(0, |d| d.stake.get())
}

/// The lease program's `Lease` account discriminator (computed at compile time).
const LEASE_DISCRIMINATOR: [u8; 8] = hourglass_core::discriminator::account("Lease");

/// Whether the device served proven lease hours since its last record: its current lease (which
/// `lease` must be; the system program when it has none) shows more proven hours in its slot than
/// `record` saw last time. Records what it saw.
pub(crate) fn saw_work(device: Option<&Device>, lease: &AccountView, record: &mut crate::interface::state::DeviceReward) -> Result<bool, ProgramError> {
    use crate::interface::error::RewardsError;
    use crate::interface::state::{LEASE_DEVICE_COUNT_OFFSET, LEASE_HEADER_LEN, LEASE_MAX_DEVICES_OFFSET, LEASE_SLOT_LEN, LEASE_SLOT_PROVEN_OFFSET};
    use hourglass_core::pod::{PodU32, PodU64};
    let current = match device {
        Some(d) if d.current_lease != Address::default() => d.current_lease,
        _ => {
            if lease.address() != &pinocchio_system::ID {
                return Err(RewardsError::WrongLease.into());
            }
            return Ok(false);
        }
    };
    if lease.address() != &current {
        return Err(RewardsError::WrongLease.into());
    }
    hourglass_core::loaders::owned_by(lease, &crate::interface::LEASES_ID)?;
    let data = lease.try_borrow()?;
    if data.len() < LEASE_HEADER_LEN || data[..8] != LEASE_DISCRIMINATOR {
        return Err(CoreError::WrongDiscriminator.into());
    }
    let max_devices = u16::from_le_bytes([data[LEASE_MAX_DEVICES_OFFSET], data[LEASE_MAX_DEVICES_OFFSET + 1]]) as usize;
    let count = core::cmp::min(u16::from_le_bytes([data[LEASE_DEVICE_COUNT_OFFSET], data[LEASE_DEVICE_COUNT_OFFSET + 1]]) as usize, max_devices);
    if data.len() < LEASE_HEADER_LEN + max_devices * LEASE_SLOT_LEN {
        return Err(CoreError::WrongLength.into());
    }
    let key = record.device.as_ref();
    let mut proven = None;
    for i in 0..count {
        let slot = &data[LEASE_HEADER_LEN + i * LEASE_SLOT_LEN..LEASE_HEADER_LEN + (i + 1) * LEASE_SLOT_LEN];
        if slot[..32] == key[..] {
            let o = LEASE_SLOT_PROVEN_OFFSET;
            proven = Some(u32::from_le_bytes([slot[o], slot[o + 1], slot[o + 2], slot[o + 3]]));
            break;
        }
    }
    // The staking program marks a device leased only when the lease assigns it a slot.
    let Some(proven) = proven else { return Ok(false) };
    let mut tag = [0u8; 8];
    tag.copy_from_slice(&current.as_ref()[..8]);
    let tag = u64::from_le_bytes(tag);
    let before = if record.work_lease.get() == tag { record.work_proven.get() } else { 0 };
    record.work_lease = PodU64::new(tag);
    record.work_proven = PodU32::new(proven);
    Ok(proven > before)
}
