export const USAGE = `jwt-conformance: the JWT backend conformance suite, black-box over HTTP.

usage:
  jwt-conformance --cmd "node server.js" [options]    start the backend with this command, run every case
  jwt-conformance --config conformance.config.json    the same, with the backend described in a file
  jwt-conformance --url http://127.0.0.1:8080         a backend you start yourself (the env to give it is
                                                      printed); only the cases that need no restart
  jwt-conformance --matrix [--profile P]              the saved runs (CONFORMANCE_RESULTS_DIR), case x target
  jwt-conformance --list                              every case, by group and theme

options:
  --config FILE       the backend's settings (default: ./conformance.config.json when it exists)
  --cmd COMMAND       how to start it (run by sh -c); it gets PORT and the JWT_* variables
  --cwd DIR           where to run it (default: the config file's folder, else here)
  --name NAME         its column heading (default: the config's name, else "backend")
  --algorithms LIST   the algorithms it verifies, comma-separated (default RS256)
  --profile P         security | contract: which verdict counts (default contract)
  --filter TEXT       only the cases whose group/id contains TEXT
  --json FILE         also write the run as JSON ("-": to stdout, the report then goes to stderr)
  --junit FILE        also write JUnit XML
  --verbose           every failed expectation, not only the first
  --issuer-port N     with --url: the mock issuer's port (default 4000)
  --help              this text

exit codes: 0 every case ok or not applicable, 1 a case failed, 2 a usage error`;

/** A usage error: one line, then the usage, exit code 2. */
export class UsageError extends Error {}
