//! `claim`: pays a device's proven, unclaimed hours to its supplier in one transfer, less the supplier
//! fee, which goes to the treasury. Anyone may crank it; the money only goes to the supplier's own
//! token account.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::math::mul_div_floor;
use hourglass_core::pod::{PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};

use super::{check_authority, check_escrow, load_lease, pay_from_escrow, slot_mut};
use crate::interface::error::LeaseError;
use crate::interface::events::PayoutClaimed;
use crate::interface::instruction::SlotArgs;
use crate::interface::state::{Lease, Slot, BPS};

pub fn process(accounts: &mut [AccountView], args: &SlotArgs) -> ProgramResult {
    let [caller, lease, escrow, supplier_tokens, treasury, lease_authority, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    loaders::writable(supplier_tokens)?;
    loaders::writable(treasury)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let lease_address = *lease.address();
    let (gross, fee, hours, device, owner, bump) = {
        let mut data = load_lease(lease)?;
        let (l, slots) = loaders::split_with_tail::<Lease, Slot>(&mut data);
        check_escrow(l, escrow)?;
        check_authority(l, lease_authority)?;
        if treasury.address() != &l.treasury {
            return Err(LeaseError::WrongTreasury.into());
        }
        let price = l.price_per_gpu_hour.get();
        let fee_bps = l.supplier_fee_bps.get();
        let mint = l.payment_mint;
        let bump = l.authority_bump;
        let slot = slot_mut(l, slots, args.slot.get())?;
        loaders::token_account(supplier_tokens, &mint, Some(&slot.owner))?;
        let hours = slot.proven_hours.get() - slot.claimed_hours.get();
        if hours == 0 {
            return Err(LeaseError::NothingToClaim.into());
        }
        let per_hour = hourglass_core::math::checked_mul(price, slot.gpus.get() as u64).ok_or(CoreError::Overflow)?;
        let gross = hourglass_core::math::checked_mul(per_hour, hours as u64).ok_or(CoreError::Overflow)?;
        let fee = mul_div_floor(gross, fee_bps as u64, BPS).ok_or(CoreError::Overflow)?;
        slot.claimed_hours = slot.proven_hours;
        let (device, owner) = (slot.device, slot.owner);
        l.claimed_total = PodU64::new(l.claimed_total.get().checked_add(gross).ok_or(CoreError::Overflow)?);
        (gross, fee, hours, device, owner, bump)
    };
    pay_from_escrow(escrow, treasury, lease_authority, bump, fee)?;
    pay_from_escrow(escrow, supplier_tokens, lease_authority, bump, gross - fee)?;
    PayoutClaimed { lease: lease_address, device, supplier: owner, hours: PodU32::new(hours), gross: PodU64::new(gross), fee: PodU64::new(fee) }.emit();
    Ok(())
}
