"""Train the tiny tokenizer and DiT on one GPU within a time budget, through the `nerv-diffusion` command.

Each stage first times 100 steps of its own training, then runs `train-tokenizer` / `train-dit` with as many
steps as its budget allows (the cosine schedule then ends where the budget does). Used for the GPU rows of 08
and 11:

    python tools/gpu_train.py OUT --tok-seconds 300 --dit-seconds 100

OUT gets `tok/` and `dit/` (each with the command's metrics.json) and `summary.json`."""

import argparse, json, subprocess, sys, time
from pathlib import Path
import torch
from torch.utils.data import TensorDataset
from nerv_diffusion.data import MovingShapes
from dataclasses import asdict
from nerv_diffusion.checkpoints import apply_overrides, config_from_json
from nerv_diffusion.training import Trainer, RECIPES
from nerv_diffusion.tokenizer import (
    TOKENIZER_PRESETS,
    DISC_PRESETS,
    NeRVTokenizer,
    TokenizerLoss,
    TokenizerLossConfig,
    load_tokenizer,
    evaluate_tokenizer,
)
from nerv_diffusion.dit import DiT
from nerv_diffusion.pipeline import DiTLoss, dit_configs
from nerv_diffusion.metrics import shapes_set, load_shapes_classifier, class_accuracy


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def seconds_per_step(tr: Trainer, n: int = 100, warm: int = 10) -> float:
    "Wall time of one step of `tr` after `warm` warm-up steps (a fresh loader per fit, as in training)."
    tr.fit(warm)
    _sync()
    t = time.perf_counter()
    tr.fit(warm + n)
    _sync()
    return (time.perf_counter() - t) / n


def budget_steps(seconds: float, s_per_step: float) -> int:
    "Steps that fit in `seconds`, in hundreds (at least 100)."
    return max(100, int(seconds / s_per_step) // 100 * 100)


def cli(*args):
    "Run the `nerv-diffusion` command in a child process, its output streamed."
    entry = "import sys; from nerv_diffusion.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", entry, *map(str, args)]
    print("$ nerv-diffusion " + " ".join(map(str, args)), flush=True)
    subprocess.run(cmd, check=True)


def budgeted(summary: dict, stage: str, trainer: Trainer, seconds: float, batch: int, probe: int) -> int:
    "Time `probe` steps of `trainer`, record the rate in `summary[stage]`; the steps that fit `seconds`."
    sps = seconds_per_step(trainer, probe)
    steps = budget_steps(seconds, sps)
    summary[stage] = {"s_per_step": round(sps, 4), "steps": steps, "batch": batch}
    print(json.dumps(summary), flush=True)
    return steps


def timed_cli(summary: dict, stage: str, *args):
    "Run the command and record its wall time under `summary[stage]`."
    t0 = time.perf_counter()
    cli(*args)
    summary[stage]["seconds"] = round(time.perf_counter() - t0, 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--tok-seconds", type=float, default=300)
    p.add_argument("--tok-batch", type=int, default=64)
    p.add_argument("--dit-seconds", type=float, default=100, help="0: the tokenizer only")
    p.add_argument("--dit-batch", type=int, default=128)
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--probe", type=int, default=100, help="steps timed before each stage")
    p.add_argument("--dit-clips", type=int, default=8192)
    a = p.parse_args()
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    out, summary = Path(a.out), {"device": torch.cuda.get_device_name() if dev == "cuda" else "cpu"}
    quiet = dict(progress=False, log_every=0, ckpt_every=0)
    # stage 1: the tokenizer, timed with the shipped recipe's loss and optimizer settings (08)
    rt, rd = RECIPES["tokenizer_tiny"], RECIPES["dit_tiny"]
    loss_d = apply_overrides({"loss": asdict(TokenizerLossConfig(disc=DISC_PRESETS["tiny"]))}, list(rt.sets))
    loss = config_from_json(TokenizerLossConfig, loss_d["loss"])
    probe = rt.train_config(steps=a.probe + 10, batch_size=a.tok_batch, num_workers=a.workers, **quiet)
    tr = Trainer(NeRVTokenizer(TOKENIZER_PRESETS[rt.preset]), TokenizerLoss(loss), MovingShapes(8192), probe)
    steps = budgeted(summary, "tokenizer", tr, a.tok_seconds, a.tok_batch, a.probe)
    timed_cli(summary, "tokenizer", "train-tokenizer", "--steps", steps, "--batch-size", a.tok_batch,
              "--warmup", 200, "--clips", 240_000, "--workers", a.workers, "--eval-clips", 192,
              "--log-every", 1000, "--ckpt-every", 10**9, "--quiet",
              "--set", f"loss.sample_start={steps // 2}", "--out", out / "tok")
    tok = load_tokenizer(out / "tok" / "tokenizer").to(dev)
    clips, labels = shapes_set(192, seed=1)
    ev = evaluate_tokenizer(tok, clips)
    summary["tokenizer"].update(psnr=round(ev["psnr"], 3), ssim=round(ev["ssim"], 4),
                                class_acc=class_accuracy(ev["recon"], labels, load_shapes_classifier()))
    print(json.dumps(summary), flush=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    if a.dit_seconds <= 0:
        return
    # stage 2: the DiT on the new tokenizer's latents (timed on random tokens of the same shape)
    cfg, diff = dit_configs(rd.preset, tok)  # the shipped recipe's DiT and diffusion settings (11)
    n = 4096
    shape = (n, cfg.tokens, cfg.token_dim)
    fake = TensorDataset(torch.randn(shape), torch.arange(n) % 12, torch.randn(shape))
    probe = rd.train_config(steps=a.probe + 10, batch_size=a.dit_batch, **quiet)
    tr = Trainer(DiT(cfg), DiTLoss(diff, 0.5), fake, probe)
    steps = budgeted(summary, "dit", tr, a.dit_seconds, a.dit_batch, a.probe)
    timed_cli(summary, "dit", "train-dit", "--tokenizer", out / "tok" / "tokenizer", "--steps", steps,
              "--batch-size", a.dit_batch, "--clips", a.dit_clips, "--eval-per-class", 16,
              "--log-every", 1000, "--ckpt-every", 10**9, "--quiet", "--out", out / "dit")
    summary["dit"].update(json.loads((out / "dit" / "metrics.json").read_text()))
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
