//! `cancel_slash`: the config authority withdraws a proposal that has not been executed; its rent
//! comes back to the authority.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::{AccountView, ProgramResult};

use super::{load_config, require_authority};
use crate::interface::events::SlashCancelled;
use crate::interface::state::SlashProposal;
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [authority, config, proposal, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    loaders::writable(authority)?;
    require_authority(&*load_config(config)?, authority)?;
    let event = {
        let p = loaders::load::<SlashProposal>(proposal, &ID)?;
        SlashCancelled { device: p.device, proposal: *proposal.address(), bps: p.bps, reason: p.reason }
    };
    loaders::close(proposal, authority)?;
    event.emit();
    Ok(())
}
