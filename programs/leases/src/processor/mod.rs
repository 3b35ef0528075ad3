//! The thin dispatcher and the helpers every lease instruction shares.

mod assign_device;
mod burn_fees;
mod claim;
mod close_lease;
mod complete;
mod create_lease;
mod extend;
mod initialize_market;
mod pause;
mod prove_time;
mod release_device;
mod report_fault;
mod terminate;

use hourglass_core::discriminator::no_args;
use hourglass_core::error::CoreError;
use hourglass_core::loaders;
use hourglass_core::pinocchio::account::RefMut;
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, Address, ProgramError, ProgramResult};

use crate::interface::error::LeaseError;
use crate::interface::instruction::{args, LeaseInstruction as I};
use crate::interface::seeds;
use crate::interface::state::{Lease, Slot};

#[inline(always)]
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    if program_id != &crate::ID {
        return Err(CoreError::WrongProgram.into());
    }
    let (ix, data) = I::unpack(data)?;
    match ix {
        I::InitializeMarket => initialize_market::process(accounts, args(data)?),
        I::CreateLease => create_lease::process(accounts, args(data)?),
        I::AssignDevice => no_args(data).and_then(|_| assign_device::process(accounts)),
        I::ProveTime => prove_time::process(accounts, data),
        I::Extend => extend::process(accounts, args(data)?),
        I::Pause => no_args(data).and_then(|_| pause::process(accounts)),
        I::Terminate => no_args(data).and_then(|_| terminate::process(accounts)),
        I::Complete => no_args(data).and_then(|_| complete::process(accounts)),
        I::ReportFault => report_fault::process(accounts, args(data)?),
        I::Claim => claim::process(accounts, args(data)?),
        I::ReleaseDevice => release_device::process(accounts, args(data)?),
        I::CloseLease => no_args(data).and_then(|_| close_lease::process(accounts)),
        I::BurnFees => no_args(data).and_then(|_| burn_fees::process(accounts)),
    }
}

/// Borrows a Lease with its slot table.
#[inline(always)]
fn load_lease(account: &mut AccountView) -> Result<RefMut<'_, [u8]>, ProgramError> {
    loaders::load_mut_with_tail::<Lease, Slot>(account, &crate::ID)
}

/// The slot at `index` among the lease's assigned devices.
#[inline(always)]
fn slot_mut<'a>(lease: &Lease, slots: &'a mut [Slot], index: u16) -> Result<&'a mut Slot, ProgramError> {
    if index >= lease.device_count.get() {
        return Err(LeaseError::BadSlot.into());
    }
    slots.get_mut(index as usize).ok_or_else(|| LeaseError::BadSlot.into())
}

/// `signer` is a registered attester in the staking Config.
#[inline(always)]
fn require_attester(staking_config: &AccountView, signer: &AccountView) -> ProgramResult {
    loaders::signer(signer)?;
    let config = loaders::load::<hourglass_staking_interface::state::Config>(staking_config, &hourglass_staking_interface::ID)?;
    if !config.is_attester(signer.address()) {
        return Err(LeaseError::NotAttester.into());
    }
    Ok(())
}

/// The lease authority PDA account, compared with the address recorded when the Market was created
/// (derived there with its canonical bump).
#[inline(always)]
fn check_authority(lease: &Lease, authority: &AccountView) -> ProgramResult {
    if authority.address() != &lease.lease_authority {
        return Err(CoreError::WrongPda.into());
    }
    Ok(())
}

/// Pays `amount` out of a lease escrow, signed by the lease authority PDA.
#[inline(always)]
fn pay_from_escrow(escrow: &AccountView, to: &AccountView, authority: &AccountView, bump: u8, amount: u64) -> ProgramResult {
    if amount == 0 {
        return Ok(());
    }
    with_authority_signer(bump, |signer| hourglass_core::cpi::TokenTransfer { from: escrow, to, authority, amount }.invoke_signed(&signer[0]))
}

/// Runs `f` signed as the lease authority PDA (its stored `bump`).
#[inline(always)]
fn with_authority_signer<R>(bump: u8, f: impl FnOnce(&[Signer]) -> R) -> R {
    let bump = [bump];
    let signer_seeds = [Seed::from(seeds::LEASE_AUTHORITY), Seed::from(&bump)];
    f(&[Signer::from(&signer_seeds)])
}

/// The current unix time.
#[inline(always)]
fn now() -> Result<i64, ProgramError> {
    Ok(hourglass_core::syscalls::clock()?.unix_timestamp)
}

/// Checks the escrow account is the lease's and the token account is of the lease's mint and, if
/// given, owner.
#[inline(always)]
fn check_escrow(lease: &Lease, escrow: &AccountView) -> ProgramResult {
    loaders::writable(escrow)?;
    if escrow.address() != &lease.escrow {
        return Err(LeaseError::WrongEscrow.into());
    }
    Ok(())
}
