// A segmentation of one normalized sentence, as the models write it: consecutive pieces, each an id
// and the byte offset where it ends (it starts where the previous one ends, the first at 0). Backed by
// typed arrays that grow and are reused across sentences.

export class Segments {
  ids = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  push(id: number, end: number): void {
    if (this.count === this.ids.length) {
      const ids = new Int32Array(this.count * 2);
      ids.set(this.ids);
      this.ids = ids;
      const ends = new Int32Array(this.count * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ids[this.count] = id;
    this.ends[this.count] = end;
    this.count++;
  }

  /** Reverses the pieces' order in place, each id staying with its end (for encoders that backtrack). */
  reverse(): void {
    this.ids.subarray(0, this.count).reverse();
    this.ends.subarray(0, this.count).reverse();
  }
}
