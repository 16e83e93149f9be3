"""Make README.md from nbs/index.ipynb (nbdev-readme needs Quarto, which these machines cannot install).

Markdown cells are copied as they are, code cells become ```python blocks (cells marked `#| hide` or `#| echo: false`
are left out, and `#|` directive lines are dropped; a cell marked `#| output: asis` adds what it printed, as
markdown), and links (markdown or `<img src>`) into ../ are rewritten to be relative to the repository root.
`python tools/make_readme.py --check` exits 1 when README.md is not what the notebook makes;
`python tools/make_readme.py --run-python` runs the README's Python blocks as a reader would paste them (CI does, in
an environment with the runtime dependencies only).
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def render(nb_path=ROOT / "nbs" / "index.ipynb") -> str:
    nb = json.loads(Path(nb_path).read_text())
    parts = ["<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->"]
    for cell in nb["cells"]:
        src = "".join(cell["source"]).strip("\n")
        lines = src.split("\n")
        if cell["cell_type"] == "markdown": parts.append(src.replace("](../", "](").replace('src="../', 'src="'))
        elif cell["cell_type"] == "code":
            flags = {l.strip().replace("#|", "#| ").replace("  ", " ") for l in lines if l.startswith("#|")}
            code = "\n".join(l for l in lines if not l.startswith("#|")).strip("\n")
            if code and not flags & {"#| hide", "#| echo: false"}: parts.append(f"```python\n{code}\n```")
            if "#| output: asis" in flags:
                printed = "".join("".join(o["text"]) for o in cell.get("outputs", []) if o.get("name") == "stdout")
                if printed.strip(): parts.append(printed.strip("\n"))
    return "\n\n".join(parts) + "\n"

def python_blocks(text: str) -> list[str]:
    "The ```python blocks of a README."
    return [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]

if __name__ == "__main__":
    text, readme = render(), ROOT / "README.md"
    if "--run-python" in sys.argv:
        for code in python_blocks(readme.read_text()):
            exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
        print(f"ran the README's {len(python_blocks(readme.read_text()))} Python block(s)")
    elif "--check" in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            print("README.md is stale: run `python tools/make_readme.py` and commit it"); sys.exit(1)
        print("README.md is up to date")
    else:
        readme.write_text(text); print(f"wrote {readme}")
