//! `extend`: the renter books more hours at the lease's price, depositing their cost plus the renter
//! fee. A paused lease resumes: its hour clock picks up where it stopped.

use hourglass_core::cpi::TokenTransfer;
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::math::mul_div_floor;
use hourglass_core::pod::{PodI64, PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};

use super::{check_escrow, load_lease, now};
use crate::interface::error::LeaseError;
use crate::interface::events::LeaseExtended;
use crate::interface::instruction::ExtendArgs;
use crate::interface::state::{lease_status, Lease, Slot, BPS};

pub fn process(accounts: &mut [AccountView], args: &ExtendArgs) -> ProgramResult {
    let [renter, lease, escrow, renter_tokens, treasury, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(renter)?;
    loaders::writable(renter_tokens)?;
    loaders::writable(treasury)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let hours = args.hours.get();
    if hours == 0 {
        return Err(LeaseError::InvalidLeaseParams.into());
    }
    let lease_address = *lease.address();
    let now = now()?;
    let (deposit, fee, booked, resumed) = {
        let mut data = load_lease(lease)?;
        let (l, _) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        if &l.renter != renter.address() {
            return Err(LeaseError::NotRenter.into());
        }
        check_escrow(l, escrow)?;
        if treasury.address() != &l.treasury {
            return Err(LeaseError::WrongTreasury.into());
        }
        loaders::token_account(renter_tokens, &l.payment_mint, Some(renter.address()))?;
        if l.status != lease_status::ACTIVE && l.status != lease_status::PAUSED {
            return Err(LeaseError::LeaseNotActive.into());
        }
        let deposit = l.cost(l.gpu_count.get() as u64, hours as u64).ok_or(LeaseError::LeaseOverflow)?;
        let fee = mul_div_floor(deposit, l.renter_fee_bps.get() as u64, BPS).ok_or(CoreError::Overflow)?;
        let booked = l.hours_booked.get().checked_add(hours).ok_or(CoreError::Overflow)?;
        let resumed = l.status == lease_status::PAUSED;
        if resumed {
            // Shift the origin by the time spent paused, so the hour clock continues where it stopped.
            let paused_for = now.checked_sub(l.paused_at.get()).ok_or(CoreError::Overflow)?;
            l.origin = PodI64::new(l.origin.get().checked_add(paused_for).ok_or(CoreError::Overflow)?);
            l.paused_at = PodI64::new(0);
            l.status = lease_status::ACTIVE;
        }
        l.hours_booked = PodU32::new(booked);
        l.principal = PodU64::new(l.principal.get().checked_add(deposit).ok_or(LeaseError::LeaseOverflow)?);
        l.renter_fees = PodU64::new(l.renter_fees.get().checked_add(fee).ok_or(CoreError::Overflow)?);
        (deposit, fee, booked, resumed)
    };
    TokenTransfer { from: renter_tokens, to: escrow, authority: renter, amount: deposit }.invoke()?;
    if fee > 0 {
        TokenTransfer { from: renter_tokens, to: treasury, authority: renter, amount: fee }.invoke()?;
    }
    LeaseExtended {
        lease: lease_address,
        hours: args.hours,
        hours_booked: PodU32::new(booked),
        deposit: PodU64::new(deposit),
        renter_fee: PodU64::new(fee),
        resumed: resumed as u8,
    }
    .emit();
    Ok(())
}
