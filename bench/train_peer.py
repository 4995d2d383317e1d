#!/usr/bin/python3
"""The Python peer of tunesmith's training: the same LSTM language model
(embedding -> n-layer torch.nn.LSTM with dropout -> linear), the same loss,
clipping and AdamW, trained on the same batches (a file written by
train_bench --write-batches). Prints one JSON object: tokens per second.

Run with /usr/bin/python3 (Debian's python3-torch, the same LibTorch 1.13).
"""
import argparse
import json
import time

import numpy as np
import torch


class LstmLm(torch.nn.Module):
    def __init__(self, vocab, embedding, hidden, layers, dropout):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, embedding)
        self.lstm = torch.nn.LSTM(embedding, hidden, num_layers=layers, dropout=dropout)
        self.dropout = torch.nn.Dropout(dropout)
        self.head = torch.nn.Linear(hidden, vocab)

    def forward(self, ids):  # ids [T, B]
        y, _ = self.lstm(self.embedding(ids))
        return self.head(self.dropout(y))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--batches", required=True, help="int64 file [count][T+1][B] from train_bench --write-batches")
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--embedding", type=int, default=256)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--T", type=int, default=64)
    p.add_argument("--B", type=int, default=64)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    data = torch.from_numpy(np.fromfile(a.batches, dtype="<i8")).view(-1, a.T + 1, a.B)
    total = a.warmup + a.steps
    assert data.shape[0] >= total, "too few batches in the file"
    model = LstmLm(a.vocab, a.embedding, a.hidden, a.layers, a.dropout)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr)
    start = None
    for i in range(total):
        if i == a.warmup:
            start = time.perf_counter()
        batch = data[i]
        inputs, targets = batch[:-1], batch[1:].reshape(-1)
        logits = model(inputs)
        loss = torch.nn.functional.cross_entropy(logits.view(a.T * a.B, -1), targets)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"impl": "python", "threads": a.threads, "tok_s": a.steps * a.T * a.B / seconds,
                      "seconds": seconds, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
