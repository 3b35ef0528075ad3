//! `stake`: moves tokens from the supplier into the stake vault (token CPI signed by the supplier).

use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::{AccountView, ProgramResult};

use super::{load_config, load_device_mut};
use crate::interface::error::StakingError;
use crate::interface::events::Staked;
use crate::interface::instruction::AmountArgs;
use crate::interface::state::minimum_stake;

pub fn process(accounts: &mut [AccountView], args: &AmountArgs) -> ProgramResult {
    let [supplier, config, device, supplier_tokens, stake_vault, token_program, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };

    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::writable(supplier_tokens)?;
    loaders::writable(stake_vault)?;
    let config = load_config(config)?;
    if stake_vault.address() != &config.stake_vault {
        return Err(StakingError::WrongVault.into());
    }
    loaders::token_account(supplier_tokens, &config.stake_mint, Some(supplier.address()))?;
    let amount = args.amount.get();
    if amount == 0 {
        return Err(StakingError::InvalidAmount.into());
    }

    let device_address = *device.address();
    let mut device = load_device_mut(device, supplier)?;
    let total = device.stake.get().checked_add(amount).ok_or(hourglass_core::error::CoreError::Overflow)?;
    let minimum = minimum_stake(config.mint_decimals, device.multiplier_bps.get(), device.gpu_count.get())
        .ok_or(hourglass_core::error::CoreError::Overflow)?;
    if total < minimum {
        return Err(StakingError::BelowMinimumStake.into());
    }

    hourglass_core::cpi::TokenTransfer { from: supplier_tokens, to: stake_vault, authority: supplier, amount }.invoke()?;
    device.stake.set(total);

    Staked { device: device_address, staker: *supplier.address(), amount: args.amount, total_stake: PodU64::new(total) }
        .emit();
    Ok(())
}
