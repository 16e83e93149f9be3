"""Notebook-first reproduction of NeRV-Enc/NeRV-Dec and NeRV-Diffusion: videos as the weights of small conv nets

Modules:

- `nerv_diffusion.data`: `MovingShapes`, the embedded procedural data set; `VideoFolder` for UCF-101 / Kinetics / TaiChi folders; frame prediction masks; loaders; and the small helpers that ship trained weights as safetensors + JSON."""

__version__ = "0.1.0"
