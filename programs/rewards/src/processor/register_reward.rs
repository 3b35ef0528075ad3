//! `register_reward`: creates a device's reward record. Its weight, used while nominated, is the GPU
//! tier multiplier x GPU count x bandwidth factor, read from the staking Device (owner checked); the
//! supplier's current stake is recorded as the first share of the device's per-stake rewards.

use hourglass_core::cpi::NewAccount;
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::math::mul_div_floor;
use hourglass_core::pod::PodU64;
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};
use hourglass_staking_interface::state::Device;

use crate::interface::events::RewardRegistered;
use crate::interface::seeds;
use crate::interface::state::{DeviceReward, Pool, BANDWIDTH_FACTOR_BPS};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [payer, pool, device, device_reward, system_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(payer)?;
    loaders::writable(payer)?;
    loaders::writable(device_reward)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    loaders::load::<Pool>(pool, &ID)?;
    loaders::uninitialized(device_reward)?;
    let (owner, weight, stake) = {
        let d = loaders::load::<Device>(device, &hourglass_staking_interface::ID)?;
        let factor = BANDWIDTH_FACTOR_BPS.get(d.bandwidth_tier as usize).copied().unwrap_or(0);
        let per_gpu = mul_div_floor(d.multiplier_bps.get() as u64, factor, 10_000).ok_or(CoreError::Overflow)?;
        (d.owner, hourglass_core::math::checked_mul(per_gpu, d.gpu_count.get() as u64).ok_or(CoreError::Overflow)?, d.stake.get())
    };
    let device_address = *device.address();
    let bump = loaders::canonical_pda(device_reward, &[seeds::DEVICE_REWARD, device_address.as_ref()], &ID)?;
    let bump_seed = [bump];
    let signer_seeds = [Seed::from(seeds::DEVICE_REWARD), Seed::from(device_address.as_ref()), Seed::from(&bump_seed)];
    NewAccount { payer, account: device_reward, space: DeviceReward::LEN, owner: &ID }.create_pda(&Signer::from(&signer_seeds))?;
    let mut r = loaders::init::<DeviceReward>(device_reward, &ID)?;
    r.device = device_address;
    r.owner = owner;
    r.nominal_weight = PodU64::new(weight);
    // The supplier's stake is recorded now; co-stakers are added by sync_co_stake.
    r.supplier_snapshot = PodU64::new(stake);
    r.basis = PodU64::new(stake);
    r.bump = bump;
    RewardRegistered { device: device_address, owner, nominal_weight: PodU64::new(weight) }.emit();
    Ok(())
}
