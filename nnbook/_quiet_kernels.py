"""Keep kernels from printing a notice a reader cannot act on (issue 12).

ipykernel 7 logs, at every kernel start, "Kernel is running over TCP without encryption ...":
true for any local kernel that Jupyter starts over TCP (the default), and nothing a reader,
a student or the book's build can change. Measured: ipykernel reads its configuration from the
IPython profile, and a configuration file there that adds a logging filter to the kernel
application's logger removes exactly that notice (every other kernel message stays).
``quiet_kernels()`` writes such a profile into a private folder and points ``IPYTHONDIR`` at
it, for the kernels that this process starts afterwards (the book build's executions, the
notebook tests, grading). It does nothing if ``IPYTHONDIR`` is already set.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["KERNEL_CONFIG", "quiet_kernels"]

KERNEL_CONFIG = '''\
# Written by nnbook._quiet_kernels: drop ipykernel's "running over TCP without encryption"
# notice (every local kernel runs over TCP; the notice is nothing a reader can act on).
import logging


class _DropTcpNotice(logging.Filter):
    def filter(self, record):
        return "running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_DropTcpNotice())
'''


def quiet_kernels(folder: str | Path | None = None) -> Path | None:
    """Point ``IPYTHONDIR`` at a profile whose kernel config drops the TCP notice.

    Returns the folder used, or None when ``IPYTHONDIR`` was already set (left alone).
    """
    if os.environ.get("IPYTHONDIR"):
        return None
    root = Path(folder) if folder else Path(tempfile.gettempdir()) / f"nnbook-ipython-{os.getuid() if hasattr(os, 'getuid') else 0}"
    profile = root / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    config = profile / "ipython_kernel_config.py"
    if not config.is_file() or config.read_text(encoding="utf-8") != KERNEL_CONFIG:
        config.write_text(KERNEL_CONFIG, encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(root)
    return root
