//! `sync_co_stake`: anyone records a co-staker's current effective co-stake on a device (after the
//! device's slashes), creating its reward position on first use. Before the change, the device's
//! earnings are settled and the position is credited on its recorded stake (or current, if smaller;
//! the rest of its share goes to the supplier), so added stake counts only from now and withdrawn or
//! slashed stake is never paid on.

use hourglass_core::cpi::NewAccount;
use hourglass_core::error::CoreError;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::state::{CoStake, Device};

use crate::interface::error::RewardsError;
use crate::interface::seeds;
use crate::interface::state::{CoStakeReward, DeviceReward, Pool};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [payer, pool, device_account, co_stake, device_reward, co_reward, system_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(payer)?;
    loaders::writable(payer)?;
    loaders::writable(co_reward)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    let (acc, next_hour) = {
        let p = loaders::load::<Pool>(pool, &ID)?;
        (p.acc(), p.next_hour.get())
    };
    let d = loaders::load::<Device>(device_account, &hourglass_staking_interface::ID)?;
    let (device, staker, live) = {
        let c = loaders::load::<CoStake>(co_stake, &hourglass_staking_interface::ID)?;
        if &c.device != device_account.address() {
            return Err(RewardsError::WrongDevice.into());
        }
        // The co-stake at the device's current scale (slashes shrink every co-stake lazily).
        (c.device, c.staker, c.effective(&d).ok_or(CoreError::Overflow)?.0)
    };
    drop(d);
    let mut r = loaders::load_mut::<DeviceReward>(device_reward, &ID)?;
    if r.device != device {
        return Err(RewardsError::WrongDevice.into());
    }
    r.settle(acc, next_hour).ok_or(CoreError::Overflow)?;

    if co_reward.is_data_empty() {
        let bump = loaders::canonical_pda(co_reward, &[seeds::CO_REWARD, device.as_ref(), staker.as_ref()], &ID)?;
        let bump_seed = [bump];
        let signer_seeds = [Seed::from(seeds::CO_REWARD), Seed::from(device.as_ref()), Seed::from(staker.as_ref()), Seed::from(&bump_seed)];
        NewAccount { payer, account: co_reward, space: CoStakeReward::LEN, owner: &ID }.create_pda(&Signer::from(&signer_seeds))?;
        let mut position = loaders::init::<CoStakeReward>(co_reward, &ID)?;
        position.device = device;
        position.staker = staker;
        position.co_stake = *co_stake.address();
        position.bump = bump;
        // Nothing earned before its first checkpoint.
        let acc_stake = r.acc_stake();
        position.debt_hi.set(acc_stake.hi);
        position.debt_lo.set(acc_stake.lo);
    }
    let mut position = loaders::load_mut::<CoStakeReward>(co_reward, &ID)?;
    if position.device != device || position.staker != staker {
        return Err(RewardsError::WrongDevice.into());
    }
    position.checkpoint(&mut r, live).ok_or(CoreError::Overflow)?;
    Ok(())
}
