//! The thin dispatcher: decode the discriminator, hand the accounts and argument bytes to the
//! instruction's processor.

mod initialize_config;
mod register_device;
mod request_unstake;
mod set_gpu_tier;
mod stake;
mod withdraw;

use hourglass_core::error::CoreError;
use hourglass_core::{AccountView, Address, ProgramResult};

use crate::interface::instruction::{args, StakingInstruction};

#[inline(always)]
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if program_id != &crate::ID {
        return Err(CoreError::WrongProgram.into());
    }
    let (ix, data) = StakingInstruction::unpack(data)?;
    match ix {
        StakingInstruction::InitializeConfig => initialize_config::process(accounts, args(data)?),
        StakingInstruction::SetGpuTier => set_gpu_tier::process(accounts, args(data)?),
        StakingInstruction::RegisterDevice => register_device::process(accounts, args(data)?),
        StakingInstruction::Stake => stake::process(accounts, args(data)?),
        StakingInstruction::RequestUnstake => request_unstake::process(accounts, args(data)?),
        StakingInstruction::Withdraw => {
            args::<crate::interface::instruction::NoArgs>(data)?;
            withdraw::process(accounts)
        }
    }
}

/// Loads the Config (owner, length, discriminator; see `hourglass_core::loaders` on canonical PDAs).
#[inline(always)]
fn load_config(
    account: &AccountView,
) -> Result<pinocchio::account::Ref<'_, crate::interface::state::Config>, hourglass_core::ProgramError> {
    hourglass_core::loaders::load::<crate::interface::state::Config>(account, &crate::ID)
}

/// Loads a Device for its owner: `supplier` must sign and be `device.owner`.
#[inline(always)]
fn load_device_mut<'a>(
    account: &'a mut AccountView,
    supplier: &AccountView,
) -> Result<pinocchio::account::RefMut<'a, crate::interface::state::Device>, hourglass_core::ProgramError> {
    hourglass_core::loaders::signer(supplier)?;
    let device = hourglass_core::loaders::load_mut::<crate::interface::state::Device>(account, &crate::ID)?;
    if &device.owner != supplier.address() {
        return Err(crate::interface::error::StakingError::NotDeviceOwner.into());
    }
    Ok(device)
}
