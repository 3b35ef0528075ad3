//! `execute_slash`: once a proposal's delay has passed, the config authority takes its `bps` of every
//! stake on the device (supplier and co-stakers, active and unbonding, pro rata) into the treasury.
//! Everything executed against one device within any stretch of one unbonding period stays within
//! `max_slash_bps` (the window closes only after a full unbonding period without an execution). The
//! proposal is closed, so it cannot run twice.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodI64, PodU16, PodU64};
use hourglass_core::syscalls;
use hourglass_core::{AccountView, ProgramResult};

use super::{check_slash, load_config, require_authority, slash_device, SlashTarget};
use crate::interface::error::StakingError;
use crate::interface::events::SlashExecuted;
use crate::interface::state::{Device, SlashProposal};
use crate::ID;

pub fn process(accounts: &mut [AccountView]) -> ProgramResult {
    let [authority, config, device, proposal, stake_vault, treasury, token_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    loaders::writable(authority)?;
    let now = syscalls::clock()?.unix_timestamp;
    let device_address = *device.address();
    let (bps, reason, bump) = {
        let p = loaders::load::<SlashProposal>(proposal, &ID)?;
        let mut d = loaders::load_mut::<Device>(device, &ID)?;
        // The proposal is for this device as registered when it was made, not for a later registration
        // of the same key.
        if p.device != device_address || d.registered_at.get() > p.proposed_at.get() {
            return Err(StakingError::WrongProposal.into());
        }
        if now < p.executable_at.get() {
            return Err(StakingError::SlashNotExecutable.into());
        }
        let (bps, reason) = (p.bps.get(), p.reason);
        let state = load_config(config)?;
        require_authority(&state, authority)?;
        check_slash(&state, bps, reason, stake_vault, treasury, token_program)?;
        let used = d.slash_window_room(now, state.unbonding_period.get(), bps, state.max_slash_bps.get()).ok_or(StakingError::SlashOverTotalBound)?;
        d.last_slash_at = PodI64::new(now);
        d.slash_window_bps = PodU16::new(used);
        (bps, reason, state.bump)
    };
    let amount = slash_device(SlashTarget { device, stake_vault, treasury, config, bump }, bps, reason, authority.address())?;
    let proposal_address = *proposal.address();
    loaders::close(proposal, authority)?;
    SlashExecuted { device: device_address, proposal: proposal_address, bps: PodU16::new(bps), reason, amount: PodU64::new(amount) }.emit();
    Ok(())
}
