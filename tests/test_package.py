"""The package as a contract: the public names of DESIGN.md exist, import stays light."""
import inspect
import subprocess
import sys

import pytest

import nnbook

CONTRACT = {
    "activations": ["sigmoid", "relu", "tanh", "sigmoid_grad", "relu_grad", "tanh_grad"],
    "losses": ["mse", "mse_grad", "softmax", "cross_entropy", "cross_entropy_grad"],
    "layers": ["dense_forward", "dense_backward", "dropout_forward", "dropout_backward",
               "batchnorm_forward", "batchnorm_backward", "l2_penalty", "l2_grad"],
    "conv": ["conv2d_forward", "conv2d_backward", "convolve"],
    "pool": ["maxpool_forward", "maxpool_backward", "avgpool_forward", "flatten_forward"],
    "rnn": ["rnn_forward", "rnn_backward"],
    "network": ["MLP"],
    "training": ["train", "History"],
    "gradcheck": ["numerical_gradient", "rel_error"],
    "optim": ["sgd_step", "momentum_step", "rmsprop_step", "adam_step"],
    "autodiff": ["Tensor"],
    "lstm": ["lstm_forward", "lstm_backward"],
    "attention": ["attention_forward", "attention_backward"],
    "layernorm": ["layernorm_forward", "layernorm_backward"],
}


@pytest.mark.parametrize("module, names", CONTRACT.items())
def test_contract_names_exist_in_their_module_and_at_top_level(module, names):
    mod = getattr(nnbook, module)
    for name in names:
        assert hasattr(mod, name), f"nnbook.{module}.{name} is missing"
        assert getattr(nnbook, name) is getattr(mod, name), f"nnbook.{name} is not exported"


def test_train_and_history_still_import_from_network_and_top_level():
    from nnbook import History as H0, train as t0
    from nnbook.network import History as H1, train as t1
    from nnbook.training import History as H2, train as t2

    assert H0 is H1 is H2 and t0 is t1 is t2


def test_split_modules_import_first_in_a_fresh_interpreter():
    for first in ("nnbook.rnn_training", "nnbook.pool"):
        code = (f"import {first}; from nnbook.rnn import train_rnn; from nnbook.conv import maxpool_forward; "
                "print(train_rnn.__module__, maxpool_forward.__module__)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.split() == ["nnbook.rnn_training", "nnbook.pool"], out.stderr
    for first in ("nnbook.training", "nnbook.network"):
        code = f"import {first}; from nnbook.network import train, History, MLP; print(train.__module__)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "nnbook.training", out.stderr


def test_import_needs_neither_matplotlib_nor_jupyter():
    code = ("import sys, nnbook; heavy = [m for m in ('matplotlib', 'ipywidgets', 'IPython', 'torch') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def public_callables():
    for module in ["activations", "losses", "layers", "conv", "pool", "cnn", "rnn", "rnn_training",
                   "network", "training", "optim", "gradcheck", "data", "autodiff", "lstm",
                   "sequence_tasks", "sequence_training", "attention", "layernorm", "residual",
                   "transformer", "descent", "schedules"]:
        mod = getattr(nnbook, module)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if callable(obj):
                yield f"{module}.{name}", obj


@pytest.mark.parametrize("qualname, obj", list(public_callables()))
def test_public_functions_are_documented_and_typed(qualname, obj):
    doc = inspect.getdoc(obj)
    assert doc and len(doc.splitlines()[0]) > 5, f"{qualname} lacks a docstring"
    if inspect.isfunction(obj):
        sig = inspect.signature(obj)
        assert sig.return_annotation is not inspect.Signature.empty or obj.__name__.startswith("_"), \
            f"{qualname} lacks a return type hint"


def test_the_package_has_an_all_of_its_public_names_only():
    assert "import_module" not in dir(nnbook) and "import_module" not in nnbook.__all__
    for name in nnbook.__all__:
        assert not name.startswith("_") or name == "__version__", name
        assert hasattr(nnbook, name), f"nnbook.__all__ lists {name}, which is missing"
    for module in ("network", "training", "optim"):
        assert module in nnbook.__all__
    assert {"MLP", "train", "History", "DivergenceWarning", "cross_entropy"} <= set(nnbook.__all__)
    code = ("import sys; from nnbook import *; print('MLP' in dir(), 'import_module' in dir(), "
            "'matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "False"], out.stdout + out.stderr
