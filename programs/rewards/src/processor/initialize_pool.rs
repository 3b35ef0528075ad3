//! `initialize_pool`: creates the pool and its reward vault; emissions start at the current time. The
//! reward mint's mint authority must already be the pool PDA, so only the schedule can mint.

use hourglass_core::cpi::{initialize_token_account, NewAccount};
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::pod::{PodI64, PodU32, PodU64};
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};

use super::now;
use crate::interface::error::RewardsError;
use crate::interface::events::PoolInitialized;
use crate::interface::instruction::InitializePoolArgs;
use crate::interface::schedule::{cap, first_rate};
use crate::interface::seeds;
use crate::interface::state::{Pool, DEFAULT_WORK_FACTOR_BPS, MAX_WORK_FACTOR_BPS, MIN_WORK_FACTOR_BPS};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &InitializePoolArgs) -> ProgramResult {
    let [authority, pool, reward_mint, reward_vault, token_program, system_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    loaders::writable(authority)?;
    loaders::writable(pool)?;
    loaders::writable(reward_vault)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    loaders::uninitialized(pool)?;
    loaders::uninitialized(reward_vault)?;
    let bump = loaders::canonical_pda(pool, &[seeds::POOL], &ID)?;
    let vault_bump = loaders::canonical_pda(reward_vault, &[seeds::REWARD_VAULT], &ID)?;
    let decimals = loaders::mint_decimals(reward_mint)?;
    {
        // COption<Pubkey> mint_authority: u32 tag (1 = some) then the key.
        let mint = reward_mint.try_borrow()?;
        if mint[0..4] != [1, 0, 0, 0] || &mint[4..36] != pool.address().as_ref() {
            return Err(RewardsError::InvalidPoolParams.into());
        }
    }
    let hour_length = args.hour_length.get();
    let work_factor = match args.work_factor_bps.get() {
        0 => DEFAULT_WORK_FACTOR_BPS,
        f => f,
    };
    let (rate, cap) = match (first_rate(decimals), cap(decimals)) {
        (Some(r), Some(c)) if (1..=86_400).contains(&hour_length) && (MIN_WORK_FACTOR_BPS..=MAX_WORK_FACTOR_BPS).contains(&work_factor) => (r, c),
        _ => return Err(RewardsError::InvalidPoolParams.into()),
    };
    let start = now()?;

    let bump_seed = [bump];
    let pool_seeds = [Seed::from(seeds::POOL), Seed::from(&bump_seed)];
    NewAccount { payer: authority, account: pool, space: Pool::LEN, owner: &ID }.create_pda(&Signer::from(&pool_seeds))?;
    let vault_seed = [vault_bump];
    let vault_seeds = [Seed::from(seeds::REWARD_VAULT), Seed::from(&vault_seed)];
    NewAccount { payer: authority, account: reward_vault, space: loaders::TOKEN_ACCOUNT_LEN, owner: &pinocchio_token::ID }
        .create_pda(&Signer::from(&vault_seeds))?;
    initialize_token_account(reward_vault, reward_mint, pool.address())?;

    let pool_address = *pool.address();
    let mut p = loaders::init::<Pool>(pool, &ID)?;
    p.authority = *authority.address();
    p.reward_mint = *reward_mint.address();
    p.reward_vault = *reward_vault.address();
    p.start_time = PodI64::new(start);
    p.hour_length = args.hour_length;
    p.grace_hours = args.grace_hours;
    p.breaker_window_hours = PodU32::new(core::cmp::max(args.breaker_window_hours.get(), 1));
    p.breaker_cap = args.breaker_cap;
    p.rate_hi.set(rate.hi);
    p.rate_lo.set(rate.lo);
    p.cap = PodU64::new(cap);
    p.decimals = decimals;
    p.bump = bump;
    p.vault_bump = vault_bump;
    p.work_factor_bps = PodU32::new(work_factor);

    PoolInitialized { pool: pool_address, reward_mint: p.reward_mint, start_time: p.start_time, hour_length: p.hour_length, cap: p.cap }.emit();
    Ok(())
}
