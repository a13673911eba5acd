"""One module per command, each exporting ``add_parser(sub)`` and ``run(args) -> int``.

Nothing is imported here: :mod:`gametheory.cli.main` imports a command's module only when that
command runs.
"""
