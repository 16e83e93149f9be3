"""The stage-2 experiments of `11_generation`: why the tiny DiT ignored its class, and the recipe that fixed it.

    python tools/dit_experiments.py cache                 # encode the DiT's training and held-out tokens once
    python tools/dit_experiments.py rows                  # the recipe rows (one change each, 3,000 steps)
    python tools/dit_experiments.py long x0u 20000        # the shipped recipe's run, with EMA snapshots
    python tools/dit_experiments.py snapshot PATH KEY 2,4 # score one snapshot (KEY: ema999, ema9999 or raw)
    python tools/dit_experiments.py table3b 0,1,2 [0,3]   # Table 3(b) on the x0 target, one run per seed and variant
                                                          # (optionally only these variants: two processes, 2 cores)
    python tools/dit_experiments.py frames NAME DIT       # frame prediction on clips the DiT trained on vs held-out

Every row is scored the same way (`evaluate`): `label_sensitivity` on 96 held-out clips' tokens, then 16 samples per
class (DDPM 250, the CFG scales asked for) decoded by the shipped tokenizer and read by the shapes classifier (motion,
shape, class), and FD-tokens against 192 held-out clips' tokens (with its floor: 96 other held-out clips' tokens). The
DiT of these rows is the tiny preset, which reads the paper's frame condition (the tokens of the masked clip); the
shipped recipe reads the given frames instead. Rows append JSON lines to OUT (default /tmp/dit_experiments, or
$DIT_EXPERIMENTS); `data/runs/dit_recipes_cpu_2026-12-02.json` collects the ones `11_generation` prints. One training
at a time per core: OMP_NUM_THREADS=1 for each of two processes on a 2-core machine.
"""
import json, os, sys, time
from dataclasses import asdict
from pathlib import Path

import torch
from torch.utils.data import TensorDataset

from nerv_diffusion.tokenizer import load_tokenizer
from nerv_diffusion.pipeline import (train_dit, NeRVDiffusion, normalize, token_fd, latent_dataset, label_sensitivity,
                                     DiTLoss, set_latent_stats)
from nerv_diffusion.diffusion import DiffusionConfig
from nerv_diffusion.dit import DIT_PRESETS, DiT
from nerv_diffusion.training import TrainConfig, Trainer, EMA
from nerv_diffusion.metrics import load_shapes_classifier, shapes_accuracy

OUT = Path(os.environ.get("DIT_EXPERIMENTS", "/tmp/dit_experiments"))
DIFFUSIONS = {"eps": DiffusionConfig(), "x0m": DiffusionConfig(target="x0"),  # the diffusion settings of the rows
              "x0u": DiffusionConfig(target="x0", min_snr_gamma=None), "vu": DiffusionConfig(target="v", min_snr_gamma=None)}


def tokens():
    "(train, held-out) token sets: 4,096 clips of seed 0 (what `train-dit` encodes) and 384 of seed 1."
    return [torch.load(OUT / f"{n}.pt") for n in ("train4096", "held384")]


def evaluate(tok, clf, dit, dcfg, held, per_class=16, cfgs=(2.0,), sampler=("ddpm", 250), seed=1, classes=12):
    pipe = NeRVDiffusion(tok, dit, dcfg)
    zh, yh, _ = held
    res = {"sens": {t: {"rel": v["rel_change"], "x0_mse": v["x0_err"], "err_true": v["eps_err_true"],
                        "err_wrong": v["eps_err_wrong"], "err_null": v["eps_err_null"]}
                    for t, v in label_sensitivity(pipe, zh[:96], yh[:96]).items()}}
    real_tok = normalize(dit, zh[:192])
    res["fd_tokens_real_vs_real_96"] = token_fd(normalize(dit, zh[192:288]), real_tok)  # the floor, 96 other clips
    labels = torch.arange(classes).repeat_interleave(per_class)
    for s in cfgs:
        t0 = time.perf_counter()
        x = pipe.sample_tokens(labels=labels, cfg_scale=s, steps=sampler[1], method=sampler[0], seed=seed)
        acc = shapes_accuracy(pipe.decode(x), labels, clf)
        res[f"cfg{s:g}"] = {"motion": acc["motion"], "shape": acc["shape"], "cls": acc["class"],
                            "fd_tokens": token_fd(x.cpu(), real_tok), "sec": time.perf_counter() - t0}
    return res


def report(name, res, minutes=None):
    s = res["sens"]
    print(f"{name:32s} " + (f"{minutes:5.1f} min | " if minutes else "") + "rel " + "/".join(
        f"{100 * s[t]['rel']:.1f}" for t in s) + f"% | x0-mse@800 {s[800]['x0_mse']:.2f} | " + " | ".join(
        f"{k}: motion {v['motion']:.0%} shape {v['shape']:.0%} class {v['cls']:.0%} FDtok {v['fd_tokens']:.1f}"
        for k, v in res.items() if k.startswith("cfg")), flush=True)


def run(name, dcfg, steps=3000, lr=5e-4, ema=0.999, frame_prob=0.5, seed=0, eval_kw={}, log="rows.jsonl"):
    "Train the tiny DiT on the 4,096 clips' tokens with one change, score it, append a JSON line to OUT/log."
    tok, clf = load_tokenizer(), load_shapes_classifier()
    train, held = tokens()
    t0 = time.perf_counter()
    tc = TrainConfig(steps=steps, batch_size=32, lr=lr, warmup=100, min_lr_ratio=0.1, ema_decay=ema, progress=False,
                     seed=seed, log_every=max(steps // 10, 1))
    dit, _ = train_dit(tok, DIT_PRESETS["tiny"], TensorDataset(*train), tc, diffusion=dcfg, frame_prob=frame_prob)
    minutes = (time.perf_counter() - t0) / 60
    res = evaluate(tok, clf, dit, dcfg, held, **eval_kw)
    with open(OUT / log, "a") as f:
        f.write(json.dumps(dict(name=name, steps=steps, lr=lr, ema=ema, frame_prob=frame_prob, seed=seed,
                                diffusion=asdict(dcfg), train_min=minutes, **res)) + "\n")
    report(name, res, minutes)


def long(name, steps, milestones=(3000, 6000, 10000, 15000, 20000, 25000, 30000)):
    """`train_dit`'s run (same seed, data and loss) with snapshots of the weights, their EMA 0.999 (the Trainer's)
    and a second EMA 0.9999 at each milestone, to score steps and EMA decay from one run."""
    train, _ = tokens()
    out = OUT / f"long_{name}"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    dit = set_latent_stats(DiT(DIT_PRESETS["tiny"]), train[0])
    tc = TrainConfig(steps=steps, batch_size=32, lr=5e-4, warmup=100, min_lr_ratio=0.1, ema_decay=0.999,
                     progress=False, seed=0, log_every=1000, eval_every=1)
    slow, t0 = None, time.perf_counter()

    def snap(tr):
        nonlocal slow
        slow = slow or EMA(tr.module, 0.9999)
        slow.update(tr.module)
        if tr.step in milestones:
            torch.save({"ema999": {k: v.clone() for k, v in tr.ema.shadow.items()},
                        "ema9999": {k: v.clone() for k, v in slow.shadow.items()},
                        "raw": {k: v.clone() for k, v in tr.module.state_dict().items()}}, out / f"step{tr.step}.pt")
            print(f"step {tr.step} saved, {(time.perf_counter() - t0) / 60:.1f} min", flush=True)
        return {}

    Trainer(dit, DiTLoss(DIFFUSIONS[name], 0.5), TensorDataset(*train), tc, eval_fn=snap).fit()


def snapshot(path, key, cfgs):
    tok, clf = load_tokenizer(), load_shapes_classifier()
    name = Path(path).parent.name.removeprefix("long_")
    dit = DiT(DIT_PRESETS["tiny"])
    dit.load_state_dict(torch.load(path)[key])
    res = evaluate(tok, clf, dit.eval(), DIFFUSIONS[name], tokens()[1], cfgs=cfgs)
    row = dict(name=f"{name} {Path(path).name} {key}", **res)
    with open(OUT / "snaps.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")
    report(row["name"], res)


def frames(name, path):
    """Frame prediction (5 given -> 11, DDPM 250, the shipped CFG) of the DiT at `path` on 96 clips it trained on
    (the first 96 of seed 0, in every training set `train-dit` encodes) and 96 held-out clips (seed 1): a gap between
    the two is overfitting."""
    from nerv_diffusion.pipeline import load_pipeline, evaluate_frame_prediction, CFG_SCALE
    from nerv_diffusion.metrics import shapes_set

    pipe, clf, row = load_pipeline(path), load_shapes_classifier(), {"name": name, "dit": str(path)}
    for split, seed in [("trained", 0), ("held_out", 1)]:
        real, labels = shapes_set(96, seed=seed)
        fp = evaluate_frame_prediction(pipe, real, classifier=clf, labels=labels, seed=2, cfg_scale=CFG_SCALE)
        row[split] = {k: round(fp[k], 4) for k in ("psnr_rest", "psnr_hold_last", "motion_acc", "class_acc")}
        print(name, split, row[split], flush=True)
    with open(OUT / "frames.jsonl", "a") as f:
        f.write(json.dumps(row) + "\n")


TABLE_3B = [("vanilla DiT", DiffusionConfig(target="x0", min_snr_gamma=None, ss_prob=0.0)),
            ("w/ Min-SNR-5", DiffusionConfig(target="x0", ss_prob=0.0)),
            ("w/ scheduled sampling", DiffusionConfig(target="x0", min_snr_gamma=None)),
            ("w/ both", DiffusionConfig(target="x0"))]

if __name__ == "__main__":
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "cache":
        tok = load_tokenizer()
        torch.save(latent_dataset(tok, 4096, seed=0).tensors, OUT / "train4096.pt")
        torch.save(latent_dataset(tok, 384, seed=1).tensors, OUT / "held384.pt")
    elif cmd == "rows":
        for name, key, kw in [("eps, Min-SNR-5 (paper)", "eps", {}), ("x0, Min-SNR-5", "x0m", {}),
                              ("x0, uniform weight", "x0u", {}), ("v, uniform weight", "vu", {}),
                              ("x0, Min-SNR-5, frame_prob 0.25", "x0m", dict(frame_prob=0.25)),
                              ("x0, uniform, lr 1e-3", "x0u", dict(lr=1e-3))]:
            run(name, DIFFUSIONS[key], **kw)
    elif cmd == "long":
        long(args[0], int(args[1]))
    elif cmd == "snapshot":
        snapshot(args[0], args[1], tuple(float(c) for c in args[2].split(",")))
    elif cmd == "frames":
        frames(args[0], args[1])
    elif cmd == "table3b":
        variants = [int(v) for v in args[1].split(",")] if len(args) > 1 else range(len(TABLE_3B))
        for seed in (int(s) for s in args[0].split(",")):
            for name, dc in (TABLE_3B[v] for v in variants):
                run(f"3b {name} seed {seed}", dc, steps=1500, seed=seed, eval_kw=dict(per_class=8), log="table3b.jsonl")
    else:
        sys.exit(__doc__)
