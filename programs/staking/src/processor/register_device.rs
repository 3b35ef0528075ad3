//! `register_device`: creates the Device account at the device key's own address, owned by this
//! program, for the signing supplier.
//!
//! The Device lives at the device key (which signs, so nobody can register a key they do not hold)
//! rather than at a PDA: there is nothing to derive, so registration costs the same for every key
//! (a canonical-bump search costs 1,500 CU per attempt and needs two or more attempts half the time).

use hourglass_core::cpi::NewAccount;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::pod::PodU64;
use hourglass_core::{syscalls, AccountView, ProgramResult};

use super::load_config;
use crate::interface::error::StakingError;
use crate::interface::events::DeviceRegistered;
use crate::interface::instruction::RegisterDeviceArgs;
use crate::interface::state::{device_status, minimum_stake, Device, GpuTier, MAX_BANDWIDTH_TIER, MAX_GPUS};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &RegisterDeviceArgs) -> ProgramResult {
    let [supplier, device, config, gpu_tier, system_program, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };

    loaders::signer(supplier)?;
    loaders::writable(supplier)?;
    loaders::signer(device)?;
    loaders::writable(device)?;
    loaders::distinct(supplier, device)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    loaders::uninitialized(device)?;
    let mint_decimals = load_config(config)?.mint_decimals;

    let multiplier_bps = {
        let tier = loaders::load::<GpuTier>(gpu_tier, &ID)?;
        if tier.model_code != args.gpu_model {
            return Err(StakingError::GpuTierMismatch.into());
        }
        tier.multiplier_bps.get()
    };
    if multiplier_bps == 0 {
        return Err(StakingError::GpuNotEligible.into());
    }
    let gpu_count = args.gpu_count.get();
    if gpu_count == 0 || gpu_count > MAX_GPUS {
        return Err(StakingError::InvalidGpuCount.into());
    }
    if args.bandwidth_tier > MAX_BANDWIDTH_TIER {
        return Err(StakingError::InvalidBandwidthTier.into());
    }
    let minimum = minimum_stake(mint_decimals, multiplier_bps, gpu_count).ok_or(hourglass_core::error::CoreError::Overflow)?;
    let now = syscalls::clock()?.unix_timestamp;

    NewAccount { payer: supplier, account: device, space: Device::LEN, owner: &ID }.create(&[])?;

    let device_address = *device.address();
    let mut state = loaders::init::<Device>(device, &ID)?;
    state.owner = *supplier.address();
    state.device_key = device_address;
    state.gpu_model = args.gpu_model;
    state.gpu_count = args.gpu_count;
    state.vram_gb = args.vram_gb;
    state.region = args.region;
    state.bandwidth_tier = args.bandwidth_tier;
    state.status = device_status::ACTIVE;
    state.multiplier_bps.set(multiplier_bps);
    state.registered_at.set(now);

    DeviceRegistered {
        device: device_address,
        owner: state.owner,
        device_key: state.device_key,
        gpu_model: state.gpu_model,
        gpu_count: state.gpu_count,
        vram_gb: state.vram_gb,
        region: state.region,
        bandwidth_tier: state.bandwidth_tier,
        multiplier_bps: state.multiplier_bps,
        minimum_stake: PodU64::new(minimum),
    }
    .emit();
    Ok(())
}
