#!/usr/bin/env python3
"""PyTorch reference of one GRPO step, for Ratio's benchmark (never used at run time).

  grpo --model DIR --prompts FILE --generations G --new-tokens K --beta B --steps S --warmup W
       → JSON {grpo_step_ms, sample_ms, score_ms, logprob_ms, update_ms, blas, threads}

One step, as Ratio's GRPO step does it: sample G completions of each prompt with a KV cache (temperature 1, each row
stops at eos; finished rows keep being computed until all are done, as HF generate does), score them with the
addition scratchpad's answer check, group-normalized advantages (r − mean) / (std + 1e-4), reference log-probs
(no grad), then the clipped-ratio objective with the k3 KL (on-policy: ρ = exp(logp − logp.detach())), token mean,
backward, grad-norm clip 1.0 and AdamW. The model is read from the same checkpoint Ratio uses (torch_llama.py).
FILE is JSON {"prompts": [[ids…]…], "answers": ["8 8 3", …]} with equal-length prompts.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from torch_llama import blas_library, load_model


def vocab_of(model_dir):
    with open(f"{model_dir}/tokenizer.json") as f:
        tok = json.load(f)
    inv = {i: s for s, i in tok["model"]["vocab"].items()}
    return inv


def answer_line(text):
    """First non-empty line after </scratch> (the addition task's extraction), digits only."""
    at = text.find("</scratch>")
    if at < 0:
        return None
    for line in text[at + len("</scratch>"):].split("\n"):
        if line.strip():
            return line.strip().replace(" ", "").lstrip("0") or "0"
    return None


def sample(model, prompt, new_tokens, eos):
    """prompt [R, Lp] → completions [R, K] (padded with eos after a row stops) and per-row lengths."""
    R = prompt.shape[0]
    with torch.no_grad():
        logits, past = model(prompt)
        out = torch.full((R, new_tokens), eos, dtype=torch.long)
        done = torch.zeros(R, dtype=torch.bool)
        lengths = torch.full((R,), new_tokens, dtype=torch.long)
        tok = torch.multinomial(torch.softmax(logits[:, -1], -1), 1)
        for t in range(new_tokens):
            out[:, t] = torch.where(done, torch.full_like(tok[:, 0], eos), tok[:, 0])
            newly = (~done) & (tok[:, 0] == eos)
            lengths[newly] = t + 1
            done |= newly
            if bool(done.all()) or t == new_tokens - 1:
                break
            logits, past = model(tok, past, start=prompt.shape[1] + t)
            tok = torch.multinomial(torch.softmax(logits[:, -1], -1), 1)
    return out, lengths


def token_logp(model, seqs):
    logits, _ = model(seqs[:, :-1])
    return torch.gather(F.log_softmax(logits, -1), 2, seqs[:, 1:, None])[..., 0]


def grpo(a):
    torch.manual_seed(0)
    with open(a.prompts) as f:
        data = json.load(f)
    policy = load_model(a.model)
    ref = load_model(a.model) if a.beta > 0 else None
    inv = vocab_of(a.model)
    with open(f"{a.model}/config.json") as f:
        eos = json.load(f)["eos_token_id"]
    opt = torch.optim.AdamW(policy.parameters(), lr=a.lr, weight_decay=0.0)
    prompts = torch.tensor(data["prompts"], dtype=torch.long)
    B, Lp = prompts.shape
    G = a.generations
    rows = prompts.repeat_interleave(G, dim=0)
    answers = [x.replace(" ", "") for x in data["answers"]]
    parts = {"grpo_step_ms": [], "sample_ms": [], "score_ms": [], "logprob_ms": [], "update_ms": []}
    for s in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        comp, lengths = sample(policy, rows, a.new_tokens, eos)
        t1 = time.perf_counter()
        rewards = []
        for r in range(B * G):
            text = "".join(inv.get(int(i), "") for i in comp[r, : int(lengths[r])] if int(i) != eos)
            rewards.append(1.0 if answer_line(text) == answers[r // G] else 0.0)
        rw = torch.tensor(rewards).view(B, G)
        adv = ((rw - rw.mean(1, keepdim=True)) / (rw.std(1, keepdim=True) + 1e-4)).view(-1)
        seqs = torch.cat([rows, comp], 1)
        T = seqs.shape[1] - 1
        pos = torch.arange(T)[None, :]
        mask = ((pos >= Lp - 1) & (pos < Lp - 1 + lengths[:, None])).float()
        t2 = time.perf_counter()
        ref_logp = None
        if ref is not None:
            with torch.no_grad():
                ref_logp = token_logp(ref, seqs)
        t3 = time.perf_counter()
        logp = token_logp(policy, seqs)
        ratio = torch.exp(logp - logp.detach())
        per_token = -torch.min(ratio * adv[:, None], torch.clamp(ratio, 1 - 0.2, 1 + 0.2) * adv[:, None])
        if ref_logp is not None:
            d = ref_logp - logp
            per_token = per_token + a.beta * (torch.exp(d) - d - 1)
        loss = (per_token * mask).sum() / mask.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(policy.parameters(), 1.0)
        opt.step()
        t4 = time.perf_counter()
        if s >= a.warmup:
            parts["grpo_step_ms"].append((t4 - t0) * 1000)
            parts["sample_ms"].append((t1 - t0) * 1000)
            parts["score_ms"].append((t2 - t1) * 1000)
            parts["logprob_ms"].append((t3 - t2) * 1000)
            parts["update_ms"].append((t4 - t3) * 1000)
    out = {k: statistics.median(v) for k, v in parts.items()}
    out.update(blas=blas_library(), threads=torch.get_num_threads(), torch=torch.__version__)
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("grpo")
    g.add_argument("--model", required=True)
    g.add_argument("--prompts", required=True)
    for k, v in dict(generations=8, new_tokens=64, steps=5, warmup=1).items():
        g.add_argument(f"--{k.replace('_', '-')}", type=int, default=v)
    g.add_argument("--beta", type=float, default=0.04)
    g.add_argument("--lr", type=float, default=1e-4)
    a = ap.parse_args()
    grpo(a)


if __name__ == "__main__":
    sys.exit(main())
