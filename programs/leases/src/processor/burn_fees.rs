//! `burn_fees`: anyone burns every network-token fee the market collected. The network fee vault's
//! token authority is the Market PDA and no instruction but this one signs for it, so the balance can
//! only ever leave by being burned; the Market records the running total. Stable-mint fees go to the
//! stable treasury, an account of the market authority, and are never burned here.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::PodU64;
use hourglass_core::syscalls::{Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};
use pinocchio_token::instructions::Burn;

use crate::interface::error::LeaseError;
use crate::interface::events::FeesBurned;
use crate::interface::seeds;
use crate::interface::state::Market;
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [caller, market, network_treasury, network_mint, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(caller)?;
    loaders::writable(network_treasury)?;
    loaders::writable(network_mint)?;
    loaders::program(token_program, &pinocchio_token::ID)?;
    let market_address = *market.address();
    let (amount, total, bump, mint) = {
        let mut m = loaders::load_mut::<Market>(market, &ID)?;
        if network_treasury.address() != &m.network_treasury {
            return Err(LeaseError::WrongTreasury.into());
        }
        if network_mint.address() != &m.network_mint {
            return Err(LeaseError::NotNetworkMint.into());
        }
        // The vault was created by initialize_market at the recorded address with the Market as its
        // token authority; reading it checks it is still an initialised (not frozen) account of the mint.
        let amount = loaders::token_account(network_treasury, &m.network_mint, Some(&market_address))?.amount;
        if amount == 0 {
            return Err(LeaseError::NothingToBurn.into());
        }
        let total = m.total_burned.get().checked_add(amount).ok_or(CoreError::Overflow)?;
        m.total_burned = PodU64::new(total);
        (amount, total, m.bump, m.network_mint)
    };
    let bump_seed = [bump];
    let signer_seeds = [Seed::from(seeds::MARKET), Seed::from(&bump_seed)];
    Burn::new(network_treasury, network_mint, market, amount).invoke_signed(&[Signer::from(&signer_seeds)])?;
    FeesBurned { mint, amount: PodU64::new(amount), total_burned: PodU64::new(total) }.emit();
    Ok(())
}
