"""Run the `nerv-diffusion` command on the bad-input suite, one fresh process per case.

    python tools/hostile_cli.py [--only SUBSTRING] [--keep] [--jobs N]

Each case states what must happen: exit status 2 and a one-line error (`nerv-diffusion CMD: error: ...` or
argparse's `usage` + `error:` line) that contains a given text, no Python traceback, and the files the user
owns unchanged (bytes compared before and after). Cases that must succeed (exit 0, optionally with a warning, a
sentence on stdout, a bound on memory) say so; a case can press Ctrl-C once the command has said a given thing
(exit 130 and one line). Prints a table per class and `N passed, N failed`; exits 1 when any case fails. The
cases of a class run in order (a later one may read what an earlier one wrote), two classes at once (`--jobs`), each
process at one thread; takes a few minutes on 2 CPU cores (each case starts Python and imports torch)."""

from __future__ import annotations
import argparse, hashlib, json, os, resource, shutil, signal, struct, subprocess, sys, tempfile, threading, time, zlib
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import torch

from nerv_diffusion.checkpoints import checkpoint_dir
from nerv_diffusion.data import MovingShapes
from nerv_diffusion.video import damage_frame, frames_to_clip, write_video

CLI = [sys.executable, "-c", "from nerv_diffusion.cli import main; main()"]  # what the console script runs


@dataclass
class Case:
    cls: str  # the kind of bad input it belongs to (cases of one class run in order)
    argv: list
    expect: str  # text the last stderr line must contain ("" for a success)
    status: int = 2
    keep: list = field(default_factory=list)  # files whose bytes must not change
    absent: list = field(default_factory=list)  # files that must not exist afterwards
    env: dict = field(default_factory=dict)
    warn: str = ""  # text a warning on stderr must contain (successful cases)
    fsize: int | None = None  # a file-size limit in bytes (ulimit -f) for the process
    stdout: str = ""  # text stdout must contain
    interrupt: str = ""  # press Ctrl-C (SIGINT) once stdout contains this
    max_rss_mb: int | None = None  # the most memory the process may hold (its peak resident set)


def digest(p: Path):
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None


def run_case(c: Case, cwd: Path) -> tuple[bool, str, float]:
    before = {p: digest(p) for p in c.keep}
    t0 = time.perf_counter()

    def limits():
        if c.fsize is not None:
            resource.setrlimit(
                resource.RLIMIT_FSIZE, (c.fsize, c.fsize)
            )  # Python ignores SIGXFSZ: EFBIG instead

    p = subprocess.Popen([*CLI, *map(str, c.argv)], cwd=cwd, preexec_fn=limits, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env={**os.environ, "OMP_NUM_THREADS": "1", **c.env})
    peak, out_lines = [0], []

    def watch_memory():  # the peak resident set (VmHWM) while the process lives
        while p.poll() is None:
            try:
                hwm = [l for l in Path(f"/proc/{p.pid}/status").read_text().splitlines() if l.startswith("VmHWM")]
                peak[0] = max(peak[0], int(hwm[0].split()[1]) // 1024) if hwm else peak[0]
            except OSError:
                pass
            time.sleep(0.1)

    def read_stdout():
        for line in p.stdout:
            out_lines.append(line)
            if c.interrupt and c.interrupt in line:
                time.sleep(0.5)
                p.send_signal(signal.SIGINT)

    threads = [threading.Thread(target=f, daemon=True) for f in (watch_memory, read_stdout)]
    for t in threads:
        t.start()
    try:
        err = p.stderr.read()
        p.wait(timeout=600)
    finally:
        p.kill()
    for t in threads:
        t.join(timeout=5)
    r = subprocess.CompletedProcess(p.args, p.returncode, "".join(out_lines), err)
    dt = time.perf_counter() - t0
    lines = [l for l in r.stderr.strip().splitlines() if l.strip()]
    last = lines[-1] if lines else ""
    problems = []
    if "Traceback" in r.stderr:
        problems.append("traceback")
    if r.returncode != c.status:
        problems.append(f"exit {r.returncode}, wanted {c.status}")
    if c.expect and c.expect not in last:
        problems.append(f"message lacks {c.expect!r}")
    if c.status in (2, 130) and not (last.startswith("nerv-diffusion") or "error:" in last):
        problems.append("not a one-line error")
    if c.warn and c.warn not in r.stderr:
        problems.append(f"no warning with {c.warn!r}")
    if c.stdout and c.stdout not in r.stdout:
        problems.append(f"stdout lacks {c.stdout!r}")
    if c.max_rss_mb is not None and peak[0] > c.max_rss_mb:
        problems.append(f"held {peak[0]} MB, over {c.max_rss_mb} MB")
    changed = [p.name for p in c.keep if digest(p) != before[p]]
    if changed:
        problems.append(f"changed: {changed}")
    left = [str(p) for p in c.absent if p.exists()]
    if left:
        problems.append(f"left behind: {left}")
    shown = last if c.status else (r.stderr.strip().splitlines() or r.stdout.strip().splitlines() or ["(exit 0)"])[-1]
    shown += f" [{peak[0]} MB]" if c.max_rss_mb is not None else ""
    return not problems, "; ".join(problems) or shown[:150], dt


def make_files(d: Path) -> dict:
    "Every input the cases use: videos, .nerv files, damaged and edited checkpoints, run folders."
    f, ck = {}, checkpoint_dir()
    clip = MovingShapes(1, num_frames=16, size=(48, 64), seed=3)[0][0]
    f["mp4"] = write_video(d / "in.mp4", clip, fps=8)
    f["mkv"] = write_video(d / "in.mkv", clip, fps=8)
    data = f["mkv"].read_bytes()
    (d / "cut.mkv").write_bytes(data[: len(data) // 2])
    long = write_video(d / "long.mkv", MovingShapes(1, num_frames=48, size=64, seed=1)[0][0], fps=8)
    damage_frame(long, d / "hit.mkv")  # damage the decoder conceals: a warning, not an error
    subprocess.run([*CLI, "encode", f["mp4"], d / "in.nerv"], check=True, capture_output=True)
    subprocess.run([*CLI, "encode", f["mp4"], d / "tiny.nerv", "--checkpoint", ck / "nerv_enc_tiny"], check=True,
                   capture_output=True)  # a file of the other shipped encoder
    import imageio.v3 as iio, matplotlib.cbook as cbook, numpy as np

    photo = iio.imread(cbook.get_sample_data("grace_hopper.jpg"))  # a real photograph, panned across: 3 s at 30 fps
    f["pan"] = write_video(d / "pan.mp4", frames_to_clip(np.stack([photo[100:220, 50 + 3 * i : 210 + 3 * i]
                                                                   for i in range(90)])), fps=30)
    write_video(d / "five.mp4", clip[:5])
    write_video(d / "three.mp4", clip[:3])
    f["nerv"] = d / "in.nerv"
    gif = (
        bytearray(b"GIF89a") + (6000).to_bytes(2, "little") * 2 + bytes([0, 0, 0])
    )  # 6000x6000 screen, no table
    gif += b"\x2c" + bytes(4) + (1).to_bytes(2, "little") * 2 + b"\x00" + b"\x02\x02\x44\x01\x00" + b"\x3b"
    (d / "huge.gif").write_bytes(bytes(gif))
    # the memory case of `decode`: a checksummed header stating 1e9 frames is made in `cases`
    # damaged checkpoints: every one beside a valid JSON of its kind
    for kind in ("dit_tiny", "tokenizer_tiny", "nerv_enc_tiny"):
        good = (ck / f"{kind}.safetensors").read_bytes()
        for name, blob in {
            "empty": b"",
            "cut": good[: len(good) // 3],
            "pickle": b"\x80\x04\x95" + bytes(64),
        }.items():
            (d / f"{name}_{kind}.safetensors").write_bytes(blob)
            shutil.copy(ck / f"{kind}.json", d / f"{name}_{kind}.json")
    meta = json.loads((ck / "dit_tiny.json").read_text())
    edits = {
        "list": [1, 2],
        "noconfig": {k: v for k, v in meta.items() if k != "config"},
        "depth_six": {**meta, "config": {**meta["config"], "depth": "six"}},
        "heads_neg": {**meta, "config": {**meta["config"], "heads": -4}},
        "dim_huge": {**meta, "config": {**meta["config"], "dim": 1e9}},
        "dim_other": {**meta, "config": {**meta["config"], "dim": 64}},
        "unknown": {**meta, "config": {**meta["config"], "wings": 2}},
    }
    for name, m in edits.items():
        shutil.copy(ck / "dit_tiny.safetensors", d / f"{name}.safetensors")
        (d / f"{name}.json").write_text(json.dumps(m))
    shutil.copy(ck / "dit_tiny.safetensors", d / "badjson.safetensors")
    (d / "badjson.json").write_text("{not json")
    shutil.copy(ck / "dit_tiny.safetensors", d / "my.dit.v2.safetensors")  # a dot in the name
    shutil.copy(ck / "dit_tiny.json", d / "my.dit.v2.json")
    (d / "ckfolder").mkdir()
    (d / "afile").write_text("a file, not a folder")
    (d / "run").mkdir()
    (d / "run" / "last.safetensors").write_bytes(b"a later run's checkpoint")
    (d / "cache").mkdir()
    (d / "cache" / "latents.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{")  # truncated
    return f


def edit_nerv_header(src: Path, dst: Path, key: str, value):
    "Copy a .nerv file with one header value changed, its length and checksum made right (a crafted file)."
    from nerv_diffusion.nerv_dec import MAGIC

    data = src.read_bytes()[:-4]
    at = len(MAGIC)
    version, n = struct.unpack("<HI", data[at : at + 6])
    header = json.loads(data[at + 6 : at + 6 + n])
    header[key] = value
    new = json.dumps(header).encode()
    body = MAGIC + struct.pack("<HI", version, len(new)) + new + data[at + 6 + n :]
    dst.write_bytes(body + struct.pack("<I", zlib.crc32(body)))


def cases(d: Path, f: dict) -> list[Case]:
    ck, mp4, nerv = checkpoint_dir(), f["mp4"], f["nerv"]
    ins = [mp4, nerv]
    C = []
    # data loss
    for v in ("0", "nan", "-3", "1e-9", "-8"):
        C.append(
            Case("loss: bad number before writing", ["encode", mp4, nerv, "--fps", v], "--fps", keep=ins)
        )
    C.append(Case("loss: output is an input", ["encode", mp4, mp4], "refusing to write over it", keep=ins))
    C.append(Case("loss: output is an input", ["decode", nerv, nerv], "refusing to write over it", keep=ins))
    C.append(
        Case(
            "loss: output is an input",
            ["sample", "--frames-from", mp4, "--out", mp4, "--steps", "1"],
            "refusing to write over it",
            keep=ins,
        )
    )
    C.append(
        Case(
            "loss: output is an input",
            ["sample", "--out", ck / "dit_tiny.safetensors", "--steps", "1"],
            "unknown video extension",
            keep=[ck / "dit_tiny.safetensors"],
        )
    )
    for cmd in ("train-dit", "train-tokenizer"):
        C.append(
            Case(
                "loss: a run folder without --resume",
                [cmd, "--out", d / "run", "--steps", "1"],
                "--resume",
                keep=[d / "run" / "last.safetensors"],
            )
        )
    for v in ("nan", "inf", "1e300", "-1"):
        C.append(
            Case(
                "loss: sample numbers",
                ["sample", "--cfg", v, "--out", d / "s.gif"],
                "--cfg",
                absent=[d / "s.gif"],
            )
        )
    C.append(
        Case(
            "loss: sample numbers",
            ["sample", "--steps", "0", "--out", d / "s.gif"],
            "--steps",
            absent=[d / "s.gif"],
        )
    )
    # operating-system errors
    C.append(Case("OS error", ["decode", nerv, d / "afile" / "out.mp4"], "afile"))
    C.append(Case("OS error", ["decode", nerv, d / "ckfolder"], "ckfolder: is a folder"))
    C.append(Case("OS error", ["encode", mp4, d / "ckfolder"], "ckfolder: is a folder"))
    C.append(Case("OS error", ["decode", nerv, d / ("x" * 251 + ".mp4")], "", status=0))  # 255 bytes: allowed
    C.append(Case("OS error", ["decode", nerv, d / ("x" * 252 + ".mp4")], "File name too long"))
    C.append(Case("OS error", ["decode", nerv, d / "nofolder" / "deeper" / "out.mp4"], "", status=0))  # made
    C.append(Case("OS error", ["fit", mp4, "--out", d / "afile", "--steps", "1", "--quiet"], "afile"))
    C.append(
        Case(
            "OS error", ["decode", nerv, d / "big.mp4"], "File too large", fsize=2000, absent=[d / "big.mp4"]
        )
    )
    C.append(
        Case("OS error", ["decode", nerv, "/proc/o.mp4"], "/proc")
    )  # a folder no one may write to, root too
    # unreadable checkpoints
    for bad in ("empty", "cut", "pickle"):
        C.append(
            Case(
                "checkpoint: unreadable",
                ["sample", "--checkpoint", d / f"{bad}_dit_tiny", "--steps", "1", "--out", d / "s.gif"],
                f"{bad}_dit_tiny",
            )
        )
        C.append(
            Case(
                "checkpoint: unreadable",
                ["sample", "--tokenizer", d / f"{bad}_tokenizer_tiny", "--steps", "1", "--out", d / "s.gif"],
                f"{bad}_tokenizer_tiny",
            )
        )
        C.append(
            Case(
                "checkpoint: unreadable",
                ["decode", nerv, d / "o.mp4", "--checkpoint", d / f"{bad}_nerv_enc_tiny"],
                f"{bad}_nerv_enc_tiny",
            )
        )
        C.append(
            Case(
                "checkpoint: unreadable",
                [
                    "train-dit",
                    "--tokenizer",
                    d / f"{bad}_tokenizer_tiny",
                    "--out",
                    d / f"r_{bad}",
                    "--steps",
                    "1",
                ],
                f"{bad}_tokenizer_tiny",
            )
        )
    C.append(
        Case(
            "checkpoint: unreadable",
            [
                "train-dit",
                "--out",
                d / "cache",
                "--steps",
                "1",
                "--clips",
                "8",
                "--batch-size",
                "8",
                "--eval-per-class",
                "0",
                "--quiet",
            ],
            "",
            status=0,
            warn="latents.safetensors: unreadable cache",
        )
    )  # a cache: made again
    C.append(
        Case(
            "checkpoint: wrong kind",
            ["sample", "--tokenizer", ck / "dit_tiny", "--out", d / "s.gif"],
            "dit_tiny",
        )
    )
    C.append(
        Case(
            "checkpoint: wrong kind",
            ["sample", "--tokenizer", ck / "nerv_enc_tiny", "--out", d / "s.gif"],
            "nerv_enc_tiny",
        )
    )
    C.append(
        Case(
            "checkpoint: wrong kind",
            ["encode", mp4, d / "o.nerv", "--checkpoint", ck / "dit_tiny"],
            "dit_tiny",
        )
    )
    C.append(
        Case(
            "checkpoint: wrong kind",
            ["encode", mp4, d / "o.nerv", "--checkpoint", ck / "shapes_classifier"],
            "shapes_classifier",
        )
    )
    for name in ("list", "noconfig", "depth_six", "heads_neg", "dim_huge", "dim_other", "unknown", "badjson"):
        C.append(
            Case(
                "checkpoint: edited JSON",
                ["sample", "--checkpoint", d / name, "--steps", "1", "--out", d / "s.gif"],
                f"{name}.json" if name != "dim_other" else name,
            )
        )
    # numbers
    C += [
        Case("numbers", ["sample", "--n", "-3"], "--n"),
        Case("numbers", ["sample", "--n", "0"], "--n"),
        Case("numbers", ["quickstart", "--per-class", "-1"], "--per-class"),
        Case("numbers", ["fit", "--pe-l", "-2"], "--pe-l"),
        Case("numbers", ["fit", "--shape-class", "99"], "--shape-class"),
        Case("numbers", ["fit", "--shape-class", "-1"], "--shape-class"),
        Case("numbers", ["fit", "--fps", "0"], "--fps"),
        Case("numbers", ["fit", "--steps", "0"], "--steps"),
        Case("numbers", ["study", "Table 3(a)", "--seed", "-1"], "--seed"),
        Case("numbers", ["study", "Table 9"], "names no study"),
        Case("numbers", ["study", "Table 3(a)", "--row", "99"], "no row '99'"),
        Case("numbers", ["study", "--runs", d / "no_runs"], "", status=0, stdout="Table 3(a): the backbone"),
        Case("numbers", ["fit", "--steps", "-3"], "--steps"),
        Case("numbers", ["train-dit", "--batch-size", "0"], "--batch-size"),
        Case("numbers", ["train-dit", "--set", "depth=banana", "--out", d / "r_banana"], "depth"),
        Case("numbers", ["decode", nerv, d / "o.mp4", "--fps", "nan"], "--fps"),
    ]
    for name, (key, value) in {
        "fps_inf": ("fps", float("inf")),
        "fps_huge": ("fps", 1e308),
        "fps_tiny": ("fps", 1e-300),
        "frames_str": ("frames", "8"),
        "frames_1e9": ("frames", 1e9),
    }.items():
        edit_nerv_header(nerv, d / f"{name}.nerv", key, value)
        C.append(Case("numbers: .nerv header", ["decode", d / f"{name}.nerv", d / "o.mp4"], f"{name}.nerv"))
    # wrong but quiet
    C.append(Case("quiet: damaged video", ["encode", d / "cut.mkv", d / "o.nerv"], "cut.mkv"))
    C.append(
        Case(
            "quiet: damaged video",
            ["encode", d / "hit.mkv", d / "hit.nerv"],
            "",
            status=0,
            warn="nerv-diffusion encode: warning: ",
        )
    )
    C.append(
        Case(
            "quiet: checkpoint names",
            [
                "sample",
                "--checkpoint",
                d / "my.dit.v2",
                "--steps",
                "2",
                "--n",
                "1",
                "--class",
                "0",
                "--out",
                d / "dot.gif",
            ],
            "",
            status=0,
        )
    )
    C.append(
        Case(
            "quiet: checkpoint names",
            ["sample", "--checkpoint", d / "ckfolder", "--out", d / "s.gif"],
            "ckfolder",
        )
    )
    # memory
    C.append(Case("memory", ["encode", d / "huge.gif", d / "o.nerv"], "over the limit"))
    C.append(Case("memory", ["decode", d / "frames_1e9.nerv", d / "o.mp4"], "frames"))
    C.append(Case("memory", ["decode", nerv, d / "o.mp4", "--frames", "100000000"], "--frames"))
    C.append(Case("memory", ["fit", "--frames", "100000"], "--frames"))
    C.append(Case("memory: many samples", ["sample", "--n", "1000", "--class", "0", "--steps", "1", "--out", d / "n.gif"],
                  "", status=0, warn="sampling", stdout="64 at a time", max_rss_mb=3000))
    # a newcomer's first minutes
    first = "newcomer"
    C += [
        Case(first, ["--version"], "", status=0, stdout="nerv-diffusion "),
        Case(first, ["fit", mp4, "--frames", "1", "--steps", "5", "--out", d / "one", "--quiet"], "", status=0,
             stdout="wrote the reconstruction"),
        Case(first, ["decode", nerv, d / "one.gif", "--frames", "1"], "", status=0, stdout="x 1 frames"),
        Case(first, ["fit", mp4, "--steps", "1000000", "--out", d / "afile"], "afile: is a file"),  # before any step
        Case(first, ["fit", mp4, "--steps", "1000000", "--out", d / "stopped", "--quiet"], "interrupted", status=130,
             interrupt="fitting", absent=[d / "stopped"]),
        Case(first, ["sample", "--n", "200", "--steps", "250", "--out", d / "stopped.gif"], "interrupted", status=130,
             interrupt="sampling", absent=[d / "stopped.gif"]),
        Case(first, ["fit", mp4, "--preset", "fastnerv", "--out", d / "fast", "--quiet"], "interrupted", status=130,
             interrupt="min on this machine", stdout="256x256", absent=[d / "fast"]),  # the estimate, then Ctrl-C
        Case(first, ["encode", f["pan"], d / "pan.nerv"], "", status=0,
             stdout="centre 120x120 of each frame, resized to 64x64"),
        Case(first, ["encode", f["pan"], d / "pan2.nerv"], "", status=0,
             stdout="encoder: nerv_enc_natural_content (trained on natural clips"),
        Case(first, ["encode", f["pan"], d / "time.nerv", "--checkpoint", ck / "nerv_enc_natural"], "", status=0,
             stdout="encoder: nerv_enc_natural ("),                      # the paper's time-only NeRV, by name
        Case(first, ["encode", f["pan"], d / "pan3.nerv", "--checkpoint", ck / "nerv_enc_tiny"], "", status=0,
             warn="below the", stdout="resized to 32x32"),
        Case(first, ["sample", "--frames-from", f["pan"], "--n", "1", "--steps", "5", "--out", d / "pan.gif"], "",
             status=0, warn="below the", stdout="for holding frame 5"),
        Case(first, ["sample", "--frames-from", d / "five.mp4", "--n", "1", "--steps", "5", "--out", d / "f5.gif"], "",
             status=0, stdout="the first 5 are given"),
        Case(first, ["sample", "--frames-from", d / "three.mp4", "--n", "1", "--out", d / "f3.gif"], "has 3 frames"),
        Case(first, ["decode", nerv, d / "json.mp4", "--json"], "", status=0, stdout='"fps": '),
        Case(first, ["decode", nerv, d / "natural.mp4"], "", status=0, stdout="of 64x64"),  # each file finds
        Case(first, ["decode", d / "tiny.nerv", d / "tiny.mp4"], "", status=0, stdout="of 32x32"),  # its decoder
        Case(first, ["decode", d / "tiny.nerv", d / "o.mp4", "--checkpoint", ck / "nerv_enc_natural"],
             "decode with the checkpoint it was encoded with"),
        Case(first, ["decode", d / "time.nerv", d / "time.mp4"], "", status=0, stdout="of 64x64"),
        Case(first, ["decode", d / "pan2.nerv", d / "o2.mp4", "--checkpoint", ck / "nerv_enc_natural"],
             "decode with the checkpoint it was encoded with"),
    ]
    return C


def run_class(cases_of_class: list, d: Path) -> tuple[str, list]:
    """Run one class's cases in order (a later case may read what an earlier one wrote); return its report."""
    lines, results = [f"\n{cases_of_class[0].cls}"], []
    for c in cases_of_class:
        ok, what, dt = run_case(c, d)
        results.append(ok)
        args_shown = " ".join(Path(a).name if isinstance(a, Path) else a for a in c.argv)
        lines.append(f"  {'ok  ' if ok else 'FAIL'} {dt:5.1f}s  {args_shown[:60]:<60s} {what[:110]}")
    return "\n".join(lines), results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="run the cases whose class contains this text")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--jobs", type=int, default=2, help="classes run at once, one process each (default 2)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    d = Path(tempfile.mkdtemp(prefix="hostile_"))
    t0 = time.perf_counter()
    todo = [c for c in cases(d, make_files(d)) if args.only in c.cls]
    classes = {}  # class -> its cases, in order; the longest class (the newcomer's) first, so the lanes even out
    for c in todo:
        classes.setdefault(c.cls, []).append(c)
    order = sorted(classes.values(), key=lambda cs: -len(cs))
    results = []
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for done in as_completed([pool.submit(run_class, cs, d) for cs in order]):
            report, oks = done.result()
            print(report, flush=True)
            results += oks
    if not args.keep:
        shutil.rmtree(d, ignore_errors=True)
    print(f"\n{sum(results)} passed, {len(results) - sum(results)} failed ({time.perf_counter() - t0:.0f} s)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
