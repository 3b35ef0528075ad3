//! `slash`: moves `bps` of a device's supplier stake to the treasury, at most the configured bound per
//! event. Only the lease program's authority (on a fault) or the config authority may slash; co-stakers'
//! stake is not slashed.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::math::mul_div_floor;
use hourglass_core::pod::PodU64;
use hourglass_core::{AccountView, Address, ProgramResult};

use super::{check_vault, load_config, pay_from_vault};
use crate::interface::error::StakingError;
use crate::interface::events::DeviceSlashed;
use crate::interface::instruction::SlashArgs;
use crate::interface::state::{slash_reason, Device, BPS};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &SlashArgs) -> ProgramResult {
    let [authority, config, device, stake_vault, treasury, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::writable(treasury)?;
    let state = load_config(config)?;
    let zero = Address::new_from_array([0; 32]);
    let by_lease = state.lease_authority != zero && &state.lease_authority == authority.address();
    if !by_lease && &state.authority != authority.address() {
        return Err(StakingError::NotSlashAuthority.into());
    }
    check_vault(&state, stake_vault)?;
    if treasury.address() != &state.treasury {
        return Err(StakingError::WrongTreasury.into());
    }
    let bps = args.bps.get();
    if bps == 0 {
        return Err(StakingError::InvalidAmount.into());
    }
    if bps > state.max_slash_bps.get() || bps as u64 > BPS {
        return Err(StakingError::SlashOverBound.into());
    }
    if args.reason == 0 || args.reason > slash_reason::MAX {
        return Err(StakingError::InvalidSlashReason.into());
    }
    let bump = state.bump;
    drop(state);

    let device_address = *device.address();
    let mut device = loaders::load_mut::<Device>(device, &ID)?;
    let amount = mul_div_floor(device.stake.get(), bps as u64, BPS).ok_or(CoreError::Overflow)?;
    if amount == 0 {
        return Err(StakingError::InvalidAmount.into());
    }
    let remaining = device.stake.get() - amount;
    let remaining_co_stake = device.co_stake.get();
    let slashed_total = device.slashed_total.get().checked_add(amount).ok_or(CoreError::Overflow)?;
    device.stake.set(remaining);
    device.slashed_total.set(slashed_total);
    drop(device);

    pay_from_vault(stake_vault, treasury, config, bump, amount)?;
    DeviceSlashed {
        device: device_address,
        authority: *authority.address(),
        amount: PodU64::new(amount),
        bps: args.bps,
        reason: args.reason,
        remaining_stake: PodU64::new(remaining),
        co_stake_amount: PodU64::new(0),
        remaining_co_stake: PodU64::new(remaining_co_stake),
        remaining_unbonding: PodU64::new(0),
    }
    .emit();
    Ok(())
}
