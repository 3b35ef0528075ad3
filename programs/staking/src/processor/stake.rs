//! `stake`: moves tokens from the supplier into the stake vault (token CPI signed by the supplier).

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::{AccountView, ProgramResult};

use super::{check_vault, device_minimum, load_config, load_device_mut};
use crate::interface::error::StakingError;
use crate::interface::events::Staked;
use crate::interface::instruction::AmountArgs;

pub fn process(accounts: &mut [AccountView], args: &AmountArgs) -> ProgramResult {
    let [supplier, config, device, supplier_tokens, stake_vault, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };

    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::writable(supplier_tokens)?;
    let config = load_config(config)?;
    check_vault(&config, stake_vault)?;
    loaders::token_account(supplier_tokens, &config.stake_mint, Some(supplier.address()))?;
    let amount = args.amount.get();
    if amount == 0 {
        return Err(StakingError::InvalidAmount.into());
    }

    let device_address = *device.address();
    let mut device = load_device_mut(device, supplier)?;
    let stake = device.stake.get().checked_add(amount).ok_or(CoreError::Overflow)?;
    let total = stake.checked_add(device.co_stake.get()).ok_or(CoreError::Overflow)?;
    if total < device_minimum(&config, &device)? {
        return Err(StakingError::BelowMinimumStake.into());
    }

    hourglass_core::cpi::TokenTransfer { from: supplier_tokens, to: stake_vault, authority: supplier, amount }.invoke()?;
    device.stake.set(stake);

    Staked { device: device_address, staker: *supplier.address(), amount: args.amount, total_stake: PodU64::new(total) }.emit();
    Ok(())
}
