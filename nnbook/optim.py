"""Gradient descent w ← w − η ∇J(w) and its refinements, applied to a dict of parameters.

``sgd_step`` (chapter 3), ``momentum_step`` (used in chapter 6, explained in chapter 8),
``rmsprop_step`` and ``adam_step`` (chapter 8) update the arrays in place; the stateful ones
keep their memory in a dict the caller owns. ``get_optimizer(name)`` returns any of them as one
``step(params, grads, state, lr, **options)``.

Book: chapter 3, Gradient descent; chapter 8, Optimization.
"""
from __future__ import annotations

import inspect
import math
from typing import Any, Callable, Mapping, MutableMapping

import numpy as np

from ._validate import check_nonnegative, check_positive, check_unit_interval, is_int

__all__ = ["sgd_step", "momentum_step", "rmsprop_step", "adam_step", "get_optimizer"]


def _check_keys(params: Mapping, grads: Mapping) -> None:
    if set(params) != set(grads):
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        raise ValueError(
            f"grads must have the same keys as params: missing {missing}, unexpected {extra}"
        )
    for key in params:
        if not isinstance(params[key], np.ndarray) or params[key].dtype.kind != "f":
            raise ValueError(
                f"params[{key!r}] must be a floating-point numpy array (it is updated in place)"
            )
        if np.shape(grads[key]) != np.shape(params[key]):
            raise ValueError(
                f"grads[{key!r}] must have the shape of params[{key!r}] "
                f"{np.shape(params[key])}, got {np.shape(grads[key])}"
            )
        g = np.asarray(grads[key])
        if g.dtype.kind not in "fiu" or not np.isfinite(g).all():
            raise ValueError(f"grads[{key!r}] must hold finite real numbers (a NaN or inf gradient "
                             f"means the loss diverged: lower the learning rate)")


def sgd_step(
    params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float
) -> None:
    r"""w ← w − η ∇J(w), for every array in ``params``, in place.

    Parameters
    ----------
    params : dict of str -> ndarray (float)
        The parameters θ; each array is updated in place.
    grads : dict of str -> ndarray
        ∇J, same keys and shapes as ``params``.
    lr : float >= 0
        The learning rate η.

    Notes
    -----
    Book: chapter 3, Gradient descent.
    """
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    _check_keys(params, grads)
    _sgd_update(params, grads, lr)


def _sgd_update(
    params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float
) -> None:
    """The update of :func:`sgd_step` without its checks (for ``train``, which checks once)."""
    for key, w in params.items():
        w -= lr * grads[key]


# ---------------------------------------------------------- momentum (the heavy ball)
def momentum_step(
    params: MutableMapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    velocity: MutableMapping[str, np.ndarray],
    lr: float,
    beta: float = 0.9,
) -> None:
    r"""Gradient descent with momentum: u ← β₁ u − η ∇J(w), then w ← w + u, in place.

    Polyak's heavy ball, w_{t+1} = w_t − η∇J(w_t) + β₁(w_t − w_{t−1}). ``velocity`` is a dict
    updated in place; pass an empty dict on the first step (it starts at zero). With
    ``beta = 0`` this is exactly :func:`sgd_step`. With a constant η it takes the same steps
    as ``torch.optim.SGD(lr=lr, momentum=beta)``, whose buffer is −u/η.

    Parameters
    ----------
    params, grads, lr
        As in :func:`sgd_step`.
    velocity : dict of str -> ndarray
        The running velocity u, keyed like ``params``.
    beta : float in [0, 1)
        β₁, how much of the previous velocity is kept.

    Notes
    -----
    Book: chapter 8, Momentum (derived and analysed there); used by chapter 6 to train the
    CNN (:func:`nnbook.cnn.train_cnn`).
    """
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    _check_keys(params, grads)
    # a Python float: a NumPy float64 would turn float32 velocities into float64
    beta = check_unit_interval(beta, "beta (the momentum)")
    for key, w in params.items():
        v = velocity.get(key)
        if v is None:
            v = np.zeros_like(w)
        elif np.shape(v) != np.shape(w):
            raise ValueError(f"velocity[{key!r}] must have shape {np.shape(w)}, got {np.shape(v)}")
        v = beta * v - lr * grads[key]
        velocity[key] = v
        w += v


# ---------------------------------------------------------- adaptive methods (Part II)
def _moment(store: MutableMapping[str, np.ndarray], key: str, w: np.ndarray, name: str) -> np.ndarray:
    """The running moment ``store[key]`` (zeros like ``w`` on the first step), shape-checked."""
    m = store.get(key)
    if m is None:
        m = store[key] = np.zeros_like(w)
    elif np.shape(m) != np.shape(w):
        raise ValueError(f"state[{name!r}][{key!r}] must have shape {np.shape(w)}, got {np.shape(m)}")
    return m


def _state_dict(state: MutableMapping, name: str) -> MutableMapping[str, np.ndarray]:
    if not isinstance(state, MutableMapping):
        raise ValueError(f"state must be a dict (pass {{}} on the first step), got {type(state).__name__}")
    store = state.setdefault(name, {})
    if not isinstance(store, MutableMapping):
        raise ValueError(f"state[{name!r}] must be a dict keyed like params, got {type(store).__name__}")
    return store


def rmsprop_step(
    params: MutableMapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    state: MutableMapping,
    lr: float,
    rho: float = 0.99,
    eps: float = 1e-8,
) -> None:
    r"""RMSProp: v ← β₂ v + (1 − β₂) g², then w ← w − η g / (√v + ε), per coordinate, in place.

    ``state`` is a dict the caller keeps (pass ``{}`` on the first step); it holds
    ``state["s"][key]``, the running mean v of squared gradients, keyed like ``params`` and
    starting at zero. This is exactly ``torch.optim.RMSprop(lr=lr, alpha=rho, eps=eps)``
    (no momentum, not centered, no weight decay).

    Parameters
    ----------
    params, grads, lr
        As in :func:`sgd_step`.
    state : dict
        The optimizer's memory, updated in place.
    rho : float in [0, 1)
        β₂, the decay rate of the squared-gradient average (torch's ``alpha``).
    eps : float > 0
        ε, added to √v so that a coordinate whose gradients were all zero does not divide by 0.

    Notes
    -----
    Book: chapter 8, RMSProp and Adam.
    """
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    rho = check_unit_interval(rho, "rho (the decay rate β₂ of RMSProp)")
    eps = check_positive(eps, "eps (ε)")
    _check_keys(params, grads)
    store = _state_dict(state, "s")
    for key, w in params.items():
        g = grads[key]
        s = _moment(store, key, w, "s")
        s *= rho
        s += (1.0 - rho) * (g * g)
        denom = np.sqrt(s)
        denom += eps
        w -= lr * (g / denom)


def adam_step(
    params: MutableMapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    state: MutableMapping,
    lr: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    *,
    bias_correction: bool = True,
) -> None:
    r"""Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − η m̂/(√v̂ + ε), in place.

    With the bias corrections m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ) at step t = 1, 2, ...
    ``state`` is a dict the caller keeps (pass ``{}`` on the first step): ``state["t"]`` is
    the number of steps taken, ``state["m"][key]`` and ``state["v"][key]`` the moments,
    keyed like ``params`` and starting at zero. This is exactly
    ``torch.optim.Adam(lr=lr, betas=(beta1, beta2), eps=eps)`` (no weight decay, no AMSGrad).

    Parameters
    ----------
    params, grads, lr
        As in :func:`sgd_step`.
    state : dict
        The optimizer's memory, updated in place.
    beta1 : float in [0, 1)
        β₁, the decay rate of the gradient average m.
    beta2 : float in [0, 1)
        β₂, the decay rate of the squared-gradient average v.
    eps : float > 0
        ε, added to √v̂.
    bias_correction : bool
        True (the default, as torch) divides by 1 − β₁ᵗ and 1 − β₂ᵗ; False steps with m and v
        themselves (the uncorrected update the book compares against).

    Notes
    -----
    Book: chapter 8, RMSProp and Adam.
    """
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    beta1 = check_unit_interval(beta1, "beta1 (Adam's β₁)")
    beta2 = check_unit_interval(beta2, "beta2 (Adam's β₂)")
    eps = check_positive(eps, "eps (ε)")
    if not isinstance(bias_correction, (bool, np.bool_)):
        raise ValueError(f"bias_correction must be True or False, got {bias_correction!r}")
    _check_keys(params, grads)
    if not isinstance(state, MutableMapping):
        raise ValueError(f"state must be a dict (pass {{}} on the first step), got {type(state).__name__}")
    t = state.get("t", 0)
    if not is_int(t) or t < 0:
        raise ValueError(f"state['t'] must be the number of steps taken (an integer >= 0), got {t!r}")
    m_store, v_store = _state_dict(state, "m"), _state_dict(state, "v")
    t = int(t) + 1
    correction1 = 1.0 - beta1**t if bias_correction else 1.0
    sqrt_correction2 = math.sqrt(1.0 - beta2**t) if bias_correction else 1.0
    step_size = lr / correction1
    for key, w in params.items():
        g = grads[key]
        m = _moment(m_store, key, w, "m")
        v = _moment(v_store, key, w, "v")
        m *= beta1
        m += (1.0 - beta1) * g
        v *= beta2
        v += (1.0 - beta2) * (g * g)
        denom = np.sqrt(v)
        denom /= sqrt_correction2
        denom += eps
        w -= step_size * (m / denom)
    state["t"] = t


# ---------------------------------------------------------- one name for every optimizer
_OPTIONS = {
    "sgd": (),
    "momentum": ("beta",),
    "rmsprop": ("rho", "eps"),
    "adam": ("beta1", "beta2", "eps", "bias_correction"),
}
OPTIMIZERS = tuple(_OPTIONS)


def _sgd(params, grads, state, lr):
    sgd_step(params, grads, lr)


def _momentum(params, grads, state, lr, beta=0.9):
    momentum_step(params, grads, _state_dict(state, "velocity"), lr, beta)


_STEPS: dict[str, Callable] = {
    "sgd": _sgd,
    "momentum": _momentum,
    "rmsprop": rmsprop_step,
    "adam": adam_step,
}


def check_optimizer_options(name: str, options: Mapping[str, Any]) -> None:
    """``ValueError`` unless every key of ``options`` is a hyperparameter of optimizer ``name``.

    Book: chapter 8, The optimizers side by side.
    """
    allowed = _OPTIONS[name]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(
            f"optimizer_options {unknown} are not options of {name!r}; "
            f"expected some of {list(allowed) or 'none'}"
        )


def get_optimizer(name_or_callable: str | Callable) -> Callable[..., None]:
    r"""The update ``step(params, grads, state, lr, **options)`` named by ``name_or_callable``.

    ``"sgd"`` (w ← w − η∇J), ``"momentum"`` (option ``beta``), ``"rmsprop"`` (``rho``,
    ``eps``) or ``"adam"`` (``beta1``, ``beta2``, ``eps``); every step updates ``params``
    in place and keeps its memory in ``state``, a dict the caller passes to every step
    (``{}`` on the first): nothing for ``"sgd"``, ``state["velocity"][key]`` for
    ``"momentum"``, ``state["s"][key]`` for ``"rmsprop"``, ``state["t"]``,
    ``state["m"][key]`` and ``state["v"][key]`` for ``"adam"``. A callable is returned as it
    is, once it is checked to accept ``(params, grads, state, lr)``. An unknown option raises ``ValueError`` naming it, and
    every hyperparameter is checked by the step it is passed to.

    Examples
    --------
    >>> step, state = get_optimizer("adam"), {}
    >>> step(params, grads, state, 1e-3, beta1=0.9)        # doctest: +SKIP

    Notes
    -----
    Book: chapter 8, The optimizers side by side.
    """
    if callable(name_or_callable):
        try:
            inspect.signature(name_or_callable).bind(None, None, None, None)
        except TypeError as err:
            raise ValueError(
                "optimizer: a callable must accept (params, grads, state, lr, **options), "
                f"but {name_or_callable!r} does not ({err})"
            ) from None
        except ValueError:  # no signature available (some builtins): trust it
            pass
        return name_or_callable
    if not isinstance(name_or_callable, str) or name_or_callable.lower() not in _STEPS:
        raise ValueError(
            f"optimizer must be one of {list(OPTIMIZERS)} or a callable "
            f"step(params, grads, state, lr, **options), got {name_or_callable!r}"
        )
    name = name_or_callable.lower()
    update = _STEPS[name]

    def step(params, grads, state, lr, **options):
        check_optimizer_options(name, options)
        update(params, grads, state, lr, **options)

    step.__name__ = f"{name}_step"
    step.__doc__ = f"The {name!r} update: step(params, grads, state, lr, **options); see get_optimizer."
    return step
