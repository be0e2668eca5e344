"""One full PyTorch training step of the reference model, timed: the yardstick for polyseq's train step.

Model (written out in plain torch.nn ops so its FLOPs are exactly these): token embedding 8000x256 ->
2 pre-LN Transformer encoder blocks (d_model 256, 4 heads, FFN 1024, exact erf GELU, no dropout, biases
on the q/k/v/out projections, LayerNorm eps 1e-5) -> final LayerNorm -> linear 256->8000 with bias ->
mean cross-entropy over all tokens. Batch 8 x 128 random tokens; AdamW(lr 1e-3, weight_decay 0.01).
A step is zero_grad(set_to_none=True) + forward + backward + optimizer.step().

Run with /usr/bin/python3 (Debian python3-torch). Debian's torch links a threaded OpenBLAS that ignores
torch.set_num_threads: set OPENBLAS_NUM_THREADS=N, OMP_NUM_THREADS=N and OMP_WAIT_POLICY=PASSIVE too
(bench/pytorch.ts does). Without an OpenBLAS package (apt-get install libopenblas0-pthread) Debian's
torch falls back to the reference BLAS and runs ~15x slower; the output's "blas" names the library used.
Last line of output: {"ms_per_step": best, "samples": [...], ...}.
"""

import argparse
import json
import math
import time

import torch
import torch.nn.functional as F
from torch import nn

VOCAB, D_MODEL, HEADS, FFN, LAYERS = 8000, 256, 4, 1024, 2
BATCH, SEQ = 8, 128
LN_EPS = 1e-5


class Block(nn.Module):
    """Pre-LN encoder block: x + attn(ln1(x)), then x + ffn(ln2(x))."""

    def __init__(self) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(D_MODEL, eps=LN_EPS)
        self.q = nn.Linear(D_MODEL, D_MODEL)
        self.k = nn.Linear(D_MODEL, D_MODEL)
        self.v = nn.Linear(D_MODEL, D_MODEL)
        self.out = nn.Linear(D_MODEL, D_MODEL)
        self.ln2 = nn.LayerNorm(D_MODEL, eps=LN_EPS)
        self.fc1 = nn.Linear(D_MODEL, FFN)
        self.fc2 = nn.Linear(FFN, D_MODEL)

    def attention(self, h: torch.Tensor) -> torch.Tensor:
        b, t, d = h.shape
        dh = d // HEADS
        q = self.q(h).view(b, t, HEADS, dh).transpose(1, 2)  # (B, H, T, Dh)
        k = self.k(h).view(b, t, HEADS, dh).transpose(1, 2)  # (B, H, T, Dh)
        v = self.v(h).view(b, t, HEADS, dh).transpose(1, 2)  # (B, H, T, Dh)
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(dh))  # (B, H, T, T)
        weights = torch.softmax(scores, dim=-1)  # (B, H, T, T)
        y = weights @ v  # (B, H, T, Dh)
        y = y.transpose(1, 2).reshape(b, t, d)  # (B, T, D)
        return self.out(y)  # (B, T, D)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.ln1(x))  # (B, T, D)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="none"))  # (B, T, D)


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(VOCAB, D_MODEL)
        self.blocks = nn.ModuleList(Block() for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(D_MODEL, eps=LN_EPS)
        self.head = nn.Linear(D_MODEL, VOCAB)

    def forward(self, tokens: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = self.embed(tokens)  # (B, T, D)
        for block in self.blocks:
            x = block(x)  # (B, T, D)
        logits = self.head(self.ln_f(x))  # (B, T, V)
        return F.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1))  # mean over B*T tokens


def loaded_blas() -> str | None:
    """The BLAS library this process has mapped (Linux), to tell OpenBLAS from Debian's slow reference BLAS."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return None
    return ", ".join(sorted(paths)) or None


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer (got {text})")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=positive_int, default=1)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--reps", type=positive_int, default=10)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    tokens = torch.randint(0, VOCAB, (BATCH, SEQ))
    targets = torch.randint(0, VOCAB, (BATCH, SEQ))

    def step() -> float:
        optimizer.zero_grad(set_to_none=True)
        loss = model(tokens, targets)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    samples = []
    loss = float("nan")
    for _ in range(args.reps):
        start = time.perf_counter()
        loss = step()
        samples.append((time.perf_counter() - start) * 1e3)
    result = {
        "ms_per_step": round(min(samples), 3),
        "samples": [round(s, 3) for s in samples],
        "threads": args.threads,
        "loss": loss,
        "torch": torch.__version__,
        "blas": loaded_blas(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
