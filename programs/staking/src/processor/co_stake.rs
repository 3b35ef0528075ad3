//! `co_stake`: a third party adds stake to a device, creating its CoStake PDA on first use. Co-stakers
//! together hold at most 50% of the device's total stake (co-stake <= the supplier's stake).

use hourglass_core::cpi::NewAccount;
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::pod::PodU64;
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};

use super::{check_vault, load_config};
use crate::interface::error::StakingError;
use crate::interface::events::CoStaked;
use crate::interface::instruction::AmountArgs;
use crate::interface::seeds;
use crate::interface::state::{CoStake, Device, CO_FACTOR_MIN};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &AmountArgs) -> ProgramResult {
    let [staker, config, device, co_stake, staker_tokens, stake_vault, token_program, system_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };

    loaders::signer(staker)?;
    loaders::writable(staker)?;
    loaders::writable(co_stake)?;
    loaders::writable(staker_tokens)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    let config = load_config(config)?;
    check_vault(&config, stake_vault)?;
    loaders::token_account(staker_tokens, &config.stake_mint, Some(staker.address()))?;
    let amount = args.amount.get();
    if amount == 0 {
        return Err(StakingError::InvalidAmount.into());
    }

    let device_address = *device.address();
    let mut device_state = loaders::load_mut::<Device>(device, &ID)?;
    if &device_state.owner == staker.address() {
        return Err(StakingError::SelfCoStake.into());
    }
    // After very deep slashes the scale has no precision left for new stake: wait until every co-staker
    // has left (the scale then starts afresh).
    if device_state.co_factor() < CO_FACTOR_MIN {
        return Err(StakingError::CoStakeScaleWorn.into());
    }
    let device_co_stake = device_state.co_stake.get().checked_add(amount).ok_or(CoreError::Overflow)?;
    if device_co_stake > device_state.stake.get() {
        return Err(StakingError::CoStakeOverHalf.into());
    }

    if co_stake.is_data_empty() {
        let bump = loaders::canonical_pda(co_stake, &[seeds::CO_STAKE, device_address.as_ref(), staker.address().as_ref()], &ID)?;
        let bump_seed = [bump];
        let signer_seeds = [Seed::from(seeds::CO_STAKE), Seed::from(device_address.as_ref()), Seed::from(staker.address().as_ref()), Seed::from(&bump_seed)];
        NewAccount { payer: staker, account: co_stake, space: CoStake::LEN, owner: &ID }.create_pda(&Signer::from(&signer_seeds))?;
        let mut state = loaders::init::<CoStake>(co_stake, &ID)?;
        state.staker = *staker.address();
        state.device = device_address;
        state.bump = bump;
    }
    let mut position = loaders::load_mut::<CoStake>(co_stake, &ID)?;
    if position.device != device_address || &position.staker != staker.address() {
        return Err(StakingError::WrongDevice.into());
    }
    // Counted among the device's co-stakers unless it holds nothing at all (even if slashes have since
    // rounded it down to nothing: it is still counted until co_withdraw closes it).
    let was_empty = position.amount.get() == 0 && position.unbonding_amount.get() == 0;
    // Slashes since this position last moved scale it first (a new position starts at today's scale).
    position.apply_factor(&device_state).ok_or(CoreError::Overflow)?;
    let staker_amount = position.amount.get().checked_add(amount).ok_or(CoreError::Overflow)?;

    hourglass_core::cpi::TokenTransfer { from: staker_tokens, to: stake_vault, authority: staker, amount }.invoke()?;
    position.amount.set(staker_amount);
    device_state.co_stake.set(device_co_stake);
    if was_empty {
        let count = device_state.co_staker_count.get().checked_add(1).ok_or(CoreError::Overflow)?;
        device_state.co_staker_count.set(count);
    }

    CoStaked {
        device: device_address,
        staker: *staker.address(),
        amount: args.amount,
        staker_amount: PodU64::new(staker_amount),
        device_co_stake: PodU64::new(device_co_stake),
    }
    .emit();
    Ok(())
}
