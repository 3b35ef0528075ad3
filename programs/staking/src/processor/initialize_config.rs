//! `initialize_config`: creates the Config PDA and the stake vault token account (authority = Config).
//! An unbonding period of 0 means 14 days and a slash delay of 0 means 48 hours.

use hourglass_core::cpi::NewAccount;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};

use crate::interface::error::StakingError;
use crate::interface::events::ConfigInitialized;
use crate::interface::instruction::InitializeConfigArgs;
use crate::interface::seeds;
use crate::interface::state::{config_periods, Config};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &InitializeConfigArgs) -> ProgramResult {
    let [authority, config, stake_mint, stake_vault, treasury, system_program, token_program, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };

    loaders::signer(authority)?;
    loaders::writable(authority)?;
    loaders::writable(config)?;
    loaders::writable(stake_vault)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::uninitialized(config)?;
    loaders::uninitialized(stake_vault)?;
    let config_bump = loaders::canonical_pda(config, &[seeds::CONFIG], &ID)?;
    let vault_bump = loaders::canonical_pda(stake_vault, &[seeds::STAKE_VAULT], &ID)?;
    let decimals = loaders::mint_decimals(stake_mint)?;
    loaders::token_account(treasury, stake_mint.address(), None)?;

    let (unbonding_period, slash_delay) = config_periods(args.unbonding_period.get(), args.slash_delay.get())?;
    let max_slash_bps = args.max_slash_bps.get();
    if max_slash_bps as u64 > crate::interface::state::BPS {
        return Err(StakingError::InvalidSlashBound.into());
    }

    let config_bump_seed = [config_bump];
    let config_seeds = [Seed::from(seeds::CONFIG), Seed::from(&config_bump_seed)];
    NewAccount { payer: authority, account: config, space: Config::LEN, owner: &ID }.create_pda(&Signer::from(&config_seeds))?;

    let vault_bump_seed = [vault_bump];
    let vault_seeds = [Seed::from(seeds::STAKE_VAULT), Seed::from(&vault_bump_seed)];
    NewAccount { payer: authority, account: stake_vault, space: loaders::TOKEN_ACCOUNT_LEN, owner: &pinocchio_token::ID }
        .create_pda(&Signer::from(&vault_seeds))?;
    hourglass_core::cpi::initialize_token_account(stake_vault, stake_mint, config.address())?;

    let config_address = *config.address();
    let mut state = loaders::init::<Config>(config, &ID)?;
    state.authority = *authority.address();
    state.stake_mint = *stake_mint.address();
    state.stake_vault = *stake_vault.address();
    state.treasury = *treasury.address();
    state.unbonding_period.set(unbonding_period);
    state.slash_delay.set(slash_delay);
    state.max_slash_bps.set(max_slash_bps);
    state.mint_decimals = decimals;
    state.bump = config_bump;
    state.vault_bump = vault_bump;
    // lease_authority and the attester set start empty (all zeros); update_config and set_attester fill them.

    ConfigInitialized {
        config: config_address,
        authority: state.authority,
        stake_mint: state.stake_mint,
        treasury: state.treasury,
        unbonding_period: state.unbonding_period,
        max_slash_bps: state.max_slash_bps,
        slash_delay: state.slash_delay,
    }
    .emit();
    Ok(())
}
