//! `create_lease`: books `gpu_count` GPUs of a model for `hours` at `price_per_gpu_hour`. Locks the
//! booked cost in a new escrow token account (authority: the lease authority PDA) and pays the renter's
//! reservation fee (+ the stable surcharge) to the treasury.
//!
//! The Lease is a keypair account the renter's transaction creates just before this instruction
//! (system `create_account`, owner = this program, `lease_len(max_devices)` bytes): this instruction
//! checks it is ours, unused (zero discriminator) and sized for `max_devices`, and fills it in. The
//! escrow, a keypair account too, is created here as a token account owned by the lease authority,
//! so it is always fresh and belongs to exactly one lease.

use hourglass_core::cpi::{initialize_token_account, NewAccount, TokenTransfer};
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::math::mul_div_floor;
use hourglass_core::pod::{PodBool, PodI64, PodU16, PodU32, PodU64};
use hourglass_core::{AccountView, ProgramResult};

use super::now;
use crate::interface::error::LeaseError;
use crate::interface::events::LeaseCreated;
use crate::interface::instruction::CreateLeaseArgs;
use crate::interface::state::{lease_len, lease_status, Lease, Market, Slot, BPS, MAX_SLOTS};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &CreateLeaseArgs) -> ProgramResult {
    let [renter, lease, escrow, market, payment_mint, renter_tokens, treasury, lease_authority, token_program, system_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(renter)?;
    loaders::writable(renter)?;
    loaders::signer(lease)?;
    loaders::signer(escrow)?;
    loaders::writable(renter_tokens)?;
    loaders::writable(treasury)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    loaders::uninitialized(escrow)?;
    loaders::distinct(lease, escrow)?;

    let m = loaders::load::<Market>(market, &ID)?;
    if lease_authority.address() != &m.lease_authority {
        return Err(CoreError::WrongPda.into());
    }
    let (stable, expected_treasury) = if payment_mint.address() == &m.network_mint {
        (false, m.network_treasury)
    } else if payment_mint.address() == &m.stable_mint {
        (true, m.stable_treasury)
    } else {
        return Err(LeaseError::MintNotAccepted.into());
    };
    if treasury.address() != &expected_treasury {
        return Err(LeaseError::WrongTreasury.into());
    }
    loaders::token_account(renter_tokens, payment_mint.address(), Some(renter.address()))?;

    let (gpus, hours, price, max_devices) = (args.gpu_count.get(), args.hours.get(), args.price_per_gpu_hour.get(), args.max_devices.get());
    if gpus == 0 || hours == 0 || price == 0 || max_devices == 0 || max_devices > MAX_SLOTS || max_devices as u32 > gpus {
        return Err(LeaseError::InvalidLeaseParams.into());
    }
    let per_hour = hourglass_core::math::checked_mul(price, gpus as u64).ok_or(LeaseError::LeaseOverflow)?;
    let principal = hourglass_core::math::checked_mul(per_hour, hours as u64).ok_or(LeaseError::LeaseOverflow)?;
    let fee_bps = m.renter_fee_bps.get() + if stable { m.stable_surcharge_bps.get() } else { 0 };
    let fee = mul_div_floor(principal, fee_bps as u64, BPS).ok_or(CoreError::Overflow)?;
    let start = now()?;

    if lease.data_len() != lease_len(max_devices) {
        return Err(CoreError::WrongLength.into());
    }
    NewAccount { payer: renter, account: escrow, space: loaders::TOKEN_ACCOUNT_LEN, owner: &pinocchio_token::ID }.create(&[])?;
    initialize_token_account(escrow, payment_mint, lease_authority.address())?;
    TokenTransfer { from: renter_tokens, to: escrow, authority: renter, amount: principal }.invoke()?;
    TokenTransfer { from: renter_tokens, to: treasury, authority: renter, amount: fee }.invoke()?;

    let lease_address = *lease.address();
    let mut data = loaders::init_with_tail::<Lease, Slot>(lease, &ID)?;
    let (l, _) = loaders::split_with_tail::<Lease, Slot>(&mut data);
    l.renter = *renter.address();
    l.payment_mint = *payment_mint.address();
    l.escrow = *escrow.address();
    l.treasury = expected_treasury;
    l.gpu_model = args.gpu_model;
    l.max_devices = args.max_devices;
    l.gpu_count = args.gpu_count;
    l.hours_booked = args.hours;
    l.renter_fee_bps = PodU16::new(fee_bps);
    l.supplier_fee_bps = m.supplier_fee_bps;
    l.fault_slash_bps = m.fault_slash_bps;
    l.status = lease_status::ACTIVE;
    l.stable = PodBool::new(stable);
    l.authority_bump = m.authority_bump;
    l.lease_authority = m.lease_authority;
    l.price_per_gpu_hour = args.price_per_gpu_hour;
    l.hour_length = m.hour_length;
    l.grace_period = m.grace_period;
    l.origin = PodI64::new(start);
    l.created_at = PodI64::new(start);
    l.principal = PodU64::new(principal);
    l.renter_fees = PodU64::new(fee);

    LeaseCreated {
        lease: lease_address,
        renter: l.renter,
        payment_mint: l.payment_mint,
        gpu_model: l.gpu_model,
        gpu_count: PodU32::new(gpus),
        hours: PodU32::new(hours),
        price_per_gpu_hour: l.price_per_gpu_hour,
        principal: l.principal,
        renter_fee: l.renter_fees,
        origin: l.origin,
    }
    .emit();
    Ok(())
}
