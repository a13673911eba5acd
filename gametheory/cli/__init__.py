"""The ``gametheory`` command line: ``gametheory COMMAND [options]``.

Commands: ``solve``, ``show``, ``validate``, ``methods``, ``sweep``, ``bargain``, ``whatif`` and
``report``; the table is :data:`gametheory.cli.main.COMMANDS`, and each command is a module in
:mod:`gametheory.cli.commands`. Options shared by several commands are defined once in
:mod:`gametheory.cli.options`.

Every error caused by input (a bad file, a bad override, an unknown method, a file that cannot
be read or written) is printed as one line ``error: ...`` on standard error, with exit status 2;
no traceback is shown.
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
