"""nnbook: the formulas of *The Mathematics Behind Neural Networks* as small NumPy functions.

The numerical modules (activations, losses, layers, conv, pool, cnn, rnn, network, training, optim,
gradcheck, data; Part II's descent, schedules, autodiff, lstm, sequence_tasks, sequence_training,
attention, layernorm, residual, transformer) are imported eagerly and need only NumPy.
``autodiff`` contributes only ``Tensor`` at the top level: its ``cross_entropy`` (built from
Tensor operations) would shadow :func:`nnbook.losses.cross_entropy`; use ``nnbook.autodiff.cross_entropy``. ``plots``, ``widgets`` and ``exercises``
import matplotlib (and ipywidgets) and are loaded on first use, so ``import nnbook`` stays
fast: ``nnbook.plots`` or ``from nnbook.plots import ...`` both work.
"""
from importlib import import_module as _import_module

from . import activations, cnn, conv, data, gradcheck, layers, losses, network, optim, pool, rnn, rnn_training, training
from . import attention, autodiff, descent, layernorm, lstm, residual, schedules, sequence_tasks
from . import sequence_training, transformer
from .activations import *  # noqa: F401,F403
from .cnn import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .data import *  # noqa: F401,F403
from .gradcheck import *  # noqa: F401,F403
from .layers import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .network import *  # noqa: F401,F403
from .optim import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .autodiff import Tensor  # noqa: F401
from .descent import *  # noqa: F401,F403
from .layernorm import *  # noqa: F401,F403
from .lstm import *  # noqa: F401,F403
from .residual import *  # noqa: F401,F403
from .schedules import *  # noqa: F401,F403
from .sequence_tasks import *  # noqa: F401,F403
from .sequence_training import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403

__version__ = "0.1.0"

_LAZY_MODULES = ("plots", "widgets", "exercises", "figures")
_MODULES = (activations, cnn, conv, data, gradcheck, layers, losses, network, optim, pool, rnn,
            rnn_training, training, attention, descent, layernorm, lstm, residual, schedules,
            sequence_tasks, sequence_training, transformer)

#: The public names: every numerical module's own ``__all__`` and the modules themselves
#: (the lazy ``plots``, ``widgets``, ``exercises``, ``figures`` stay out, so that
#: ``from nnbook import *`` needs neither matplotlib nor ipywidgets).
__all__ = sorted({name for module in _MODULES for name in module.__all__}
                 | {module.__name__.rsplit(".", 1)[1] for module in _MODULES}
                 | {"autodiff", "Tensor", "__version__"})


def __getattr__(name: str):
    if name in _LAZY_MODULES:
        return _import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnbook' has no attribute {name!r}")
