//! `set_paused`: the authority stops or restarts emissions. While paused the hour clock stands still
//! (on resume the start shifts by the pause), cranks are refused, and accrued rewards stay claimable.

use hourglass_core::error::CoreError;
use hourglass_core::event::Event;
use hourglass_core::loaders;
use hourglass_core::pod::{PodBool, PodI64, PodU32};
use hourglass_core::{AccountView, ProgramResult};

use super::now;
use crate::interface::error::RewardsError;
use crate::interface::events::PoolPaused;
use crate::interface::instruction::SetPausedArgs;
use crate::interface::state::Pool;
use crate::ID;

pub fn process(accounts: &mut [AccountView], args: &SetPausedArgs) -> ProgramResult {
    let [authority, pool, ..] = accounts else {
        return Err(CoreError::NotEnoughAccounts.into());
    };
    loaders::signer(authority)?;
    let now = now()?;
    let mut p = loaders::load_mut::<Pool>(pool, &ID)?;
    if &p.authority != authority.address() {
        return Err(RewardsError::NotPoolAuthority.into());
    }
    let paused = p.paused_at.get() != 0;
    if args.paused.get() == paused {
        return Err(RewardsError::AlreadyPaused.into());
    }
    if args.paused.get() {
        p.paused_at = PodI64::new(now);
    } else {
        let shift = now.checked_sub(p.paused_at.get()).ok_or(CoreError::Overflow)?;
        p.start_time = PodI64::new(p.start_time.get().checked_add(shift).ok_or(CoreError::Overflow)?);
        p.paused_at = PodI64::new(0);
    }
    PoolPaused { paused: PodBool::new(args.paused.get()), hour: PodU32::new(p.clock_hour(now)) }.emit();
    Ok(())
}
