//! The thin dispatcher: decode the discriminator, hand the accounts and argument bytes to the
//! instruction's processor (one file each).

mod assign_lease;
mod cancel_slash;
mod co_stake;
mod co_unstake;
mod co_withdraw;
mod deregister;
mod execute_slash;
mod initialize_config;
mod propose_slash;
mod register_device;
mod release_lease;
mod request_unstake;
mod set_attester;
mod set_authority;
mod set_device_paused;
mod set_gpu_tier;
mod slash;
mod stake;
mod update_config;
mod withdraw;

use hourglass_core::discriminator::no_args;
use hourglass_core::error::CoreError;
use hourglass_core::loaders;
use hourglass_core::pinocchio::account::{Ref, RefMut};
use hourglass_core::{AccountView, Address, ProgramError, ProgramResult};

use crate::interface::error::StakingError;
use crate::interface::instruction::{args, StakingInstruction as I};
use crate::interface::state::{slash_reason, Config, Device, BPS};

#[inline(always)]
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if program_id != &crate::ID {
        return Err(CoreError::WrongProgram.into());
    }
    let (ix, data) = I::unpack(data)?;
    match ix {
        I::InitializeConfig => initialize_config::process(accounts, args(data)?),
        I::UpdateConfig => update_config::process(accounts, args(data)?),
        I::SetAuthority => no_args(data).and_then(|_| set_authority::process(accounts)),
        I::SetAttester => set_attester::process(accounts, args(data)?),
        I::SetGpuTier => set_gpu_tier::process(accounts, args(data)?),
        I::RegisterDevice => register_device::process(accounts, args(data)?),
        I::SetDevicePaused => set_device_paused::process(accounts, args(data)?),
        I::Stake => stake::process(accounts, args(data)?),
        I::RequestUnstake => request_unstake::process(accounts, args(data)?),
        I::Withdraw => no_args(data).and_then(|_| withdraw::process(accounts)),
        I::CoStake => co_stake::process(accounts, args(data)?),
        I::CoUnstake => co_unstake::process(accounts, args(data)?),
        I::CoWithdraw => no_args(data).and_then(|_| co_withdraw::process(accounts)),
        I::Slash => slash::process(accounts, args(data)?),
        I::AssignLease => assign_lease::process(accounts, args(data)?),
        I::ReleaseLease => no_args(data).and_then(|_| release_lease::process(accounts)),
        I::Deregister => no_args(data).and_then(|_| deregister::process(accounts)),
        I::ProposeSlash => propose_slash::process(accounts, args(data)?),
        I::CancelSlash => no_args(data).and_then(|_| cancel_slash::process(accounts)),
        I::ExecuteSlash => no_args(data).and_then(|_| execute_slash::process(accounts)),
    }
}

/// Loads the Config (owner, length, discriminator; see `hourglass_core::loaders` on canonical PDAs).
#[inline(always)]
fn load_config(account: &AccountView) -> Result<Ref<'_, Config>, ProgramError> {
    loaders::load::<Config>(account, &crate::ID)
}

/// Loads the Config for a change by its authority (`authority` must sign and match).
#[inline(always)]
fn load_config_for_authority<'a>(account: &'a mut AccountView, authority: &AccountView) -> Result<RefMut<'a, Config>, ProgramError> {
    let config = loaders::load_mut::<Config>(account, &crate::ID)?;
    require_authority(&config, authority)?;
    Ok(config)
}

/// Checks `signer` signed and is the Config's authority.
#[inline(always)]
fn require_authority(config: &Config, signer: &AccountView) -> ProgramResult {
    loaders::signer(signer)?;
    if &config.authority != signer.address() {
        return Err(StakingError::NotAuthority.into());
    }
    Ok(())
}

/// Loads a Device for its owner: `supplier` must sign and be `device.owner`.
#[inline(always)]
fn load_device_mut<'a>(account: &'a mut AccountView, supplier: &AccountView) -> Result<RefMut<'a, Device>, ProgramError> {
    loaders::signer(supplier)?;
    let device = loaders::load_mut::<Device>(account, &crate::ID)?;
    if &device.owner != supplier.address() {
        return Err(StakingError::NotDeviceOwner.into());
    }
    Ok(device)
}

/// Checks `signer` is the Config's lease authority.
#[inline(always)]
fn require_lease_authority(config: &Config, signer: &AccountView) -> ProgramResult {
    loaders::signer(signer)?;
    if !config.is_lease_authority(signer.address()) {
        return Err(StakingError::NotLeaseAuthority.into());
    }
    Ok(())
}

/// The device's minimum stake under this Config.
#[inline(always)]
fn device_minimum(config: &Config, device: &Device) -> Result<u64, ProgramError> {
    device.minimum_stake(config.mint_decimals).ok_or_else(|| CoreError::Overflow.into())
}

/// The recorded stake vault, and the Config's signer bump for transfers out of it.
#[inline(always)]
fn check_vault(config: &Config, vault: &AccountView) -> Result<(), ProgramError> {
    loaders::writable(vault)?;
    if vault.address() != &config.stake_vault {
        return Err(StakingError::WrongVault.into());
    }
    Ok(())
}

/// A withdrawal's accounts: the token program, the recorded stake vault and a writable token account
/// of the stake mint (any owner: the signer chooses where its tokens go) that is not the vault. Returns
/// the Config's signer bump for `pay_from_vault`.
#[inline(always)]
fn check_withdrawal(config: &AccountView, stake_vault: &AccountView, destination: &AccountView, token_program: &AccountView) -> Result<u8, ProgramError> {
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::writable(destination)?;
    loaders::distinct(stake_vault, destination)?;
    let state = load_config(config)?;
    check_vault(&state, stake_vault)?;
    loaders::token_account(destination, &state.stake_mint, None)?;
    Ok(state.bump)
}

/// Pays `amount` out of the stake vault to `destination`, signed by the Config PDA.
#[inline(always)]
fn pay_from_vault(vault: &AccountView, destination: &AccountView, config: &AccountView, bump: u8, amount: u64) -> ProgramResult {
    use hourglass_core::syscalls::{Seed, Signer};
    let bump = [bump];
    let seeds = [Seed::from(crate::interface::seeds::CONFIG), Seed::from(&bump)];
    hourglass_core::cpi::TokenTransfer { from: vault, to: destination, authority: config, amount }.invoke_signed(&Signer::from(&seeds))
}

/// A slash's checks against the Config: the token program, the recorded vault and treasury (writable),
/// a non-zero `bps` within the per-event bound, and a known reason code.
#[inline(always)]
fn check_slash(config: &Config, bps: u16, reason: u8, stake_vault: &AccountView, treasury: &AccountView, token_program: &AccountView) -> ProgramResult {
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::writable(treasury)?;
    check_vault(config, stake_vault)?;
    if treasury.address() != &config.treasury {
        return Err(StakingError::WrongTreasury.into());
    }
    check_slash_terms(config, bps, reason)
}

/// `bps` is non-zero and within the per-event bound; `reason` is a known code.
#[inline(always)]
fn check_slash_terms(config: &Config, bps: u16, reason: u8) -> ProgramResult {
    if bps == 0 {
        return Err(StakingError::InvalidAmount.into());
    }
    if bps > config.max_slash_bps.get() || bps as u64 > BPS {
        return Err(StakingError::SlashOverBound.into());
    }
    if reason == 0 || reason > slash_reason::MAX {
        return Err(StakingError::InvalidSlashReason.into());
    }
    Ok(())
}

/// The accounts a slash moves tokens with.
struct SlashTarget<'a> {
    device: &'a mut AccountView,
    stake_vault: &'a AccountView,
    treasury: &'a AccountView,
    config: &'a AccountView,
    bump: u8,
}

/// Takes `bps` of every stake on the device (see `Device::slash`) into the treasury and emits
/// DeviceSlashed. Returns the amount taken.
fn slash_device(t: SlashTarget<'_>, bps: u16, reason: u8, authority: &Address) -> Result<u64, ProgramError> {
    use crate::interface::events::DeviceSlashed;
    use hourglass_core::event::Event;
    use hourglass_core::pod::{PodU16, PodU64};
    let device_address = *t.device.address();
    let (cut, event) = {
        let mut device = loaders::load_mut::<Device>(t.device, &crate::ID)?;
        let cut = device.slash(bps).ok_or(CoreError::Overflow)?;
        if cut.total == 0 {
            return Err(StakingError::InvalidAmount.into());
        }
        let event = DeviceSlashed {
            device: device_address,
            authority: *authority,
            amount: PodU64::new(cut.total),
            bps: PodU16::new(bps),
            reason,
            remaining_stake: device.stake,
            co_stake_amount: PodU64::new(cut.co_stake),
            remaining_co_stake: device.co_stake,
            remaining_unbonding: device.unbonding_amount,
        };
        (cut, event)
    };
    pay_from_vault(t.stake_vault, t.treasury, t.config, t.bump, cut.total)?;
    event.emit();
    Ok(cut.total)
}
