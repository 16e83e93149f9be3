"""Notebook-first reproduction of NeRV-Enc/NeRV-Dec and NeRV-Diffusion: videos as the weights of small conv nets

Modules:

- `nerv_diffusion.cli`: Subcommands that run the project's jobs on real files: for now `fit`, which encodes one video as a NeRV by gradient descent.
- `nerv_diffusion.data`: `MovingShapes`, the embedded procedural data set; `VideoFolder` for UCF-101 / Kinetics / TaiChi folders; frame prediction masks; loaders; and the small helpers that ship trained weights as safetensors + JSON.
- `nerv_diffusion.metrics`: PSNR and SSIM for reconstructions, LPIPS for perception, Fréchet distances for sets of videos (FVD with the standard I3D file, and `FD-shapes`, an offline yardstick trained here on MovingShapes), and class accuracy.
- `nerv_diffusion.nerv`: The neural representation of a video: a small convolutional network that maps a frame index `t` to a frame. Fitting one to a video by gradient descent is the baseline NeRV-Enc replaces.
- `nerv_diffusion.training`: One small `Trainer` for every stage: AdamW, warm-up + cosine, gradient clipping, EMA, bf16 autocast, a NaN guard, a progress bar, hooks, exact resume from safetensors checkpoints, and DDP under `torchrun`."""

__version__ = "0.1.0"
