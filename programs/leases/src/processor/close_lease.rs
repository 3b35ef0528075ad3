//! `close_lease`: the renter closes a settled lease whose payouts are all claimed and devices all
//! released: the empty escrow token account is closed and both rents go to the renter.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::{AccountView, ProgramResult};
use pinocchio_token::instructions::CloseAccount;

use super::{check_authority, check_escrow, load_lease, with_authority_signer};
use crate::interface::error::LeaseError;
use crate::interface::events::LeaseClosed;
use crate::interface::state::{lease_status, Lease, Slot};

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [renter, lease, escrow, lease_authority, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(renter)?;
    loaders::writable(renter)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let lease_address = *lease.address();
    let bump = {
        let mut data = load_lease(lease)?;
        let (l, _) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        if &l.renter != renter.address() {
            return Err(LeaseError::NotRenter.into());
        }
        check_escrow(l, escrow)?;
        check_authority(l, lease_authority)?;
        if l.status != lease_status::SETTLED {
            return Err(LeaseError::LeaseNotSettled.into());
        }
        if l.claimed_total != l.earned_total || l.released_count != l.device_count {
            return Err(LeaseError::LeaseHasClaims.into());
        }
        let mint = l.payment_mint;
        if loaders::token_account(escrow, &mint, Some(lease_authority.address()))?.amount != 0 {
            return Err(LeaseError::LeaseHasClaims.into());
        }
        l.authority_bump
    };
    with_authority_signer(bump, |signer| CloseAccount::new(escrow, renter, lease_authority).invoke_signed(signer))?;
    loaders::close(lease, renter)?;
    LeaseClosed { lease: lease_address, renter: *renter.address() }.emit();
    Ok(())
}
