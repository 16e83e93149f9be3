"""Notebook-first reproduction of NeRV-Enc/NeRV-Dec and NeRV-Diffusion: videos as the weights of small conv nets

Modules:

- `nerv_diffusion.bench`: Decode, encode, generate, train: each speed claim of the two papers beside the same measurement on this machine, as ratios from one run, with the machine named.
- `nerv_diffusion.checkpoints`: Every file this project writes lands whole or not at all (`atomic_write`); trained models ship as safetensors + JSON (`save_pretrained`, `load_pretrained`, `checkpoint_dir`); and a stored config comes back as its dataclass, checked key by key and type by type (`config_from_json`).
- `nerv_diffusion.cli`: Subcommands that run the project's jobs on real files: `fit` (a NeRV by gradient descent), `encode` and `decode` (NeRV-Enc and NeRV-Dec through `.nerv` files), `train-tokenizer` and `train-dit` (the two NeRV-Diffusion stages), `sample` (class-conditional videos or frame prediction) and `quickstart`.
- `nerv_diffusion.data`: `MovingShapes`, the embedded procedural data set; `VideoFolder` for UCF-101 / Kinetics / TaiChi folders; frame prediction masks; loaders. (Shipped weights and their configs: `00a_checkpoints`.)
- `nerv_diffusion.diffusion`: The forward process on weight tokens, the ε-prediction loss with Min-SNR-γ weights, scheduled sampling, and DDPM / DDIM samplers with classifier-free guidance — model-agnostic: any `model(x, t, **cond) → ε`.
- `nerv_diffusion.dit`: DiT with adaLN-Zero blocks on the tokenizer's weight tokens — one token per "patch", no spatial or temporal attention — with timestep and class embeddings, a null class for guidance, and frame-prediction condition tokens.
- `nerv_diffusion.gnerv`: NeRV-Diffusion's decoder (Table A1): a spatiotemporal positional embedding goes through a conv and 2x transposed-conv blocks with residual side connections to RGB; a group of channels in every kernel is set directly from the tokens.
- `nerv_diffusion.interp`: Decode a NeRV at any real-valued time (denser than it was trained, or past its end), walk in a straight line between two videos' weight tokens, interpolate between DiT samples — and explore all three with ipywidgets.
- `nerv_diffusion.layers`: Sin-cos embeddings (transformer and geometric frequencies) and the pre-norm ViT block: defined once, used by NeRV, NeRV-Enc, the generative NeRV, the tokenizer and the DiT.
- `nerv_diffusion.metrics`: PSNR and SSIM for reconstructions, LPIPS for perception, Fréchet distances for sets of videos (FVD with the standard I3D file, and `FD-shapes`, an offline yardstick trained here on MovingShapes), and class accuracy.
- `nerv_diffusion.nerv`: The neural representation of a video: a small convolutional network that maps a frame index `t` to a frame. Fitting one to a video by gradient descent is the baseline NeRV-Enc replaces.
- `nerv_diffusion.nerv_dec`: Many videos' NeRVs decoded in one grouped convolution per layer; the video-specific weights quantized to b bits (Eq. 2), Huffman-coded and stored with a checksum (`13_benchmarks` measures the decode speed).
- `nerv_diffusion.nerv_enc`: A transformer reads a video's patches together with learned weight tokens and outputs the video-specific weights θ̂′; multiplied into shared weights θ1 and normalised, they are the weights of a NeRV that decodes the video.
- `nerv_diffusion.pipeline`: Encode clips to weight tokens with the tokenizer (08), train the implicit DiT (09, 10) on them, sample tokens for a class or from the first 5 frames of a clip, and decode them with the generative NeRV — with the metrics of §4.3 at toy scale.
- `nerv_diffusion.tokenizer`: A ViT with learned query tokens reads a clip; BatchNorm and a KL bottleneck make its outputs a compact, nearly Gaussian latent; one affine head per layer turns the latent into the kernels of a generative NeRV (07), which decodes the clip. Trained with L2 + LPIPS + GAN + KL (Eq. 1).
- `nerv_diffusion.training`: One small `Trainer` for every stage: AdamW, warm-up + cosine, gradient clipping, EMA, bf16 autocast, a NaN guard, a progress bar, hooks, exact resume from safetensors checkpoints, and DDP under `torchrun`.
- `nerv_diffusion.video`: Reading and writing real video files, choosing frames, resizing, and showing clips in a notebook."""

__version__ = "0.1.0"
