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
