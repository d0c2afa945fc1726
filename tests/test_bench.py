"""Smoke tests for bench/: every benchmark function runs on tiny sizes, and every reference
does the same work as nnbook (same numbers). No wall-clock time is ever asserted."""
from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest

import nnbook
from bench import _report, _timing, book, conv, imports, mlp, rnn, widgets
from nnbook import rel_error


def _torch():
    torch = pytest.importorskip("torch")
    return torch


# ----------------------------------------------------------------------- timing, report
def test_interleaved_returns_one_sample_per_repeat_per_case():
    calls = {"a": 0, "b": 0}

    def a():
        calls["a"] += 1

    def b():
        calls["b"] += 1

    t = _timing.interleaved({"a": a, "b": b}, repeats=3, min_time=0.0)
    assert set(t) == {"a", "b"}
    assert all(len(v.samples) == 3 and v.median >= 0 and v.min <= v.median for v in t.values())
    assert calls["a"] >= 3 + 2 and calls["b"] >= 3 + 2  # warm-up and calibration calls included


def test_interleaved_rejects_zero_repeats():
    with pytest.raises(ValueError, match="repeats"):
        _timing.interleaved({"a": lambda: None}, repeats=0)


def test_row_status_follows_the_aim():
    assert _report.Row("s", "x", 1.0, "ref", 4.0, aim_ratio=0.5).status == "ok"
    assert _report.Row("s", "x", 3.0, "ref", 4.0, aim_ratio=0.5).status == "MISS"
    assert _report.Row("s", "x", 0.3, aim_value=0.4).status == "ok"
    assert _report.Row("s", "x", 0.5, aim_value=0.4).status == "MISS"
    assert _report.Row("s", "x", 0.01, aim_value=0.05, ok=False).status == "MISS"
    assert _report.Row("s", "x", 1.0).status == "—"
    text = _report.table([_report.Row("s", "conv", 2e-3, "torch", 1e-3, aim_ratio=1.5)])
    assert "| conv | 2.0 ms | torch | 1.0 ms | 2.00× | ≤ 1.5× | MISS |" in text


def test_results_file_keeps_the_previous_book_section(tmp_path):
    path = tmp_path / "results.md"
    book_row = _report.Row("book", "clean build", 50.0, aim_value=120)
    _report.write_results([_report.Row("s", "a", 1.0)], [book_row], ["a note"], path=path)
    first = path.read_text()
    assert "clean build" in first and "a note" in first and "machine:" in first
    _report.write_results([_report.Row("s", "b", 2.0)], None, [], path=path)
    second = path.read_text()
    assert "| b |" in second and "| a |" not in second
    assert "clean build" in second  # the book rows survive a run without --book


# -------------------------------------------------------------------------------- MLP
@pytest.fixture(scope="module")
def small_digits():
    X, y = mlp.digits(np.float64, n=200)
    return X, y, mlp.minibatches(len(X))


def test_minibatches_are_the_ones_train_uses(small_digits):
    X, y, batches = small_digits
    assert sorted(np.concatenate(batches).tolist()) == list(range(len(X)))
    a, b = mlp.make_model(), mlp.make_model()
    mlp.nnbook_loop(a, X, y, batches)
    mlp.nnbook_train(b, X, y)
    for key in a.params:
        assert rel_error(a.params[key], b.params[key]) < 1e-12, key


def test_fused_numpy_reference_computes_nnbooks_numbers(small_digits):
    X, y, batches = small_digits
    model = mlp.make_model()
    fused = mlp.fused_numpy_fn(mlp.make_model(), X, y, batches)
    loss_nn = mlp.nnbook_loop(model, X, y, batches)
    loss_fused = fused()
    assert abs(loss_nn - loss_fused) < 1e-12
    Ws, bs = fused.params
    for l in range(model.n_layers):
        assert rel_error(model.params[f"W{l + 1}"], Ws[l]) < 1e-12
        assert rel_error(model.params[f"b{l + 1}"], bs[l]) < 1e-12


def test_matmul_floor_has_the_epochs_products():
    floor = mlp.matmul_floor((64, 64, 10), [32, 32, 5])
    assert floor.n_products == 3 * (2 + 2 + 1)  # per batch: 2 forward, 2 dW, 1 hidden dx
    floor()
    assert mlp.matmul_floor((64, 64, 10), [32], n_eval=100).n_products == 5 + 2


def test_torch_epoch_computes_nnbooks_numbers(small_digits):
    _torch()
    X, y, batches = small_digits
    model = mlp.make_model()
    net = mlp.torch_net(mlp.make_model())
    loss_torch = mlp.torch_loop_fn(net, X, y, batches)()
    loss_nn = mlp.nnbook_loop(model, X, y, batches)
    assert abs(loss_torch - loss_nn) < 1e-10
    linears = [m for m in net if hasattr(m, "weight")]
    for l, lin in enumerate(linears, start=1):
        assert rel_error(model.params[f"W{l}"], lin.weight.detach().numpy().T) < 1e-10
        assert rel_error(model.params[f"b{l}"], lin.bias.detach().numpy()) < 1e-10


def test_torch_train_epoch_runs(small_digits):
    _torch()
    X, y, _ = small_digits
    loss, acc = mlp.torch_train_fn(mlp.torch_net(mlp.make_model()), X, y)()
    assert np.isfinite(loss) and 0 <= acc <= 1


# ------------------------------------------------------------------------------- conv
@pytest.mark.parametrize("padding", [0, 1])
def test_torch_conv_computes_nnbooks_numbers(padding):
    _torch()
    x, w, b, dout = conv.make_inputs(n=2, c=2, hw=6, f=3, k=3, padding=padding, dtype=np.float64)
    ours = conv.nnbook_fwd_bwd(x, w, b, dout, padding=padding)
    theirs = conv.torch_fwd_bwd_fn(x, w, b, dout, padding=padding)()
    for name, a, t in zip(("out", "dx", "dw", "db"), ours, theirs):
        assert rel_error(a, t.numpy()) < 1e-10, name


def test_conv_floor_runs():
    x, w, _, _ = conv.make_inputs(n=2, c=2, hw=6, f=3)
    conv.matmul_floor(x, w)()


# -------------------------------------------------------------------------------- RNN
def _needs_rnn():
    if not hasattr(nnbook, "rnn_forward"):
        pytest.skip("nnbook.rnn_forward is not written yet")


@pytest.mark.parametrize("which", ["nn.RNN", "manual"])
def test_torch_rnn_computes_nnbooks_numbers(which):
    _torch()
    _needs_rnn()
    args = rnn.make_inputs(n=3, t=5, d=4, h=6, dtype=np.float64)
    ours = rnn.nnbook_fwd_bwd(*args)
    fn = rnn.torch_rnn_fn if which == "nn.RNN" else rnn.torch_manual_fn
    theirs = fn(*args)()
    for name, a, t in zip(("h", "dx", "dh0", "dWx", "dWh", "db"), ours, theirs):
        assert rel_error(a, t.detach().numpy()) < 1e-10, name


# ----------------------------------------------------------------------------- widgets
def _tiny_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('import sys\nif "google.colab" in sys.modules:\n    %pip install -q nnbook'),
        nbformat.v4.new_markdown_cell("Some text."),
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nfrom nnbook.widgets import knob\n"
            "def draw(a, kind):\n    fig, ax = plt.subplots(figsize=(3, 2))\n"
            "    ax.plot([0, 1], [0, a], ls='-' if kind == 'solid' else '--')\n    return fig\n"
            "knob(draw, title='slope', a=[1, 2, 3], kind=['solid', 'dashed'])"),
        nbformat.v4.new_code_cell("%matplotlib inline\nprint('done')"),
    ]
    nbformat.write(nb, str(path))


def test_widget_benchmark_finds_and_times_every_frame(tmp_path, monkeypatch):
    monkeypatch.setenv("NNBOOK_STATIC_WIDGETS", "1")
    path = tmp_path / "01_tiny.ipynb"
    _tiny_notebook(path)
    found = widgets.collect_knobs(path)
    assert [label for label, _ in found] == ["slope"]
    import os

    assert os.environ["NNBOOK_STATIC_WIDGETS"] == "1"  # restored after the live-mode run
    timing = widgets.time_knob(found[0][1], path.stem, "slope", repeats=1)
    assert timing.n_frames == 6 and len(timing.total) == len(timing.draw) == len(timing.render) == 6
    assert len(timing.reference) == 6  # one reference frame per knob frame and repeat
    assert timing.slowest is not None and set(timing.slowest) == {"a", "kind"}
    rows = widgets.run(repeats=1, book=tmp_path)
    assert len(rows) == 2 and all("slope" in row.name for row in rows)  # uncached frame, live redraw
    assert "live redraw" in rows[1].name and rows[1].value is not None


def test_widget_benchmark_reports_a_failing_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('boom')")]
    nbformat.write(nb, str(tmp_path / "02_bad.ipynb"))
    rows = widgets.run(repeats=1, book=tmp_path)
    assert rows[0].status == "MISS" and "boom" in rows[0].note


# ------------------------------------------------------------------------ import, book
def test_import_nnbook_does_not_import_matplotlib():
    info = imports.import_once("nnbook")
    assert info["seconds"] > 0
    assert not info["matplotlib"], "import nnbook must not import matplotlib (plots/widgets are lazy)"
    assert not info["torch"]


def test_page_weight_counts_html_and_each_image_once(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "fig.png").write_bytes(b"x" * 1000)
    html = ('<img src="../_images/fig.png"><img src="../_images/fig.png">'
            '<img src="data:image/png;base64,AAAA"><img src="../_images/missing.png">')
    (tmp_path / "book" / "03_backprop.html").write_text(html)
    (tmp_path / "book" / "intro.html").write_text(html)  # not a chapter
    weights = book.page_weights(tmp_path)
    assert weights == {"03_backprop": len(html.encode()) + 1000}
    json.dumps(weights)


def test_environment_lines_name_machine_versions_and_threads():
    lines = "\n".join(_report.environment())
    assert "machine:" in lines and "numpy" in lines and "threads:" in lines
    n = _report._openblas_threads()
    assert n is None or n >= 1


# ------------------------------------------------------------------ where results go
def test_results_go_to_a_local_file_unless_saved(tmp_path):
    assert _report.results_path() == _report.LOCAL_RESULTS != _report.RESULTS
    assert _report.results_path(save=True) == _report.RESULTS
    assert _report.results_path(out=tmp_path / "x.md") == tmp_path / "x.md"
    with pytest.raises(SystemExit, match="--save or --out"):
        _report.results_path(save=True, out=tmp_path / "x.md")


def test_a_default_run_leaves_the_committed_results_alone(tmp_path, monkeypatch):
    import subprocess

    import bench.__main__ as cli

    committed = _report.RESULTS.read_bytes()
    monkeypatch.setattr(cli, "SPEED", ("import",))  # the quickest benchmark stands for all
    monkeypatch.setattr(_report, "LOCAL_RESULTS", tmp_path / "results.local.md")
    monkeypatch.setattr(imports, "run", lambda: [_report.Row("import", "import nnbook", 0.1)])
    assert cli.main([]) == 0
    assert _report.RESULTS.read_bytes() == committed
    assert "import nnbook" in (tmp_path / "results.local.md").read_text()
    ignored = subprocess.run(["git", "check-ignore", "-q", "bench/results.local.md"],
                             cwd=_report.RESULTS.parents[1])
    assert ignored.returncode == 0, "bench/results.local.md must be ignored by git"
