// What a training run reports while it works, for progress displays (the CLI prints these on stderr).
// Long phases report repeatedly: reading every 100k lines per file, unigram EM after each sub-iteration
// and pruning round, BPE every 100 merges.

export type TrainProgress =
  | { readonly phase: 'read'; readonly file: string; readonly lines: number }
  | { readonly phase: 'normalize'; readonly sentences: number }
  | { readonly phase: 'alphabet'; readonly characters: number; readonly coverage: number; readonly sentences: number }
  | { readonly phase: 'charsmap'; readonly name: string }
  | { readonly phase: 'seeds'; readonly step: 'start' | 'suffix-array' | 'substrings' | 'done'; readonly count: number }
  | { readonly phase: 'lattices'; readonly words: number; readonly edges: number }
  | { readonly phase: 'em'; readonly round: number; readonly iteration: number; readonly pieces: number; readonly objective: number }
  | { readonly phase: 'prune'; readonly round: number; readonly pieces: number }
  | { readonly phase: 'bpe'; readonly merges: number; readonly target: number; readonly frequency: number }
  | { readonly phase: 'done'; readonly pieces: number; readonly seconds: number };

/** One line describing a progress event. */
export function formatProgress(event: TrainProgress): string {
  switch (event.phase) {
    case 'read':
      return `reading ${event.file}: ${event.lines} lines`;
    case 'normalize':
      return `normalizing ${event.sentences} sentences`;
    case 'alphabet':
      return `alphabet: ${event.characters} characters cover ${(100 * event.coverage).toFixed(3)}% of ${event.sentences} sentences`;
    case 'charsmap':
      return `building the ${event.name} normalization rules`;
    case 'seeds':
      return event.step === 'start'
        ? `seed pieces: ${event.count} sentences`
        : event.step === 'suffix-array'
          ? `seed pieces: suffix array of ${event.count} characters`
          : event.step === 'substrings'
            ? `seed pieces: ${event.count} candidate substrings`
            : `seed pieces: ${event.count}`;
    case 'lattices':
      return `lattices: ${event.words} words, ${event.edges} piece occurrences`;
    case 'em':
      return `EM round ${event.round} sub-iteration ${event.iteration}: ${event.pieces} pieces, objective ${event.objective.toFixed(4)}`;
    case 'prune':
      return `pruned to ${event.pieces} pieces`;
    case 'bpe':
      return `BPE: ${event.merges}/${event.target} merges (last frequency ${event.frequency})`;
    case 'done':
      return `done: ${event.pieces} pieces in ${event.seconds.toFixed(1)} s`;
  }
}
