//! `talentbridge token create|list|revoke`: named operator tokens on a stopped service's data
//! directory. A token is printed once, on standard output; only its hash is stored.

use crate::config::{TokenAction, TokenArgs};
use crate::domain::TokenName;
use crate::engine::{create_operator_token, operator_tokens, revoke_operator_token, CLI_ACTOR};
use crate::error::{Error, Result};
use crate::store::Store;

fn name(raw: &str) -> Result<TokenName> {
    TokenName::parse(raw).map_err(Error::BadParameter)
}

/// Runs one `token` subcommand.
pub fn token(args: &TokenArgs) -> Result<()> {
    let store = Store::open(&args.data_dir)?;
    match &args.action {
        TokenAction::Create { name: raw } => {
            let (token, record) = create_operator_token(&store, name(raw)?, CLI_ACTOR)?;
            println!("{token}");
            eprintln!(
                "operator token {} created; it is stored hashed and shown only this once",
                record.name
            );
        }
        TokenAction::List => {
            println!("{:<24} {:<26} revoked_at", "name", "created_at");
            println!(
                "{:<24} {:<26} -",
                TokenName::DEFAULT_OPERATOR,
                "(TALENTBRIDGE_OPERATOR_TOKEN or generated)"
            );
            for t in operator_tokens(&store)? {
                let revoked = t.revoked_at.map_or_else(|| "-".to_string(), |at| at.to_rfc3339());
                println!("{:<24} {:<26} {revoked}", t.name, t.created_at.to_rfc3339());
            }
        }
        TokenAction::Revoke { name: raw } => {
            let name = name(raw)?;
            if name.as_str() == TokenName::DEFAULT_OPERATOR {
                return Err(Error::BadParameter(
                    "the default operator token is TALENTBRIDGE_OPERATOR_TOKEN (change the variable) or the one \
                     generated at first start; create named tokens instead and stop using it"
                        .into(),
                ));
            }
            if revoke_operator_token(&store, &name, CLI_ACTOR)? {
                eprintln!("operator token {name} revoked");
            } else {
                eprintln!("operator token {name} was already revoked");
            }
        }
    }
    Ok(())
}
