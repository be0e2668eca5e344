// Sharded checkpoints: Hugging Face's shard split and file names, the index text byte for byte (checked
// against Python's json.dumps where python3 runs), reading all shards back as one view, switching layouts,
// and the errors of incomplete or inconsistent checkpoint folders.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NDArray } from '../../src/core/ndarray.js';
import { bytesOf } from '../../src/models/weights/positional-io.js';
import { SafetensorsFile, writeSafetensors } from '../../src/models/weights/safetensors.js';
import type { TensorData } from '../../src/models/weights/safetensors.js';
import { encodeShardIndex, parseByteSize, planShards } from '../../src/models/weights/shard-index.js';
import { openCheckpointWeights, ShardedSafetensors, writeCheckpointWeights } from '../../src/models/weights/sharded.js';
import { PYTHON } from './safetensors-reference.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polyseq-sharded-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Five tensors of 16, 8, 16, 40 and 8 bytes, in this (insertion) order. */
function model(): Record<string, NDArray> {
  return {
    'enc.w': NDArray.from('float32', [2, 2], [1, 2, 3, 4]),
    'enc.b': NDArray.from('float32', [2], [-1, -2]),
    'dec.w': NDArray.from('bfloat16', [8], [1, 2, 3, 4, 5, 6, 7, 8]),
    big: NDArray.from('float32', [10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    'dec.b': NDArray.from('int64', [1], [-9n]),
  };
}

const SHARDS = ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors'];

const INDEX_TEXT = `{
  "metadata": {
    "total_size": 88
  },
  "weight_map": {
    "big": "model-00002-of-00003.safetensors",
    "dec.b": "model-00003-of-00003.safetensors",
    "dec.w": "model-00003-of-00003.safetensors",
    "enc.b": "model-00001-of-00003.safetensors",
    "enc.w": "model-00001-of-00003.safetensors"
  }
}
`;

const sameBytes = (a: NDArray, b: NDArray): boolean => Buffer.from(bytesOf(a.data)).equals(Buffer.from(bytesOf(b.data)));

describe('planShards and sizes', () => {
  it('splits greedily in order, a too-large tensor alone, as huggingface_hub does', () => {
    // The example of split_state_dict_into_shards_factory's docstring: 10GB limit, [6, 6, 2, 6, 2, 2].
    expect(planShards([6, 6, 2, 6, 2, 2], 10)).toEqual([[0], [1, 2], [3, 4, 5]]);
    // A tensor over the limit gets its own shard, placed before the shard still being filled.
    expect(planShards([2, 12, 3], 10)).toEqual([[1], [0, 2]]);
    expect(planShards([16, 8, 16, 40, 8], 32)).toEqual([[0, 1], [3], [2, 4]]);
    expect(planShards([], 10)).toEqual([]);
  });

  it('parses shard sizes as transformers writes them', () => {
    expect(parseByteSize('5GB')).toBe(5_000_000_000);
    expect(parseByteSize('500MB')).toBe(500_000_000);
    expect(parseByteSize('2GiB')).toBe(2 ** 31);
    expect(parseByteSize(' 1.5 kb ')).toBe(1500);
    expect(parseByteSize(4096)).toBe(4096);
    for (const bad of ['5 GBs', '', 'GB', '0MB']) expect(() => parseByteSize(bad), bad).toThrow(/is not a size; write e\.g\. "5GB"/);
    for (const bad of [0, -1, 1.5]) expect(() => parseByteSize(bad), String(bad)).toThrow(/positive whole number of bytes/);
  });
});

describe('writeCheckpointWeights / openCheckpointWeights', () => {
  it('writes the expected shards and index and reads back identical arrays', () => {
    const written = writeCheckpointWeights(dir, model(), { maxShardSize: 32 });
    expect(written).toEqual({ files: SHARDS, index: 'model.safetensors.index.json' });
    expect(fs.readdirSync(dir).sort()).toEqual([...SHARDS, 'model.safetensors.index.json'].sort());
    expect(fs.readFileSync(path.join(dir, 'model.safetensors.index.json'), 'utf8')).toBe(INDEX_TEXT);

    // Each shard is exactly the safetensors file of its tensors, with transformers' metadata.
    const m = model();
    const expectedShard = path.join(dir, 'expected.safetensors');
    writeSafetensors(expectedShard, { 'enc.w': m['enc.w']!, 'enc.b': m['enc.b']! }, { format: 'pt' });
    expect(fs.readFileSync(path.join(dir, SHARDS[0]!)).equals(fs.readFileSync(expectedShard))).toBe(true);
    fs.rmSync(expectedShard);

    const weights = openCheckpointWeights(dir);
    try {
      expect(weights).toBeInstanceOf(ShardedSafetensors);
      const sharded = weights as ShardedSafetensors;
      expect(sharded.metadata).toEqual({ total_size: 88 });
      expect(weights.names).toEqual(['enc.b', 'enc.w', 'big', 'dec.b', 'dec.w']);
      expect(sharded.fileOf('big')).toBe(SHARDS[1]);
      expect(weights.info('dec.w')).toEqual({ dtype: 'BF16', shape: [8], bytes: 16 });
      for (const [name, a] of Object.entries(m)) {
        const b = weights.read(name);
        expect([b.dtype, b.shape], name).toEqual([a.dtype, a.shape]);
        expect(sameBytes(a, b), name).toBe(true);
      }
      expect(weights.read('dec.w', { as: 'float32' }).toNumbers()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(() => weights.read('enc.x')).toThrow(/model\.safetensors\.index\.json: no tensor named "enc\.x" in the weight map/);
    } finally {
      weights.close();
    }
  });

  it('streams an iterator into the same shards', () => {
    writeCheckpointWeights(dir, model(), { maxShardSize: 32 });
    const other = path.join(dir, 'streamed');
    function* produce(): Generator<[string, TensorData]> {
      yield* Object.entries(model());
    }
    writeCheckpointWeights(other, produce(), { maxShardSize: 32 });
    for (const f of [...SHARDS, 'model.safetensors.index.json']) {
      expect(fs.readFileSync(path.join(other, f)).equals(fs.readFileSync(path.join(dir, f))), f).toBe(true);
    }
    expect(fs.readdirSync(other).length).toBe(4);
  });

  it('writes one model.safetensors when everything fits, and replaces the other layout\'s files', () => {
    writeCheckpointWeights(dir, model(), { maxShardSize: 32 });
    expect(writeCheckpointWeights(dir, model())).toEqual({ files: ['model.safetensors'], index: null });
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
    const single = openCheckpointWeights(dir);
    try {
      expect(single).toBeInstanceOf(SafetensorsFile);
      expect((single as SafetensorsFile).metadata).toEqual({ format: 'pt' });
      expect(single.read('big').toNumbers()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      single.close();
    }
    // Back to shards, then to fewer shards: no stale file survives.
    writeCheckpointWeights(dir, model(), { maxShardSize: 32 });
    expect(fs.readdirSync(dir).sort()).toEqual([...SHARDS, 'model.safetensors.index.json'].sort());
    expect(writeCheckpointWeights(dir, model(), { maxShardSize: 48 }).files).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(fs.readdirSync(dir).sort()).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json']);
  });

  it('leaves no files behind when the input throws midway', () => {
    function* failing(): Generator<[string, TensorData]> {
      yield ['a', NDArray.from('float32', [4], [1, 2, 3, 4])];
      throw new Error('producer failed');
    }
    expect(() => writeCheckpointWeights(dir, failing(), { maxShardSize: 8 })).toThrow('producer failed');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('names the missing piece of an incomplete or inconsistent checkpoint', () => {
    const index = path.join(dir, 'model.safetensors.index.json');
    writeCheckpointWeights(dir, model(), { maxShardSize: 32 });
    fs.renameSync(path.join(dir, SHARDS[1]!), path.join(dir, 'aside'));
    expect(() => openCheckpointWeights(dir)).toThrow(
      /model\.safetensors\.index\.json: names shard model-00002-of-00003\.safetensors \(for 1 tensor, e\.g\. "big"\), but .*model-00002-of-00003\.safetensors does not exist — the checkpoint is incomplete/,
    );
    fs.renameSync(path.join(dir, 'aside'), path.join(dir, SHARDS[1]!));

    const good = fs.readFileSync(index, 'utf8');
    const edit = (f: (j: { weight_map: Record<string, string> }) => void): void => {
      const j = JSON.parse(good) as { weight_map: Record<string, string> };
      f(j);
      fs.writeFileSync(index, JSON.stringify(j));
    };
    edit((j) => (j.weight_map['ghost'] = SHARDS[0]!));
    expect(() => openCheckpointWeights(dir)).toThrow(/says tensor "ghost" is in model-00001-of-00003\.safetensors, but that shard has no such tensor \(it holds 2 tensors: enc\.b, enc\.w\)/);
    edit((j) => (j.weight_map['big'] = '../model-00002-of-00003.safetensors'));
    expect(() => openCheckpointWeights(dir)).toThrow(/"weight_map"\."big" must be a file name in the index's directory/);
    fs.writeFileSync(index, '{"weight_map": ');
    expect(() => openCheckpointWeights(dir)).toThrow(/model\.safetensors\.index\.json: not valid JSON/);
    fs.writeFileSync(index, '{"metadata": {}}');
    expect(() => openCheckpointWeights(dir)).toThrow(/"weight_map" must be an object of tensor name → shard file/);
  });

  it('says what a folder lacks', () => {
    expect(() => openCheckpointWeights(dir)).toThrow(new RegExp(`^no model\\.safetensors or model\\.safetensors\\.index\\.json in ${dir}$`));
    fs.writeFileSync(path.join(dir, 'pytorch_model.bin'), 'pickle');
    expect(() => openCheckpointWeights(dir)).toThrow(/in .*; it has pytorch_model\.bin, which polyseq does not read — convert it to safetensors/);
    expect(() => openCheckpointWeights(path.join(dir, 'nope'))).toThrow(/nope: no such checkpoint folder/);
  });
});

const noPython = spawnSync(PYTHON, ['-c', 'import json'], { stdio: 'ignore' }).status !== 0;
describe.skipIf(noPython)(`index text against Python's json.dumps${noPython ? ` (skipped: ${PYTHON} cannot run)` : ''}`, () => {
  it('escapes and orders keys as json.dumps(indent=2, sort_keys=True)', () => {
    const index = {
      metadata: { total_size: 123456789012, note: 'tab\there', nested: {} },
      weightMap: {
        'é.weight': 'a.safetensors',
        '\u{1F600}': 'b.safetensors',
        '\uFFFF': 'b.safetensors',
        'q"\\\n\u0001\u007f/': 'c.safetensors',
        'Z': 'c.safetensors',
      },
    };
    const script = "import json,sys; d=json.load(sys.stdin); sys.stdout.write(json.dumps(d, indent=2, sort_keys=True) + '\\n')";
    const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ metadata: index.metadata, weight_map: index.weightMap }), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(encodeShardIndex(index)).toBe(r.stdout);
  });
});
