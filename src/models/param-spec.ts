// A model's tensors described without allocating them: names exactly as the Hugging Face class's
// state_dict has them, in its order (a module's own parameters, then its own buffers, then its
// children), shapes in PyTorch layout (nn.Linear weight = [out, in]), which names share storage, and
// buffers apart from parameters. Counting here matches transformers' num_parameters(): tied once, no buffers.

export type ParamKind = 'parameter' | 'buffer';

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly kind: ParamKind;
  /** `float`: the model's floating dtype (fp32, bf16, ...); `int64` for index buffers such as position_ids. */
  readonly dtype: 'float' | 'int64';
  /** The tensor this one shares storage with (always a canonical, untied name); absent when it owns its storage. */
  readonly tiedTo?: string;
  /** Buffers only: false when the state dict leaves it out (it is computed at load, e.g. sinusoidal tables). */
  readonly persistent: boolean;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Builds a spec list in order, checking names are unique and ties point at an existing tensor of the same shape. */
export class ParamSpecBuilder {
  private readonly specs: ParamSpec[] = [];
  private readonly byName = new Map<string, ParamSpec>();

  private add(spec: ParamSpec): void {
    if (this.byName.has(spec.name)) throw new Error(`parameter spec: duplicate tensor name ${spec.name}`);
    if (spec.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new Error(`parameter spec: ${spec.name} has an invalid shape [${spec.shape.join(', ')}]`);
    }
    this.specs.push(spec);
    this.byName.set(spec.name, spec);
  }

  param(name: string, shape: readonly number[]): this {
    this.add({ name, shape, kind: 'parameter', dtype: 'float', persistent: true });
    return this;
  }

  /** A parameter name that is another module's view of `target`'s storage (e.g. encoder.embed_tokens → shared). */
  tied(name: string, shape: readonly number[], target: string): this {
    const owner = this.byName.get(target);
    if (owner === undefined) throw new Error(`parameter spec: ${name} is tied to ${target}, which is not declared before it`);
    const canonical = owner.tiedTo ?? owner.name;
    if (owner.shape.length !== shape.length || owner.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`parameter spec: ${name} [${shape.join(', ')}] is tied to ${target} of another shape [${owner.shape.join(', ')}]`);
    }
    this.add({ name, shape, kind: 'parameter', dtype: 'float', tiedTo: canonical, persistent: true });
    return this;
  }

  /** A parameter that is either its own (`target` null) or tied to `target`. */
  paramOrTied(name: string, shape: readonly number[], target: string | null): this {
    return target === null ? this.param(name, shape) : this.tied(name, shape, target);
  }

  buffer(name: string, shape: readonly number[], options: { persistent: boolean; dtype?: 'float' | 'int64' }): this {
    this.add({ name, shape, kind: 'buffer', dtype: options.dtype ?? 'float', persistent: options.persistent });
    return this;
  }

  /** nn.Linear(inFeatures, outFeatures): `.weight` [out, in], and `.bias` [out] when it has one. */
  linear(prefix: string, outFeatures: number, inFeatures: number, bias: boolean): this {
    this.param(`${prefix}.weight`, [outFeatures, inFeatures]);
    if (bias) this.param(`${prefix}.bias`, [outFeatures]);
    return this;
  }

  /** A LayerNorm (`.weight`, `.bias`) or, with bias false, an RMSNorm (`.weight`) over `width`. */
  norm(prefix: string, width: number, bias: boolean): this {
    this.param(`${prefix}.weight`, [width]);
    if (bias) this.param(`${prefix}.bias`, [width]);
    return this;
  }

  build(): readonly ParamSpec[] {
    return Object.freeze(this.specs.map((s) => Object.freeze({ ...s, shape: Object.freeze([...s.shape]) })));
  }
}

/** Parameters as transformers' num_parameters() counts them: every parameter once (tied names not again), no buffers. */
export function countParameters(specs: readonly ParamSpec[]): number {
  let total = 0;
  for (const s of specs) if (s.kind === 'parameter' && s.tiedTo === undefined) total += elementCount(s.shape);
  return total;
}

/** Every name in the class's state_dict(): all parameters (tied ones too) and persistent buffers, in order. */
export function stateDictNames(specs: readonly ParamSpec[]): string[] {
  return specs.filter((s) => s.kind === 'parameter' || s.persistent).map((s) => s.name);
}

/**
 * The names save_pretrained stores in model.safetensors: the state dict less the tied duplicates
 * (the canonical name — `shared.weight`, `model.shared.weight` — stays).
 */
export function checkpointNames(specs: readonly ParamSpec[]): string[] {
  return specs.filter((s) => (s.kind === 'parameter' || s.persistent) && s.tiedTo === undefined).map((s) => s.name);
}
