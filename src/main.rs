//! The `liaison` binary: parses the command line and hands over to [`liaison::cli`].

fn main() -> std::process::ExitCode {
    liaison::cli::main()
}
