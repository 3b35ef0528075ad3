//! `initialize_market`: creates the Market with its accepted mints, treasuries, fee rates, hour length
//! and grace period, and records the lease authority PDA's bump. It also creates the network fee vault
//! (PDA `["network_treasury"]`, a token account of the network mint whose token authority is the
//! Market), so network-token fees collect where no key can move them and `burn_fees` can burn them.
//! The stable treasury stays an account the market authority names: stable fees are not burned.

use hourglass_core::cpi::NewAccount;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};

use crate::interface::error::LeaseError;
use crate::interface::events::MarketInitialized;
use crate::interface::instruction::InitializeMarketArgs;
use crate::interface::seeds;
use crate::interface::state::{Market, BPS};
use crate::ID;

const MAX_HOUR: i64 = 86_400;
const MAX_GRACE: i64 = 7 * 86_400;

pub fn process(accounts: &mut [AccountView], args: &InitializeMarketArgs) -> ProgramResult {
    let [authority, market, network_mint, stable_mint, network_treasury, stable_treasury, lease_authority, system_program, token_program, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    loaders::writable(authority)?;
    loaders::writable(market)?;
    loaders::writable(network_treasury)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    loaders::uninitialized(market)?;
    loaders::uninitialized(network_treasury)?;
    let bump = loaders::canonical_pda(market, &[seeds::MARKET], &ID)?;
    let authority_bump = loaders::canonical_pda(lease_authority, &[seeds::LEASE_AUTHORITY], &ID)?;
    let treasury_bump = loaders::canonical_pda(network_treasury, &[seeds::NETWORK_TREASURY], &ID)?;
    loaders::mint_decimals(network_mint)?;
    loaders::mint_decimals(stable_mint)?;
    loaders::distinct(network_mint, stable_mint)?;
    loaders::token_account(stable_treasury, stable_mint.address(), None)?;
    for bps in [args.renter_fee_bps, args.supplier_fee_bps, args.stable_surcharge_bps, args.fault_slash_bps] {
        if bps.get() as u64 > BPS {
            return Err(LeaseError::InvalidFee.into());
        }
    }
    if args.renter_fee_bps.get() as u64 + args.stable_surcharge_bps.get() as u64 > BPS {
        return Err(LeaseError::InvalidFee.into());
    }
    if !(1..=MAX_HOUR).contains(&args.hour_length.get()) {
        return Err(LeaseError::InvalidHourLength.into());
    }
    if !(0..=MAX_GRACE).contains(&args.grace_period.get()) {
        return Err(LeaseError::InvalidGracePeriod.into());
    }

    let bump_seed = [bump];
    let signer_seeds = [Seed::from(seeds::MARKET), Seed::from(&bump_seed)];
    NewAccount { payer: authority, account: market, space: Market::LEN, owner: &ID }.create_pda(&Signer::from(&signer_seeds))?;
    let treasury_bump_seed = [treasury_bump];
    let treasury_seeds = [Seed::from(seeds::NETWORK_TREASURY), Seed::from(&treasury_bump_seed)];
    NewAccount { payer: authority, account: network_treasury, space: loaders::TOKEN_ACCOUNT_LEN, owner: &pinocchio_token::ID }
        .create_pda(&Signer::from(&treasury_seeds))?;
    hourglass_core::cpi::initialize_token_account(network_treasury, network_mint, market.address())?;
    let mut m = loaders::init::<Market>(market, &ID)?;
    m.authority = *authority.address();
    m.network_mint = *network_mint.address();
    m.stable_mint = *stable_mint.address();
    m.network_treasury = *network_treasury.address();
    m.stable_treasury = *stable_treasury.address();
    m.grace_period = args.grace_period;
    m.hour_length = args.hour_length;
    m.renter_fee_bps = args.renter_fee_bps;
    m.supplier_fee_bps = args.supplier_fee_bps;
    m.stable_surcharge_bps = args.stable_surcharge_bps;
    m.fault_slash_bps = args.fault_slash_bps;
    m.bump = bump;
    m.authority_bump = authority_bump;
    m.treasury_bump = treasury_bump;
    m.lease_authority = *lease_authority.address();

    MarketInitialized {
        authority: m.authority,
        network_mint: m.network_mint,
        stable_mint: m.stable_mint,
        hour_length: m.hour_length,
        grace_period: m.grace_period,
    }
    .emit();
    Ok(())
}
