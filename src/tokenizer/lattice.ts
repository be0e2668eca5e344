// The unigram lattice of SentencePiece's unigram_model.cc, for n-best and sampling: nodes over character
// positions, Viterbi, the forward algorithm, A* n-best (with the C++ agenda, a libstdc++ binary heap, so
// ties pop in the same order) and forward-filtering backward-sampling. Scores are float32 as in the C++
// (every sum rounded with Math.fround).

const fround = Math.fround;

/** One partial path of the A* search, from some node to EOS. */
interface Hypothesis {
  readonly node: number;
  readonly next: Hypothesis | null;
  /** Priority: gx plus the best score from BOS to `node`. */
  readonly fx: number;
  /** Score from `node` to EOS. */
  readonly gx: number;
}

/** A path through the lattice (node indices, BOS and EOS excluded) and its score. */
export interface LatticePath {
  readonly nodes: readonly number[];
  readonly score: number;
}

export const BOS = 0;
export const EOS = 1;

/** log(exp(x) + exp(y)) in float32, as the C++ LogSumExp (y alone when `init`). */
function logSumExp(x: number, y: number, init: boolean): number {
  if (init) return y;
  const vmin = Math.min(x, y);
  const vmax = Math.max(x, y);
  if (vmax > fround(vmin + 50)) return vmax;
  return fround(vmax + Math.log(Math.exp(fround(vmin - vmax)) + 1));
}

/** Index drawn with probability proportional to weights[i] (std::discrete_distribution with `rand`). */
export function pickIndex(weights: readonly number[], rand: () => number): number {
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) return 0;
  let r = rand() * total;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i]! <= 0) continue;
    last = i;
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return last;
}

// The agenda: a max-heap on fx with libstdc++'s push_heap / pop_heap moves.
function siftUp(heap: Hypothesis[], hole: number, top: number, value: Hypothesis): void {
  let parent = (hole - 1) >> 1;
  while (hole > top && heap[parent]!.fx < value.fx) {
    heap[hole] = heap[parent]!;
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  heap[hole] = value;
}

function heapPush(heap: Hypothesis[], value: Hypothesis): void {
  heap.push(value);
  siftUp(heap, heap.length - 1, 0, value);
}

function heapPop(heap: Hypothesis[]): Hypothesis {
  const top = heap[0]!;
  const len = heap.length - 1;
  if (len > 0) {
    const value = heap[len]!;
    let hole = 0;
    let child = 0;
    while (child < Math.floor((len - 1) / 2)) {
      child = 2 * (child + 1);
      if (heap[child]!.fx < heap[child - 1]!.fx) child--;
      heap[hole] = heap[child]!;
      hole = child;
    }
    if ((len & 1) === 0 && child === (len - 2) / 2) {
      child = 2 * (child + 1);
      heap[hole] = heap[child - 1]!;
      hole = child - 1;
    }
    siftUp(heap, hole, 0, value);
  }
  heap.length = len;
  return top;
}

/** The C++ agenda limits: past MAX hypotheses it keeps the best min(MIN, 10 n). */
const MAX_AGENDA = 10_000;
const MIN_AGENDA = 512;

export class Lattice {
  /** Characters in the sentence. */
  readonly size: number;
  /** Byte offset of each character position (size + 1 entries). */
  readonly surface: Int32Array;
  // Nodes, by index: BOS = 0, EOS = 1, then inserted pieces.
  readonly ids: number[] = [-1, -1];
  readonly pos: number[];
  readonly lengths: number[] = [0, 0];
  readonly scores: number[] = [0, 0];
  private readonly backtrace: number[] = [0, 0];
  private readonly prev: number[] = [-1, -1];
  readonly beginNodes: number[][];
  readonly endNodes: number[][];

  /** A lattice over normalized[0, length), with characters split as OneCharLen does. */
  constructor(surface: Int32Array) {
    this.surface = surface;
    this.size = surface.length - 1;
    this.pos = [0, this.size];
    this.beginNodes = Array.from({ length: this.size + 1 }, () => []);
    this.endNodes = Array.from({ length: this.size + 1 }, () => []);
    this.endNodes[0]!.push(BOS);
    this.beginNodes[this.size]!.push(EOS);
  }

  /** Adds a node for piece `id` over characters [pos, pos + length) with a float32 score. */
  insert(pos: number, length: number, id: number, score: number): number {
    const node = this.ids.length;
    this.ids.push(id);
    this.pos.push(pos);
    this.lengths.push(length);
    this.scores.push(fround(score));
    this.backtrace.push(0);
    this.prev.push(-1);
    this.beginNodes[pos]!.push(node);
    this.endNodes[pos + length]!.push(node);
    return node;
  }

  /** Byte offsets [start, end) of a node's piece. */
  byteStart(node: number): number {
    return this.surface[this.pos[node]!]!;
  }

  byteEnd(node: number): number {
    return this.surface[this.pos[node]! + this.lengths[node]!]!;
  }

  /** The best path (the C++ Lattice::Viterbi; ties keep the earliest-inserted left node). */
  viterbi(): LatticePath {
    for (let p = 0; p <= this.size; p++) {
      for (const r of this.beginNodes[p]!) {
        let best = -1;
        let bestScore = 0;
        for (const l of this.endNodes[p]!) {
          const s = fround(this.backtrace[l]! + this.scores[r]!);
          if (best < 0 || s > bestScore) {
            best = l;
            bestScore = s;
          }
        }
        if (best < 0) throw new Error(`lattice: no path reaches character ${p}`);
        this.prev[r] = best;
        this.backtrace[r] = bestScore;
      }
    }
    const nodes: number[] = [];
    for (let n = this.prev[EOS]!; this.prev[n]! >= 0; n = this.prev[n]!) nodes.push(n);
    nodes.reverse();
    return { nodes, score: this.backtrace[EOS]! };
  }

  /** Forward log-marginals (alpha) of every node, with scores scaled by `invTheta`. */
  forward(invTheta: number): Float32Array {
    const alpha = new Float32Array(this.ids.length);
    const theta = fround(invTheta);
    for (let p = 0; p <= this.size; p++) {
      const ends = this.endNodes[p]!;
      for (const r of this.beginNodes[p]!) {
        for (let k = 0; k < ends.length; k++) {
          const l = ends[k]!;
          alpha[r] = logSumExp(alpha[r]!, fround(fround(theta * this.scores[l]!) + alpha[l]!), k === 0);
        }
      }
    }
    return alpha;
  }

  /** The n best paths, best first (A* from EOS with Viterbi scores as the exact heuristic). */
  nbest(n: number): LatticePath[] {
    if (n < 1) return [];
    if (n === 1) return [this.viterbi()];
    this.viterbi();
    const results: LatticePath[] = [];
    let agenda: Hypothesis[] = [];
    heapPush(agenda, { node: EOS, next: null, fx: this.backtrace[EOS]!, gx: 0 });
    while (agenda.length > 0) {
      const top = heapPop(agenda);
      if (top.node === BOS) {
        const nodes: number[] = [];
        for (let h = top.next; h !== null && h.next !== null; h = h.next) nodes.push(h.node);
        results.push({ nodes, score: top.fx });
        if (results.length === n) break;
        continue;
      }
      for (const l of this.endNodes[this.pos[top.node]!]!) {
        heapPush(agenda, {
          node: l,
          next: top,
          gx: fround(this.scores[l]! + top.gx),
          fx: fround(this.backtrace[l]! + top.gx),
        });
      }
      if (agenda.length >= MAX_AGENDA) {
        const keep = Math.min(MIN_AGENDA, n * 10);
        const kept: Hypothesis[] = [];
        for (let i = 0; i < keep; i++) heapPush(kept, heapPop(agenda));
        agenda = kept;
      }
    }
    return results;
  }

  /** One path drawn from the distribution with scores scaled by `invTheta` (forward-filtering backward-sampling). */
  sample(invTheta: number, rand: () => number): number[] {
    if (this.size === 0) return [];
    const alpha = this.forward(invTheta);
    const theta = fround(invTheta);
    const nodes: number[] = [];
    const weights: number[] = [];
    let z = alpha[EOS]!;
    let node = EOS;
    for (;;) {
      const ends = this.endNodes[this.pos[node]!]!;
      weights.length = 0;
      for (const l of ends) weights.push(Math.exp(fround(fround(alpha[l]! + fround(theta * this.scores[l]!)) - z)));
      node = ends[pickIndex(weights, rand)]!;
      if (node === BOS) break;
      z = alpha[node]!;
      nodes.push(node);
    }
    nodes.reverse();
    return nodes;
  }
}
