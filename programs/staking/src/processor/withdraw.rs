//! `withdraw`: after the unbonding period, pays the unbonded amount out of the vault (token CPI
//! signed by the Config PDA).

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::syscalls::{self, Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};

use super::{load_config, load_device_mut};
use crate::interface::error::StakingError;
use crate::interface::events::Withdrawn;
use crate::interface::seeds;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [supplier, config, device, stake_vault, destination, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };

    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::writable(stake_vault)?;
    loaders::writable(destination)?;
    loaders::distinct(stake_vault, destination)?;
    let state = load_config(config)?;
    if stake_vault.address() != &state.stake_vault {
        return Err(StakingError::WrongVault.into());
    }
    loaders::token_account(destination, &state.stake_mint, None)?;
    let config_bump = [state.bump];
    drop(state);

    let device_address = *device.address();
    let mut device = load_device_mut(device, supplier)?;
    let amount = device.unbonding_amount.get();
    if amount == 0 {
        return Err(StakingError::NothingToWithdraw.into());
    }
    if syscalls::clock()?.unix_timestamp < device.unbonding_unlock_at.get() {
        return Err(StakingError::StillUnbonding.into());
    }

    device.unbonding_amount.set(0);
    device.unbonding_unlock_at.set(0);
    drop(device);

    let signer_seeds = [Seed::from(seeds::CONFIG), Seed::from(&config_bump)];
    hourglass_core::cpi::TokenTransfer { from: stake_vault, to: destination, authority: config, amount }
        .invoke_signed(&Signer::from(&signer_seeds))?;

    Withdrawn { device: device_address, destination: *destination.address(), amount: PodU64::new(amount) }.emit();
    Ok(())
}
