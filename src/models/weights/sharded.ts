// Checkpoint weights in a folder, in the Hugging Face layout: `model.safetensors`, or shards listed by
// `model.safetensors.index.json`. `ShardedSafetensors` is one lazy view over all shards (headers checked
// at open, data read on demand); `writeCheckpointWeights` splits tensors into shards like `save_pretrained`
// (each file atomic, the index last); `openCheckpointWeights` finds whichever layout a folder holds.

import fs from 'node:fs';
import path from 'node:path';
import type { NDArray } from '../../core/ndarray.js';
import { writeFileAtomic } from './atomic-file.js';
import { compareCodePoints } from './safetensors-header.js';
import { describeNames, SafetensorsFile } from './safetensors.js';
import { checkMetadata, writeCollected } from './safetensors-writer.js';
import type { SafetensorsMetadata } from './safetensors-writer.js';
import { encodeShardIndex, INDEX_FILE, parseByteSize, parseShardIndex, planShards, SHARD_FILE, shardFileName, SINGLE_FILE } from './shard-index.js';
import { collectTensors } from './tensor-source.js';
import type { TensorEntries } from './tensor-source.js';
import { WeightFileError } from './weight-reader.js';
import type { ReadOptions, TensorInfo, WeightReader } from './weight-reader.js';

export class ShardedSafetensors implements WeightReader {
  readonly names: readonly string[];

  private constructor(
    /** Path of the index file. */
    readonly path: string,
    /** The index's "metadata" (e.g. total_size). */
    readonly metadata: Readonly<Record<string, unknown>>,
    /** Open shards by file name. */
    readonly shards: ReadonlyMap<string, SafetensorsFile>,
    private readonly weightMap: Readonly<Record<string, string>>,
  ) {
    // Shard by shard, each in data order: reading in this order reads every file front to back.
    const names: string[] = [];
    for (const [file, shard] of shards) names.push(...shard.names.filter((n) => weightMap[n] === file));
    this.names = names;
  }

  /** Opens the index at `indexPath` and every shard it names (headers only). */
  static open(indexPath: string): ShardedSafetensors {
    let text: string;
    try {
      text = fs.readFileSync(indexPath, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new WeightFileError(indexPath, code === 'ENOENT' ? 'no such file' : `cannot read (${code})`);
    }
    const index = parseShardIndex(text, indexPath);
    const byFile = new Map<string, string[]>();
    for (const [name, file] of Object.entries(index.weightMap)) {
      const list = byFile.get(file);
      if (list === undefined) byFile.set(file, [name]);
      else list.push(name);
    }
    const dir = path.dirname(indexPath);
    const shards = new Map<string, SafetensorsFile>();
    try {
      for (const file of [...byFile.keys()].sort(compareCodePoints)) {
        const listed = byFile.get(file)!;
        const shardPath = path.join(dir, file);
        if (!fs.existsSync(shardPath)) {
          throw new WeightFileError(
            indexPath,
            `names shard ${file} (for ${listed.length} tensor${listed.length === 1 ? '' : 's'}, e.g. "${listed[0]}"), but ${shardPath} does not exist — the checkpoint is incomplete; download or copy the missing shard`,
          );
        }
        const shard = SafetensorsFile.open(shardPath);
        shards.set(file, shard);
        const absent = listed.find((name) => !shard.has(name));
        if (absent !== undefined) {
          throw new WeightFileError(indexPath, `says tensor "${absent}" is in ${file}, but that shard has no such tensor ${describeNames(shard.names)}`);
        }
      }
    } catch (e) {
      for (const shard of shards.values()) shard.close();
      throw e;
    }
    return new ShardedSafetensors(indexPath, index.metadata, shards, index.weightMap);
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.weightMap, name);
  }

  /** The shard file (name within the folder) that holds `name`. */
  fileOf(name: string): string {
    if (!this.has(name)) throw new WeightFileError(this.path, `no tensor named "${name}" in the weight map ${describeNames(this.names)}`);
    return this.weightMap[name]!;
  }

  info(name: string): TensorInfo {
    return this.shardOf(name).info(name);
  }

  read(name: string, options?: ReadOptions): NDArray {
    return this.shardOf(name).read(name, options);
  }

  readRaw(name: string): Uint8Array {
    return this.shardOf(name).readRaw(name);
  }

  close(): void {
    for (const shard of this.shards.values()) shard.close();
  }

  private shardOf(name: string): SafetensorsFile {
    return this.shards.get(this.fileOf(name))!;
  }
}

export interface WriteCheckpointOptions {
  /** Largest shard, in bytes or as "5GB" / "500MB" / "2GiB" (default "5GB", as transformers). */
  readonly maxShardSize?: number | string;
  /** Metadata of every weight file (default {format: "pt"}, which transformers requires to load it). */
  readonly metadata?: SafetensorsMetadata;
}

export interface WrittenCheckpoint {
  /** Weight files written, relative to the folder, in shard order. */
  readonly files: readonly string[];
  /** The index file, or null for a single `model.safetensors`. */
  readonly index: string | null;
}

/**
 * Writes tensors into `dir` (created if missing) as Hugging Face's `save_pretrained` lays them out: one
 * `model.safetensors` when they fit in one shard, else shards plus the index, written last. Every file
 * is atomic; weight files of an earlier save in another layout are removed once the new one is complete.
 * A save that must replace an earlier one all-or-nothing should write to a fresh folder and rename it.
 */
export function writeCheckpointWeights(dir: string, tensors: TensorEntries, options: WriteCheckpointOptions = {}): WrittenCheckpoint {
  const maxBytes = parseByteSize(options.maxShardSize ?? '5GB');
  const metadata = options.metadata ?? { format: 'pt' };
  fs.mkdirSync(dir, { recursive: true });
  checkMetadata(path.join(dir, SINGLE_FILE), metadata);
  const collected = collectTensors(path.join(dir, SINGLE_FILE), tensors);
  try {
    const all = collected.tensors;
    const plan = planShards(
      all.map((t) => t.bytes),
      maxBytes,
    );
    if (plan.length <= 1) {
      writeCollected(path.join(dir, SINGLE_FILE), all, collected, metadata);
      removeStale(dir, new Set([SINGLE_FILE]));
      return { files: [SINGLE_FILE], index: null };
    }
    const files = plan.map((_, i) => shardFileName(i + 1, plan.length));
    const weightMap: Record<string, string> = {};
    plan.forEach((positions, i) => {
      const shard = positions.map((p) => all[p]!);
      writeCollected(path.join(dir, files[i]!), shard, collected, metadata);
      for (const t of shard) weightMap[t.name] = files[i]!;
    });
    const totalSize = all.reduce((sum, t) => sum + t.bytes, 0);
    writeFileAtomic(path.join(dir, INDEX_FILE), encodeShardIndex({ metadata: { total_size: totalSize }, weightMap }));
    removeStale(dir, new Set([...files, INDEX_FILE]));
    return { files, index: INDEX_FILE };
  } finally {
    collected.close();
  }
}

/** Removes weight files of the other layout (or of a save with a different shard count) from `dir`. */
function removeStale(dir: string, keep: ReadonlySet<string>): void {
  // The index goes first, so a reader never sees an index whose shards are gone.
  const stale = [INDEX_FILE, SINGLE_FILE, ...fs.readdirSync(dir).filter((f) => SHARD_FILE.test(f))];
  for (const f of stale) if (!keep.has(f)) fs.rmSync(path.join(dir, f), { force: true });
}

const OTHER_FORMATS = ['pytorch_model.bin', 'pytorch_model.bin.index.json', 'tf_model.h5', 'flax_model.msgpack'];

/**
 * The weights of the checkpoint folder `dir` — `model.safetensors` if present (as transformers prefers
 * it), else the shards of `model.safetensors.index.json`. Also accepts the path of either file.
 */
export function openCheckpointWeights(dir: string): WeightReader {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new WeightFileError(dir, 'no such checkpoint folder');
  }
  if (stat.isFile()) return dir.endsWith('.json') ? ShardedSafetensors.open(dir) : SafetensorsFile.open(dir);
  const single = path.join(dir, SINGLE_FILE);
  if (fs.existsSync(single)) return SafetensorsFile.open(single);
  const index = path.join(dir, INDEX_FILE);
  if (fs.existsSync(index)) return ShardedSafetensors.open(index);
  const other = OTHER_FORMATS.filter((f) => fs.existsSync(path.join(dir, f)));
  const hint =
    other.length > 0
      ? `; it has ${other.join(', ')}, which polyseq does not read — convert it to safetensors (e.g. transformers' save_pretrained(dir, safe_serialization=True))`
      : '';
  throw new WeightFileError(dir, `no ${SINGLE_FILE} or ${INDEX_FILE} in ${dir}${hint}`, true);
}
