#!/usr/bin/env python3
"""PyTorch reference for Ratio's benchmark and cross-checks (never used at run time).

A Llama decoder written the way transformers' modeling_llama.py computes it (RMSNorm, rotate_half RoPE,
causal SDPA, SwiGLU, nn.Linear weights [out, in]), with:
  bench  --hidden H --layers L --heads N --inter I --vocab V --ctx T --batch B --steps S --new-tokens K
         → JSON {train_step_ms, sample_ms, blas, threads}: forward + cross-entropy + backward + torch.optim.AdamW
           on a B×T batch (median of S steps after warm-up), and sampling B sequences × K new tokens with a KV cache.
  logits --model DIR --ids 1,2,3 [--ids 4,5 ...]
         → one JSON line {logits: [[...]]} per --ids: loads config.json + model.safetensors (F32, F64, F16 or BF16,
           parsed here with struct/json, not with Ratio's reader) and prints the logits [T, V] of each sequence, for
           an independent check of Ratio's forward pass.
"""
import argparse
import json
import math
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F


def blas_library():
    """Which BLAS torch's matmul actually loaded (Debian's torch links the system libblas.so.3)."""
    torch.randn(64, 64) @ torch.randn(64, 64)
    try:
        with open("/proc/self/maps") as f:
            maps = f.read()
    except OSError:
        return "unknown"
    for name in ("openblas", "mkl", "blis", "atlas"):
        if name in maps:
            return name
    if "libblas" in maps:
        return "reference"
    return "unknown"


class Llama(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        d, i, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
        h, kv = cfg["num_attention_heads"], cfg.get("num_key_value_heads") or cfg["num_attention_heads"]
        hd = cfg.get("head_dim") or d // h
        self.h, self.kv, self.hd = h, kv, hd
        # transformers: Qwen2 has q/k/v biases only; Llama's attention_bias adds biases to q/k/v and o_proj
        bias = cfg.get("model_type") == "qwen2" or cfg.get("attention_bias", False)
        o_bias = cfg.get("model_type", "llama") == "llama" and cfg.get("attention_bias", False)
        P = torch.nn.Parameter
        self.params = torch.nn.ParameterDict()
        self.names = {}

        def add(name, shape, init):
            p = P(init(torch.empty(*shape)))
            key = name.replace(".", "_")
            self.params[key] = p
            self.names[name] = key

        normal = lambda t: t.normal_(0, 0.02)
        ones = lambda t: t.fill_(1.0)
        zeros = lambda t: t.zero_()
        add("model.embed_tokens.weight", (v, d), normal)
        for l in range(cfg["num_hidden_layers"]):
            p = f"model.layers.{l}"
            add(f"{p}.input_layernorm.weight", (d,), ones)
            add(f"{p}.self_attn.q_proj.weight", (h * hd, d), normal)
            add(f"{p}.self_attn.k_proj.weight", (kv * hd, d), normal)
            add(f"{p}.self_attn.v_proj.weight", (kv * hd, d), normal)
            if bias:
                add(f"{p}.self_attn.q_proj.bias", (h * hd,), zeros)
                add(f"{p}.self_attn.k_proj.bias", (kv * hd,), zeros)
                add(f"{p}.self_attn.v_proj.bias", (kv * hd,), zeros)
            add(f"{p}.self_attn.o_proj.weight", (d, h * hd), normal)
            if o_bias:
                add(f"{p}.self_attn.o_proj.bias", (d,), zeros)
            add(f"{p}.post_attention_layernorm.weight", (d,), ones)
            add(f"{p}.mlp.gate_proj.weight", (i, d), normal)
            add(f"{p}.mlp.up_proj.weight", (i, d), normal)
            add(f"{p}.mlp.down_proj.weight", (d, i), normal)
        add("model.norm.weight", (d,), ones)
        if not cfg.get("tie_word_embeddings", False):
            add("lm_head.weight", (v, d), normal)
        self.bias = bias
        theta = cfg.get("rope_theta", 10000.0)
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))

    def w(self, name):
        return self.params[self.names[name]]

    def has(self, name):
        return name in self.names

    def rms(self, x, name):
        eps = self.cfg.get("rms_norm_eps", 1e-6)
        var = x.pow(2).mean(-1, keepdim=True)
        return self.w(f"{name}.weight") * (x * torch.rsqrt(var + eps))

    def rope(self, positions):
        freqs = positions[:, None].float() * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos(), emb.sin()

    @staticmethod
    def rotate_half(x):
        x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
        return torch.cat((-x2, x1), dim=-1)

    def lin(self, x, name):
        b = f"{name}.bias"
        return F.linear(x, self.w(f"{name}.weight"), self.w(b) if self.has(b) else None)

    def forward(self, ids, past=None, start=0):
        """ids [B, T]; past: list of (k, v) per layer [B, kv, P, hd] or None. Returns logits, new cache."""
        B, T = ids.shape
        x = F.embedding(ids, self.w("model.embed_tokens.weight"))
        cos, sin = self.rope(torch.arange(start, start + T))
        new_past = []
        rep = self.h // self.kv
        for l in range(self.cfg["num_hidden_layers"]):
            p = f"model.layers.{l}"
            y = self.rms(x, f"{p}.input_layernorm")
            q = self.lin(y, f"{p}.self_attn.q_proj").view(B, T, self.h, self.hd).transpose(1, 2)
            k = self.lin(y, f"{p}.self_attn.k_proj").view(B, T, self.kv, self.hd).transpose(1, 2)
            v = self.lin(y, f"{p}.self_attn.v_proj").view(B, T, self.kv, self.hd).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            if past is not None:
                k = torch.cat([past[l][0], k], dim=2)
                v = torch.cat([past[l][1], v], dim=2)
            new_past.append((k, v))
            kr = k.repeat_interleave(rep, dim=1) if rep > 1 else k
            vr = v.repeat_interleave(rep, dim=1) if rep > 1 else v
            scores = q @ kr.transpose(-1, -2) / math.sqrt(self.hd)
            S = kr.shape[2]
            if T > 1:
                mask = torch.full((T, S), float("-inf")).triu(S - T + 1)
                scores = scores + mask
            a = torch.softmax(scores, dim=-1) @ vr
            a = a.transpose(1, 2).reshape(B, T, self.h * self.hd)
            x = x + self.lin(a, f"{p}.self_attn.o_proj")
            y = self.rms(x, f"{p}.post_attention_layernorm")
            g = self.lin(y, f"{p}.mlp.gate_proj")
            u = self.lin(y, f"{p}.mlp.up_proj")
            x = x + self.lin(F.silu(g) * u, f"{p}.mlp.down_proj")
        x = self.rms(x, "model.norm")
        head = self.w("lm_head.weight") if self.has("lm_head.weight") else self.w("model.embed_tokens.weight")
        return x @ head.t(), new_past


def bench(a):
    torch.manual_seed(0)
    cfg = dict(hidden_size=a.hidden, intermediate_size=a.inter, num_hidden_layers=a.layers, num_attention_heads=a.heads,
               num_key_value_heads=a.heads, vocab_size=a.vocab, rms_norm_eps=1e-5, rope_theta=10000.0)
    model = Llama(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    ids = torch.randint(0, a.vocab, (a.batch, a.ctx + 1))
    times = []
    for s in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        logits, _ = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), ids[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if s >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    train_ms = statistics.median(times)

    prompt = torch.randint(0, a.vocab, (a.batch, 1))
    stimes = []
    with torch.no_grad():
        for s in range(a.warmup_sample + a.sample_runs):
            t0 = time.perf_counter()
            logits, past = model(prompt)
            tok = torch.multinomial(torch.softmax(logits[:, -1], -1), 1)
            for t in range(a.new_tokens - 1):
                logits, past = model(tok, past, start=1 + t)
                tok = torch.multinomial(torch.softmax(logits[:, -1], -1), 1)
            if s >= a.warmup_sample:
                stimes.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"train_step_ms": train_ms, "sample_ms": statistics.median(stimes), "blas": blas_library(),
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


DTYPES = {"F32": ("f", 4), "F64": ("d", 8), "F16": ("e", 2)}


def decode_floats(dtype, raw):
    """Little-endian F32/F64/F16 via struct; BF16 is the upper half of a float32 bit pattern."""
    if dtype == "BF16":
        halves = struct.unpack("<%dH" % (len(raw) // 2), raw)
        return struct.unpack("<%df" % len(halves), struct.pack("<%dI" % len(halves), *(h << 16 for h in halves)))
    fmt, size = DTYPES[dtype]
    return struct.unpack("<" + fmt * (len(raw) // size), raw)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        s, e = info["data_offsets"]
        vals = decode_floats(info["dtype"], data[8 + n + s : 8 + n + e])
        out[name] = torch.tensor(vals, dtype=torch.float32).reshape(info["shape"])
    return out


def load_model(model_dir):
    """A Llama/Qwen2 model from an HF checkpoint directory (config.json + model.safetensors), weights in float32."""
    with open(f"{model_dir}/config.json") as f:
        cfg = json.load(f)
    model = Llama(cfg)
    tensors = read_safetensors(f"{model_dir}/model.safetensors")
    with torch.no_grad():
        for name, key in model.names.items():
            model.params[key].copy_(tensors[name])
    return model


def sequence_logits(model, ids):
    """Logits [T, V] of one sequence of token ids, as nested lists."""
    with torch.no_grad():
        out, _ = model(torch.tensor([list(ids)]))
    return out[0].tolist()


def logits(a):
    model = load_model(a.model)
    for ids in a.ids:
        print(json.dumps({"logits": sequence_logits(model, [int(x) for x in ids.split(",")])}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench")
    for k, v in dict(hidden=128, layers=4, heads=4, inter=344, vocab=32, ctx=128, batch=32, steps=10, warmup=3,
                     new_tokens=64, sample_runs=5, warmup_sample=1).items():
        b.add_argument(f"--{k.replace('_', '-')}", type=int, default=v)
    lg = sub.add_parser("logits")
    lg.add_argument("--model", required=True)
    lg.add_argument("--ids", required=True, action="append", help="comma-separated token ids; repeat for more sequences")
    a = ap.parse_args()
    bench(a) if a.cmd == "bench" else logits(a)


if __name__ == "__main__":
    sys.exit(main())
