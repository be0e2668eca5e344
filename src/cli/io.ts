// Where CLI commands write, and the shape of a command module.
// Commands never touch process.stdout/stderr directly: they write through a CliIo, so tests can run
// the whole program in-process and read what it printed.

import type { Command } from 'commander';

/** Text sinks for a command's output; each call writes the text as given (add the newline yourself). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/**
 * A command module adds its command (and any subcommands) to the program.
 * Register with `program.command(...)` so the command inherits the program's output and exit settings.
 */
export type RegisterCommand = (program: Command, io: CliIo) => void;
