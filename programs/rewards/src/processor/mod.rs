//! The thin dispatcher and shared helpers.

mod claim;
mod crank;
mod denominate;
mod initialize_pool;
mod record_uptime;
mod register_reward;
mod set_paused;

use hourglass_core::error::CoreError;
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, Address, ProgramError, ProgramResult};

use crate::interface::instruction::{args, NoArgs, RewardsInstruction as I};

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
    }
}

#[inline(always)]
fn no_args(data: &[u8]) -> ProgramResult {
    args::<NoArgs>(data).map(|_| ())
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
