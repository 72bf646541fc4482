"""`python -m cramplab_tools COMMAND [ARGS]`: how the Makefile starts the course commands.

Loading pandas, matplotlib and jupyter takes a few seconds (many more on a busy machine), and
Ctrl-C meanwhile would print a long traceback through their imports. Here the interrupt (and
SIGTERM) is handled before the command's module is imported, so it ends with one line.
"""

from __future__ import annotations

import importlib
import sys

from cramplab_tools.atomic import exit_code, interrupts_raise

COMMANDS = {
    "figures": "cramplab_tools.figures",
    "handout": "cramplab_tools.handout",
    "notebooks": "cramplab_tools.notebooks",
    "student": "cramplab_tools.editions",
    "bench": "cramplab_tools.bench",
    "solutions": "cramplab_tools.solutions",
    "site": "cramplab_tools.site",
    "mermaid": "cramplab_tools.mermaid",
    "hub-link": "cramplab_tools.hub",
    "lab": "cramplab_tools.lab",
    "grade": "cramplab_tools.grade",
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        print(f"usage: python -m cramplab_tools {{{','.join(COMMANDS)}}} [ARGS]", file=sys.stderr)
        return 2
    command, rest = args[0], args[1:]
    try:
        with interrupts_raise():
            module = importlib.import_module(COMMANDS[command])
            if command == "student":
                return module.main(["student", *rest])
            if command in ("figures", "handout"):  # they take no arguments
                return module.main()
            return module.main(rest)
    except KeyboardInterrupt as interrupt:
        # The commands report interrupts during their own work; one that arrives here came
        # while the libraries loaded or the command was getting ready, before any change.
        print(f"interrupted: make {command} stopped before it changed anything", file=sys.stderr)
        return exit_code(interrupt)


if __name__ == "__main__":
    code = main()
    notebooks = sys.modules.get("cramplab_tools.notebooks")
    if notebooks is not None:  # it ran kernels: they may need it to leave (see there)
        notebooks.leave(code)
    sys.exit(code)
