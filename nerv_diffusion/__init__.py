"""Notebook-first reproduction of NeRV-Enc/NeRV-Dec and NeRV-Diffusion: videos as the weights of small conv nets

Modules:

- `nerv_diffusion.bench`: Both papers' speed claims measured side by side, as ratios from one run.
- `nerv_diffusion.checkpoints`: Atomic files, safetensors + JSON checkpoints, and configs read back from JSON.
- `nerv_diffusion.claims`: Each claim of the two papers — the headline speed-ups and the direction of every ablation table — with the paper's number, ours, a verdict and the notebook that measures it, made from the results the notebooks keep in `data/runs/`.
- `nerv_diffusion.cli`: The `nerv-diffusion` command: fit, encode, decode, train, sample, quickstart, fetch-weights, study.
- `nerv_diffusion.data`: MovingShapes, VideoFolder for real data sets, frame-prediction masks, loaders.
- `nerv_diffusion.diffusion`: Diffusion on weight tokens: Min-SNR-γ, scheduled sampling, DDPM/DDIM, CFG.
- `nerv_diffusion.dit`: The implicit DiT: adaLN-Zero blocks over weight tokens, class and frame conditions.
- `nerv_diffusion.generation_studies`: Table 3 of NeRV-Diffusion on the shipped tokenizer: the paper's diffusion recipe (ε-prediction, Min-SNR-γ, scheduled sampling) against its own baseline and the shipped θ0 recipe, the paper's recipe one change a row, three denoiser backbones, and the three ways of conditioning frame prediction with what each condition carries.
- `nerv_diffusion.gnerv`: The generative NeRV of NeRV-Diffusion (Table A1), many videos at once.
- `nerv_diffusion.interp`: Interpolation between frames, videos and samples, with ipywidgets explorers.
- `nerv_diffusion.layers`: The sin-cos embeddings and the pre-norm ViT block every model here shares.
- `nerv_diffusion.metrics`: PSNR, SSIM, LPIPS, Fréchet distances (FVD, FD-shapes) and class accuracy.
- `nerv_diffusion.natural`: Real footage from files that registry packages ship: three videos and twenty-one photographs filmed by a moving camera, split by source.
- `nerv_diffusion.nerv`: NeRV: a small conv net that maps a frame time to a frame, fitted per video.
- `nerv_diffusion.nerv_dec`: NeRV-Dec: grouped-conv decoding, b-bit weights, Huffman coding, `.nerv` files.
- `nerv_diffusion.nerv_enc`: NeRV-Enc: a transformer hypernetwork that writes a NeRV's weights in one pass.
- `nerv_diffusion.pipeline`: The two NeRV-Diffusion stages end to end: train, sample, decode, score.
- `nerv_diffusion.tokenizer`: The NeRV-Diffusion tokenizer: videos to Gaussian weight tokens and back.
- `nerv_diffusion.tokenizer_studies`: Why the paper's channel-wise kernels and multi-head affines first lost to the choices of 08b's ablation ladder, and what makes them work: one change a row on today's data and recipe, with seeds, a check at 64², and the full budget; then the paper's Table 2, (a)–(f), and Eq. (1)'s terms, scored as the paper scores them: by the samples of a DiT trained on each tokenizer's tokens.
- `nerv_diffusion.training`: One Trainer for every stage: AdamW, EMA, bf16, exact resume, DDP, a run log.
- `nerv_diffusion.video`: Reading and writing video files, choosing frames, showing clips in a notebook."""

__version__ = "0.1.0"
