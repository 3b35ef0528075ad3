//! `set_authority`: hands the config authority over; the current and the next authority both sign, so
//! the authority can never move to a key nobody holds.

use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::{AccountView, ProgramResult};

use super::load_config_for_authority;
use crate::interface::events::AuthorityChanged;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [authority, new_authority, config, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(new_authority)?;
    let mut config = load_config_for_authority(config, authority)?;
    let previous = config.authority;
    config.authority = *new_authority.address();
    AuthorityChanged { previous, authority: config.authority }.emit();
    Ok(())
}
