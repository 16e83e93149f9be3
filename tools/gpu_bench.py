"""13's GPU measurements in one call on a GPU machine, saved as the JSON 13 reads (`data/runs/bench_gpu_*.json`).

    python tools/gpu_bench.py "$OUT/bench_gpu.json"

Prints `gpu_suite`'s tables as it goes: NeRV-Dec (the `paper` NeRV, 8x256²) grouped and as batched matrix products
(`bmm`) in fp32/bf16, compiled or not, at B = 1..256, each against the bf16 FLOP limit and the copy bandwidth; the
generative NeRV S (16x128²) grouped and bmm; H.264 through PyAV where it is installed; DiT and tokenizer training.
Result keys are written as 'variant@B' (JSON has no tuple keys)."""

import json, sys, time
from pathlib import Path
import torch
from nerv_diffusion.bench import gpu_suite


def jsonable(d):
    "Tuple keys `(variant, B)` -> 'variant@B', recursively."
    if isinstance(d, dict):
        return {(f"{k[0]}@{k[1]}" if isinstance(k, tuple) else str(k)): jsonable(v) for k, v in d.items()}
    return d


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench_gpu.json")
    res = gpu_suite("cuda" if torch.cuda.is_available() else "cpu", quick=not torch.cuda.is_available())
    res["date"] = time.strftime("%Y-%m-%d")
    out.write_text(json.dumps(jsonable(res), indent=1))
    print("wrote", out)
