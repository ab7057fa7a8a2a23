//! The `lumbung` command: a thin bootstrap over the `lumbung` library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lumbung::cli::Cli::parse();
    lumbung::logging::init(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(lumbung::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
