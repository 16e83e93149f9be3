"""Drive 12's widgets in a real browser: JupyterLab on 127.0.0.1, headless Chromium through Selenium.

    python tools/browser_check.py [--out DIR] [--timeout SECONDS]

Opens a copy of `nbs/12_interpolation.ipynb` (without its `#| slow` cells, as `nbdev-test` runs it), runs all
of it, moves every control of the three explorers and checks that the image it drives changes, that images
keep their own pixel size, that every panel has a caption and that the browser console has no errors. Then it
saves the notebook, shuts its kernel down and reopens it: the static GIFs must still be there. Screenshots go
to `--out`. Prints one line per step with its time, and exits 1 on the first failed check.

Needs Debian's `chromium` and `chromium-driver` (no browser download) and `selenium` (the `dev` extra)."""

from __future__ import annotations
import argparse, json, os, secrets, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "nbs" / "12_interpolation.ipynb"
EXPLORERS = {
    k: f"show_demo(lambda: {k}_explorer(" for k in ("lambda", "time", "sampler")
}  # the cells showing them


class CheckFailed(Exception):
    pass


def check(ok: bool, what: str):
    if not ok:
        raise CheckFailed(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebook_copy(folder: Path) -> Path:
    "12 without its `#| slow` cells and without outputs, as the browser will run it."
    nb = json.loads(NOTEBOOK.read_text())
    nb["cells"] = [c for c in nb["cells"] if not "".join(c["source"]).startswith("#| slow")]
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
    path = folder / NOTEBOOK.name
    path.write_text(json.dumps(nb, indent=1))
    return path


def lab_settings(folder: Path) -> Path:
    """JupyterLab user settings for the check: every cell rendered (JupyterLab 4 otherwise detaches cells
    out of view) and no news prompt over the page."""
    for name, value in {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false"},
    }.items():
        f = folder / "@jupyterlab" / f"{name}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    return folder


def start_lab(folder: Path, port: int, token: str, log) -> subprocess.Popen:
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(lab_settings(folder / ".lab-settings"))}
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.root_dir={folder}",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.allow_root=True",
    ]
    lab = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
            return lab
        except OSError:
            if lab.poll() is not None:
                raise CheckFailed(f"JupyterLab exited with {lab.returncode}; see its log")
            time.sleep(0.5)
    raise CheckFailed("JupyterLab did not answer in 60 s")


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)


def wait_for(fn, timeout: float, what: str, poll: float = 0.25):
    "Poll `fn` until it returns something truthy; return it and the seconds it took."
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        v = fn()
        if v:
            return v, time.perf_counter() - t0
        time.sleep(poll)
    raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {what}")


NB_JS = "const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget; "


def lab_ready(d):
    return d.execute_script(
        NB_JS + "return !!(nb && nb.content && nb.sessionContext.session && "
        "nb.sessionContext.session.kernel && nb.sessionContext.session.kernel.status === 'idle');"
    )


def run_state(d):
    "(cells still without an execution count, error outputs, kernel status) of the open notebook."
    return d.execute_script(NB_JS + """
        const cells = nb.content.widgets.filter(c => c.model.type === 'code');
        const pending = cells.filter(c => c.model.executionCount === null).length;
        const errors = [];
        for (const c of cells) for (const o of c.model.outputs.toJSON())
            if (o.output_type === 'error') errors.push(o.ename + ': ' + o.evalue);
        return [pending, errors, nb.sessionContext.session.kernel.status];""")


def cell_index(d, needle: str) -> int:
    "Index of the code cell whose source contains `needle` in the open notebook (-1: none, or not loaded yet)."
    return d.execute_script(
        NB_JS + "return nb && nb.content ? nb.content.widgets.findIndex(c => c.model.sharedModel.getSource()"
        ".includes(arguments[0])) : -1;",
        needle,
    )


def cell_node(d, needle: str, timeout: float = 60):
    "The DOM node of the code cell whose source contains `needle` (waiting for the notebook to load it)."
    wait_for(lambda: cell_index(d, needle) >= 0, timeout, f"a cell that runs {needle}")
    return d.execute_script(
        NB_JS + "const c = nb.content.widgets[arguments[0]]; c.node.scrollIntoView(); return c.node;",
        cell_index(d, needle),
    )


def widget_images(cell):
    from selenium.webdriver.common.by import By

    return cell.find_elements(By.CSS_SELECTOR, "img.widget-image")


def image_srcs(cell) -> list[str]:
    return [im.get_attribute("src") for im in widget_images(cell)]


def set_by_readout(d, cell, k: int, value: str):
    "Type `value` into the readout of the `k`-th slider of `cell` and press Enter (what a person can do)."
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.common.action_chains import ActionChains

    readout = cell.find_elements(By.CSS_SELECTOR, ".widget-slider .widget-readout")[k]
    ActionChains(d).double_click(readout).perform()
    readout.send_keys(Keys.CONTROL, "a")
    readout.send_keys(value, Keys.ENTER)


def move_slider_by_keys(d, cell, k: int, key):
    "Focus the `k`-th slider's handle and press `key` (the keyboard is how noUiSlider moves without a mouse)."
    from selenium.webdriver.common.by import By

    handle = cell.find_elements(By.CSS_SELECTOR, ".widget-slider .noUi-handle")[k]
    handle.click()
    handle.send_keys(key)


def expect_change(cell, index: int, before: list[str], what: str, timeout: float) -> float:
    "Wait until the `index`-th widget image of `cell` shows something new; the seconds it took."
    _, dt = wait_for(
        lambda: (s := image_srcs(cell)) and len(s) > index and s[index] != before[index], timeout, what
    )
    return dt


def console_errors(d) -> list[str]:
    return [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out", default=None, help="folder for screenshots and the JupyterLab log (default: a temp one)"
    )
    ap.add_argument("--timeout", type=float, default=600, help="seconds Run All may take (default 600)")
    args = ap.parse_args(argv)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    out = Path(args.out or tempfile.mkdtemp(prefix="browser_check_"))
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="browser_nb_"))
    path, port, token = notebook_copy(work), free_port(), secrets.token_hex(16)
    log = open(out / "jupyterlab.log", "w")
    t_all, lab, d, rows = time.perf_counter(), None, None, []

    def step(name: str, seconds: float):
        rows.append((name, seconds))
        print(f"  {name:<52s} {seconds:6.1f} s", flush=True)

    try:
        t0 = time.perf_counter()
        lab = start_lab(work, port, token, log)
        step("JupyterLab answers", time.perf_counter() - t0)
        d = browser()
        t0 = time.perf_counter()
        d.get(f"http://127.0.0.1:{port}/lab/tree/{path.name}?token={token}")
        wait_for(lambda: lab_ready(d), 120, "the notebook and an idle kernel")
        step("notebook open, kernel idle", time.perf_counter() - t0)
        t0 = time.perf_counter()
        d.set_script_timeout(args.timeout)  # the command's promise resolves when the last cell has run
        d.execute_script("return window.jupyterapp.commands.execute('notebook:run-all-cells');")
        (_, errors, _), _ = wait_for(
            lambda: (s := run_state(d)) and s[0] == 0 and s[2] == "idle" and s,
            args.timeout,
            "Run All",
            poll=1,
        )
        step("Run All", time.perf_counter() - t0)
        check(not errors, f"cells raised: {errors}")
        cells = {k: cell_node(d, v) for k, v in EXPLORERS.items()}
        for k, c in cells.items():
            imgs = widget_images(c)
            check(len(imgs) >= 1, f"the {k} explorer shows no widget image")
            sizes = [
                d.execute_script(
                    "const r = arguments[0].getBoundingClientRect(); "
                    "return [r.width, arguments[0].naturalWidth];",
                    im,
                )
                for im in imgs
            ]
            check(
                all(abs(w - n) <= 1 for w, n in sizes),
                f"{k} explorer: images stretched (shown, natural): {sizes}",
            )
            caps = [
                d.execute_script(
                    "return Array.from(arguments[0].parentElement.children)"
                    ".filter(e => e !== arguments[0]).map(e => e.textContent).join(' ');",
                    im,
                )
                for im in imgs
            ]
            check(all(t.strip() for t in caps), f"{k} explorer: an image without a caption: {caps}")
            static = c.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output img[src^='data:image/gif']")
            check(len(static) >= 1, f"{k} explorer: no static GIF above the widget")
            c.screenshot(str(out / f"{k}_before.png"))
        to = 120
        c = cells["lambda"]
        before = image_srcs(c)
        set_by_readout(d, c, 0, "0.9")
        step("λ explorer: λ 0.5 → 0.9 (typed)", expect_change(c, 1, before, "the λ mix to change", to))
        c = cells["time"]
        before = image_srcs(c)
        move_slider_by_keys(d, c, 0, Keys.END)
        step("time explorer: density ×1 → ×8 (End key)", expect_change(c, 0, before, "the animation", to))
        before = image_srcs(c)
        set_by_readout(d, c, 1, "18.5")
        step("time explorer: t 0 → 18.5 (typed)", expect_change(c, 1, before, "the frame", to))
        caps = [e.text for e in c.find_elements(By.CSS_SELECTOR, ".widget-label")]
        check(any("50 fps" in t for t in caps), f"the ×8 caption does not say 50 fps: {caps}")
        check(any("past the trained end" in t for t in caps), f"the t = 18.5 caption: {caps}")
        c = cells["sampler"]
        before = image_srcs(c)
        Select(c.find_element(By.CSS_SELECTOR, ".widget-dropdown select")).select_by_index(4)
        step("sampler: class 0 → 4 (dropdown)", expect_change(c, 0, before, "a new sample", to))
        before = image_srcs(c)
        set_by_readout(d, c, 0, "4")
        step("sampler: CFG 2 → 4 (typed)", expect_change(c, 0, before, "a new sample", to))
        before = image_srcs(c)
        seed = c.find_element(By.CSS_SELECTOR, ".widget-text input")
        seed.send_keys(Keys.CONTROL, "a")
        seed.send_keys("3", Keys.ENTER)
        step("sampler: seed 0 → 3 (typed)", expect_change(c, 0, before, "a new sample", to))
        for k, c in cells.items():
            c.screenshot(str(out / f"{k}_after.png"))
        d.save_screenshot(str(out / "page.png"))
        errs = console_errors(d)
        check(not errs, f"browser console errors: {errs}")
        # save, stop the kernel, reopen: the static pictures stay
        t0 = time.perf_counter()
        d.execute_script("return window.jupyterapp.commands.execute('docmanager:save');")
        wait_for(lambda: not d.execute_script(NB_JS + "return nb.context.model.dirty;"), 30, "the save")
        saved = json.loads(path.read_text())
        for k, needle in EXPLORERS.items():
            outs = [o for c in saved["cells"] if needle in "".join(c["source"]) for o in c.get("outputs", [])]
            check(
                any("data:image/gif" in "".join(o.get("data", {}).get("text/html", "")) for o in outs),
                f"the saved notebook lost {k}'s static GIF",
            )
        d.execute_script("return window.jupyterapp.commands.execute('kernelmenu:shutdown');")
        wait_for(
            lambda: d.execute_script(
                NB_JS + "return !nb.sessionContext.session || "
                "!nb.sessionContext.session.kernel || "
                "nb.sessionContext.session.kernel.status === 'dead';"
            ),
            30,
            "the kernel to stop",
            poll=0.5,
        )
        d.refresh()
        wait_for(
            lambda: d.execute_script(NB_JS + "return !!(nb && nb.content && nb.content.widgets.length);"),
            60,
            "the notebook to reopen",
        )
        for k, needle in EXPLORERS.items():
            c = cell_node(d, needle)
            wait_for(
                lambda: c.find_elements(By.CSS_SELECTOR, "img[src^='data:image/gif']"),
                30,
                f"{k}'s static GIF after reopening",
            )
        d.save_screenshot(str(out / "reopened.png"))
        step("save, stop the kernel, reopen: static GIFs shown", time.perf_counter() - t0)
    except CheckFailed as e:
        print(f"browser check FAILED: {e}  (screenshots and log: {out})")
        if d is not None:
            d.save_screenshot(str(out / "failure.png"))
        return 1
    finally:
        if d is not None:
            d.quit()
        if lab is not None:
            lab.terminate()
            lab.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"browser check passed: {len(rows)} steps in {time.perf_counter() - t_all:.0f} s (screenshots: {out})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
