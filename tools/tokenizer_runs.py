"""The tokenizer runs of `08_tokenizer` that `nerv-diffusion train-tokenizer` alone does not make: scoring a checkpoint
like every row of 08's tables, the ConvVideoAE yardstick under the shipped recipe, and the picture of reconstructions.

    python tools/tokenizer_runs.py score CKPT            # one row: 192 held-out clips of seed 1, posterior means
    python tools/tokenizer_runs.py conv-ae OUT           # train ConvVideoAE with RECIPES['tokenizer_tiny'], then score it
    python tools/tokenizer_runs.py frames OUT.png [LABEL=]CKPT...  # frame 8 of 12 held-out clips, then each CKPT's

CKPT is a tokenizer checkpoint without its extension (`runs/tok/tokenizer`), `shipped` for data/checkpoints'
tokenizer_tiny, or a ConvVideoAE that `conv-ae` saved (`OUT/conv_ae`). `--radius LO HI` draws every clip (training
and held-out) with shapes of that size (default: the data set's); `--classifier PATH` scores with another shapes
classifier than the shipped one. One training per core: OMP_NUM_THREADS=1 for each of two processes on a 2-core machine.
"""
import argparse, json, time
from pathlib import Path

import torch

from nerv_diffusion.tokenizer import (ConvAEConfig, ConvVideoAE, TokenizerLossConfig, evaluate_tokenizer, load_tokenizer,
                                      train_tokenizer)
from nerv_diffusion.training import RECIPES
from nerv_diffusion.data import MovingShapes, RADIUS
from nerv_diffusion.checkpoints import config_from_json, load_pretrained, read_meta, save_pretrained
from nerv_diffusion.metrics import shapes_set, load_shapes_classifier, shapes_accuracy


def score(model, radius=RADIUS, classifier=None) -> dict:
    "08's columns on the 192 held-out clips of seed 1 (posterior means), with the shipped shapes classifier."
    clf = load_shapes_classifier(classifier)
    held, labels = shapes_set(192, seed=1, radius=radius)
    ev = evaluate_tokenizer(model, held, clf)
    acc = shapes_accuracy(ev["recon"], labels, clf)
    return {"psnr": round(ev["psnr"], 2), "ssim": round(ev["ssim"], 3), "class_acc": round(acc["class"], 3),
            "shape_acc": round(acc["shape"], 3), "motion_acc": round(acc["motion"], 3),
            "fd_shapes": round(ev["fd_shapes"], 1), "sigma": round(ev["sigma"], 3),
            "fd_gauss_per_dim": round(ev["fd_gauss_per_dim"], 3)}


def conv_ae(out: Path, radius=RADIUS, classifier=None) -> dict:
    "The ConvVideoAE yardstick trained with the shipped tokenizer's recipe (its steps, batch, schedule and loss)."
    r, cfg = RECIPES["tokenizer_tiny"], ConvAEConfig()
    t0 = time.perf_counter()
    model, tr = train_tokenizer(cfg, MovingShapes(r.clips, cfg.frames, cfg.size, seed=0, radius=radius),
                                r.train_config(out_dir=str(out), progress=False),
                                TokenizerLossConfig(lpips="off", gan_weight=0, sample_start=3000), model=ConvVideoAE(cfg))
    seconds = time.perf_counter() - t0
    save_pretrained(model, cfg, out / "conv_ae", steps=tr.step)
    return {"name": "conv_ae_6000", "steps": tr.step, "seconds": round(seconds, 1), "radius": list(radius),
            "heldout_192": score(model, radius, classifier)}


def frames_picture(path: Path, ckpts: list[str], radius=RADIUS):
    "Frame 8 of 12 held-out clips (one per class) in the first row, then each checkpoint's reconstructions."
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    held, _ = shapes_set(12, seed=1, radius=radius)
    rows = [("clips", held)]
    for c in ckpts:
        label, _, c = c.rpartition("=")
        tok = load(c)
        with torch.no_grad():
            rows.append((label or Path(c).parent.name, tok.decode(tok.encode(held)[0])))
    fig, ax = plt.subplots(len(rows), 12, figsize=(12, 1.05 * len(rows)))
    for r, (name, x) in enumerate(rows):
        ax[r, 0].set_title(name, fontsize=8, loc="left")
        for c in range(12):
            ax[r, c].imshow(((x[c, 8].permute(1, 2, 0) + 1) / 2).clamp(0, 1))
            ax[r, c].axis("off")
    plt.tight_layout()
    plt.savefig(path, dpi=60)


def load(ckpt: str):
    "A tokenizer checkpoint, `shipped`, or a ConvVideoAE saved by `conv-ae` (`OUT/conv_ae`)."
    if ckpt != "shipped" and read_meta(ckpt).get("model") == "ConvVideoAE":
        build = lambda c: ConvVideoAE(config_from_json(ConvAEConfig, c))
        return load_pretrained(ckpt, build, "ConvVideoAE")[0].eval()
    return load_tokenizer(None if ckpt == "shipped" else ckpt)


if __name__ == "__main__":
    torch.set_num_threads(1)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cmd", choices=["score", "conv-ae", "frames"])
    p.add_argument("args", nargs="+")
    p.add_argument("--radius", type=float, nargs=2, default=RADIUS, metavar=("LO", "HI"))
    p.add_argument("--classifier", default=None, help="a shapes classifier checkpoint (default: the shipped one)")
    a = p.parse_intermixed_args()
    if a.cmd == "score":
        print(json.dumps(score(load(a.args[0]), a.radius, a.classifier)))
    elif a.cmd == "conv-ae":
        out = Path(a.args[0])
        out.mkdir(parents=True, exist_ok=True)
        row = conv_ae(out, a.radius, a.classifier)
        (out / "row.json").write_text(json.dumps(row))
        print(json.dumps(row))
    else:
        frames_picture(Path(a.args[0]), a.args[1:], a.radius)
