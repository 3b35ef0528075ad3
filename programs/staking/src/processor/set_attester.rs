//! `set_attester`: adds or removes an attester (an orchestrator operator key that submits time proofs).

use hourglass_core::event::Event;
use hourglass_core::pod::PodBool;
use hourglass_core::{AccountView, Address, ProgramResult};

use super::load_config_for_authority;
use crate::interface::error::StakingError;
use crate::interface::events::AttesterSet;
use crate::interface::instruction::SetAttesterArgs;
use crate::interface::state::MAX_ATTESTERS;

pub fn process(accounts: &mut [AccountView], args: &SetAttesterArgs) -> ProgramResult {
    let [authority, config, ..] = accounts else {
        return Err(hourglass_core::error::CoreError::NotEnoughAccounts.into());
    };
    let mut config = load_config_for_authority(config, authority)?;
    let count = config.attester_count as usize;
    let position = config.attesters[..count].iter().position(|a| a == &args.attester);
    if args.enabled.get() {
        if position.is_some() {
            return Err(StakingError::DuplicateAttester.into());
        }
        if count >= MAX_ATTESTERS {
            return Err(StakingError::TooManyAttesters.into());
        }
        config.attesters[count] = args.attester;
        config.attester_count += 1;
    } else {
        let Some(i) = position else {
            return Err(StakingError::UnknownAttester.into());
        };
        // Keep the set dense: move the last attester into the freed slot.
        config.attesters[i] = config.attesters[count - 1];
        config.attesters[count - 1] = Address::new_from_array([0; 32]);
        config.attester_count -= 1;
    }
    AttesterSet { attester: args.attester, enabled: PodBool::new(args.enabled.get()), attester_count: config.attester_count }.emit();
    Ok(())
}
