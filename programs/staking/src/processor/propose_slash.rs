//! `propose_slash`: the config authority proposes taking `bps` of every stake on a device, for a
//! recorded reason. The proposal is a PDA `["slash_proposal", device]` (one open proposal per device);
//! `execute_slash` may take it once the Config's slash delay has passed, which is shorter than the
//! unbonding period, so the stake it targets cannot leave first. It must fit the per-event bound and,
//! as things stand now, the bound on everything slashed from the device within one unbonding period.

use hourglass_core::cpi::NewAccount;
use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders::{self, AccountType};
use hourglass_core::pod::PodI64;
use hourglass_core::syscalls::{self, Seed, Signer};
use hourglass_core::{AccountView, ProgramResult};

use super::{check_slash_terms, load_config, require_authority};
use crate::interface::error::StakingError;
use crate::interface::events::SlashProposed;
use crate::interface::instruction::SlashArgs;
use crate::interface::seeds;
use crate::interface::state::{Device, SlashProposal};
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &SlashArgs) -> ProgramResult {
    let [authority, config, device, proposal, system_program, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    loaders::writable(authority)?;
    loaders::writable(proposal)?;
    loaders::program(system_program, &pinocchio_system::ID)?;
    let now = syscalls::clock()?.unix_timestamp;
    let executable_at = {
        let state = load_config(config)?;
        require_authority(&state, authority)?;
        check_slash_terms(&state, args.bps.get(), args.reason)?;
        let d = loaders::load::<Device>(device, &ID)?;
        d.slash_window_room(now, state.unbonding_period.get(), args.bps.get(), state.max_slash_bps.get()).ok_or(StakingError::SlashOverTotalBound)?;
        now.checked_add(state.slash_delay.get()).ok_or(CoreError::Overflow)?
    };
    loaders::uninitialized(proposal)?;
    let device_address = *device.address();
    let bump = loaders::canonical_pda(proposal, &[seeds::SLASH_PROPOSAL, device_address.as_ref()], &ID)?;
    let bump_seed = [bump];
    let signer_seeds = [Seed::from(seeds::SLASH_PROPOSAL), Seed::from(device_address.as_ref()), Seed::from(&bump_seed)];
    NewAccount { payer: authority, account: proposal, space: SlashProposal::LEN, owner: &ID }.create_pda(&Signer::from(&signer_seeds))?;
    let proposal_address = *proposal.address();
    let mut p = loaders::init::<SlashProposal>(proposal, &ID)?;
    p.device = device_address;
    p.authority = *authority.address();
    p.proposed_at = PodI64::new(now);
    p.executable_at = PodI64::new(executable_at);
    p.bps = args.bps;
    p.reason = args.reason;
    p.bump = bump;
    SlashProposed {
        device: device_address,
        proposal: proposal_address,
        authority: *authority.address(),
        bps: args.bps,
        reason: args.reason,
        executable_at: PodI64::new(executable_at),
    }
    .emit();
    Ok(())
}
