#!/usr/bin/python3
"""The Python peer of tunesmith's sampler: the same LSTM language model
(embedding -> stacked LSTM -> linear), sampled step by step with
torch.nn.LSTM in python3-torch (the same LibTorch 1.13 as tunesmith).

Weights come from `tunesmith-sample-bench --model M --export PREFIX`
(PREFIX.json + PREFIX.bin), so both sides run the same network. The work is
the peer's usual sampling loop: B tunes at once, T steps, softmax and one
multinomial draw per tune and step (no grammar: that is tunesmith's extra).

  /usr/bin/python3 bench/sample_peer.py --weights /tmp/w --tunes 100 --steps 300 [--threads 1]

Prints one JSON line: tok/s, ms per tune, and the time since the process began.
"""
import argparse
import json
import time

T_START = time.time()

import torch  # noqa: E402  (timed: importing torch is part of a peer's start)


def load(prefix):
    with open(prefix + ".json") as f:
        meta = json.load(f)
    flat = torch.from_file(prefix + ".bin", dtype=torch.float32,
                           size=sum(int(torch.tensor(t["shape"]).prod()) for t in meta["tensors"]))
    tensors = {}
    for t in meta["tensors"]:
        n = int(torch.tensor(t["shape"]).prod())
        tensors[t["name"]] = flat[t["offset"]:t["offset"] + n].view(*t["shape"]).clone()
    V, E, H, L = meta["vocab_size"], meta["embedding"], meta["hidden"], meta["layers"]
    emb = torch.nn.Embedding(V, E)
    lstm = torch.nn.LSTM(E, H, L)
    head = torch.nn.Linear(H, V)
    with torch.no_grad():
        emb.weight.copy_(tensors["embedding.weight"])
        for l in range(L):
            getattr(lstm, f"weight_ih_l{l}").copy_(tensors[f"lstm{l}.w_ih"])
            getattr(lstm, f"weight_hh_l{l}").copy_(tensors[f"lstm{l}.w_hh"])
            # tunesmith folds nn.LSTM's two biases into one.
            getattr(lstm, f"bias_ih_l{l}").copy_(tensors[f"lstm{l}.bias"])
            getattr(lstm, f"bias_hh_l{l}").zero_()
        head.weight.copy_(tensors["head.weight"])
        head.bias.copy_(tensors["head.bias"])
    emb, lstm, head = emb.eval(), lstm.eval(), head.eval()
    if "logits_after_bos" in meta:
        with torch.no_grad():
            y, _ = lstm(emb(torch.tensor([meta["bos"]])).unsqueeze(0))
            mine = head(y[0])[0]
        diff = (mine - torch.tensor(meta["logits_after_bos"])).abs().max().item()
        if diff > 1e-3:
            raise SystemExit("sample_peer.py: the rebuilt network differs from tunesmith's (max logit diff %g)" % diff)
    return meta, emb, lstm, head


def sample(meta, emb, lstm, head, tunes, steps, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.full((tunes,), meta["bos"], dtype=torch.long)
    state = None
    with torch.no_grad():
        for _ in range(steps):
            x = emb(ids).unsqueeze(0)            # [1, B, E]
            y, state = lstm(x, state)            # one step
            logits = head(y[0])                  # [B, V]
            probs = torch.softmax(logits, dim=-1)
            ids = torch.multinomial(probs, 1, generator=g).squeeze(1)
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weights", required=True, help="PREFIX of PREFIX.json / PREFIX.bin")
    ap.add_argument("--tunes", type=int, default=1)
    ap.add_argument("--steps", type=int, default=300, help="steps per tune")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-warmup", action="store_true", help="time the process as a user runs it")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    meta, emb, lstm, head = load(args.weights)
    if not args.no_warmup:
        sample(meta, emb, lstm, head, args.tunes, 20, 1)
    t0 = time.time()
    sample(meta, emb, lstm, head, args.tunes, args.steps, args.seed)
    dt = time.time() - t0
    print(json.dumps({
        "tunes": args.tunes, "steps": args.steps, "threads": args.threads,
        "tok_s": args.tunes * args.steps / dt,
        "ms_per_tune": 1000 * dt / args.tunes,
        "process_s": time.time() - T_START,
    }))


if __name__ == "__main__":
    main()
