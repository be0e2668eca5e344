// What an inference worker does with the jobs it is sent. Greedy and sampling requests join the
// worker's continuous batch; beam search runs as its own batch (generation's beamSearch over modelStep,
// stopped between steps when cancelled); scoring is one teacher-forced forward pass. Every job ends
// with one final message (worker-protocol.ts); streamed jobs send text deltas after each step.

import { chooser, generate, rowsPerSource } from '../generation/generate.js';
import { modelStep, type HostCache } from '../generation/model-step.js';
import { scoreTargets } from '../generation/score.js';
import type { Step } from '../generation/step.js';
import { cutAtStopString } from '../generation/stopping.js';
import type { AnySeq2Seq } from '../models/compiled.js';
import { BatchCache } from './batch-cache.js';
import { ContinuousBatch, type BatchJob } from './continuous-batch.js';
import type { DecodeEngine } from './decode-engine.js';
import { DecodingRow } from './decoding-row.js';
import { OutputText, tokenTexts } from './output-text.js';
import type { ServedModel } from './served-model.js';
import type { FromWorker, GenerateJob, ScoreJob, SequenceOutput, StreamDelta, ToWorker } from './worker-protocol.js';

/** Thrown into a beam search whose job was cancelled. */
class JobCancelled extends Error {}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class InferenceService {
  readonly #served: ServedModel;
  readonly #model: AnySeq2Seq;
  readonly #engine: DecodeEngine;
  readonly #batch: ContinuousBatch;
  readonly #post: (message: FromWorker) => void;
  /** Cancels each running job. */
  readonly #cancels = new Map<number, () => void>();

  constructor(served: ServedModel, model: AnySeq2Seq, engine: DecodeEngine, post: (message: FromWorker) => void) {
    this.#served = served;
    this.#model = model;
    this.#engine = engine;
    this.#batch = new ContinuousBatch(engine);
    this.#post = post;
  }

  /** Runs the encoder and one decoding step once, so the first request does not pay for preparing the graphs. */
  async warmUp(): Promise<void> {
    const source = [this.#served.eosId];
    await this.#engine.step([this.#served.startId], new BatchCache(await this.#engine.encode([source]), [0]));
  }

  /** Starts or cancels a job; a job that cannot start (options the HTTP side should have refused) fails alone. */
  handle(message: ToWorker): void {
    try {
      switch (message.kind) {
        case 'generate':
          if ((message.options.numBeams ?? 1) > 1) void this.#beam(message);
          else this.#decode(message);
          return;
        case 'score':
          void this.#score(message);
          return;
        case 'cancel':
          this.#cancels.get(message.id)?.();
          return;
      }
    } catch (error) {
      if (message.kind !== 'cancel') this.#post({ kind: 'failed', id: message.id, message: messageOf(error) });
    }
  }

  /** A greedy or sampling job through the continuous batch. */
  #decode(job: GenerateJob): void {
    const { decode } = this.#served;
    const perSource = rowsPerSource(job.options);
    const choose = chooser(job.options);
    const rows = job.sources.flatMap((_, s) =>
      Array.from({ length: perSource }, (_, j) => ({ source: s, row: new DecodingRow(job.options, choose, s * perSource + j, decode, job.topLogprobs) })),
    );
    const texts = rows.map(() => new OutputText(decode, job.options.stopStrings ?? []));
    const reported = rows.map(() => ({ ended: false, tokens: 0 }));
    let cancelled = false;
    const onStep = () => {
      const deltas: StreamDelta[] = [];
      rows.forEach(({ row }, index) => {
        const seen = reported[index]!;
        if (seen.ended) return;
        const text = texts[index]!.next(row.generated, row.ended);
        const logprobs = job.topLogprobs === null ? null : tokenTexts(decode, row.logprobs, seen.tokens);
        seen.tokens = row.logprobs.length;
        seen.ended = row.ended;
        if (text !== '' || row.ended || (logprobs !== null && logprobs.length > 0)) {
          deltas.push({ index, text, logprobs, finishReason: row.ended ? row.finishReason : null });
        }
      });
      if (deltas.length > 0) this.#post({ kind: 'delta', id: job.id, deltas });
    };
    const batchJob: BatchJob = {
      sources: job.sources,
      rows,
      onStep: job.stream ? onStep : () => {},
      onEnd: (error) => {
        this.#cancels.delete(job.id);
        if (error !== undefined) this.#post({ kind: 'failed', id: job.id, message: error.message });
        else if (cancelled) this.#post({ kind: 'cancelled', id: job.id });
        else {
          const sequences = rows.map(({ row }, index): SequenceOutput => ({
            text: texts[index]!.final(row.generated),
            ids: row.generated,
            score: row.hypothesis().score,
            finishReason: row.finishReason,
            logprobs: job.topLogprobs === null || job.stream ? null : tokenTexts(decode, row.logprobs),
          }));
          this.#post({ kind: 'generated', id: job.id, sequences });
        }
      },
    };
    this.#cancels.set(job.id, () => {
      cancelled = true;
      this.#batch.cancel(batchJob);
    });
    this.#batch.add(batchJob);
  }

  /** A beam search job: its own batch, numBeams rows per source. */
  async #beam(job: GenerateJob): Promise<void> {
    const { decode, params, padId } = this.#served;
    let cancelled = false;
    this.#cancels.set(job.id, () => (cancelled = true));
    try {
      const { step, cache, reorder } = await modelStep(this.#model, params, job.sources, padId, rowsPerSource(job.options));
      const stoppable: Step<HostCache> = (tokens, c) => (cancelled ? Promise.reject(new JobCancelled()) : step(tokens, c));
      const hypotheses = await generate(stoppable, cache, job.sources.length, job.options, reorder);
      const stopStrings = job.options.stopStrings ?? [];
      const sequences = hypotheses.flat().map((h): SequenceOutput => {
        const whole = decode(h.ids);
        const text = cutAtStopString(whole, stopStrings);
        return { text, ids: h.ids, score: h.score, finishReason: h.eos || text.length < whole.length ? 'stop' : 'length', logprobs: null };
      });
      this.#post(cancelled ? { kind: 'cancelled', id: job.id } : { kind: 'generated', id: job.id, sequences });
    } catch (error) {
      this.#post(cancelled ? { kind: 'cancelled', id: job.id } : { kind: 'failed', id: job.id, message: messageOf(error) });
    } finally {
      this.#cancels.delete(job.id);
    }
  }

  /** Each target's log-likelihood given its source (one forward pass; a cancel only drops the answer). */
  async #score(job: ScoreJob): Promise<void> {
    const { params, padId, startId } = this.#served;
    let cancelled = false;
    this.#cancels.set(job.id, () => (cancelled = true));
    try {
      const scores = await scoreTargets(this.#model, params, job.sources, job.targets, { padId, decoderStartId: startId });
      this.#post(cancelled ? { kind: 'cancelled', id: job.id } : { kind: 'scored', id: job.id, scores });
    } catch (error) {
      this.#post(cancelled ? { kind: 'cancelled', id: job.id } : { kind: 'failed', id: job.id, message: messageOf(error) });
    } finally {
      this.#cancels.delete(job.id);
    }
  }
}
