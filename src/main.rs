//! The talentbridge binary: `serve` (default), `import`, `export`, `bench`, `intake`, `token`.

use clap::Parser;
use talentbridge::config::{Cli, Command, ServeArgs};
use talentbridge::startup::Application;

fn serve(args: ServeArgs) -> talentbridge::Result<()> {
    talentbridge::telemetry::init(args.log_format);
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&args)?;
        tracing::info!(addr = %args.addr, port = app.port(), data_dir = %args.data_dir.display(), "talentbridge listening");
        app.run_until_stopped().await
    })
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Import(args)) => talentbridge::cli::import(&args),
        Some(Command::Export(args)) => talentbridge::cli::export(&args),
        Some(Command::Bench(args)) => talentbridge::bench::run(&args),
        Some(Command::Intake(args)) => talentbridge::cli::intake(&args),
        Some(Command::Token(args)) => talentbridge::cli::token(&args),
    };
    if let Err(e) = result {
        eprintln!("talentbridge: {e}");
        std::process::exit(1);
    }
}
