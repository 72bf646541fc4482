"""`python -m cramplab.course COMMAND [ARGS]`: how the Makefile starts the course commands.

Loading pandas, matplotlib and jupyter takes a few seconds (many more on a busy machine), and
Ctrl-C meanwhile would print a long traceback through their imports. Here the interrupt (and
SIGTERM) is handled before the command's module is imported, so it ends with one line.
"""

from __future__ import annotations

import importlib
import sys

from cramplab.atomic import exit_code, interrupts_raise

COMMANDS = {
    "figures": "cramplab.course.figures",
    "handout": "cramplab.course.handout",
    "notebooks": "cramplab.course.notebooks",
    "student": "cramplab.course.editions",
    "bench": "cramplab.course.bench",
    "solutions": "cramplab.course.solutions",
    "site": "cramplab.course.site",
    "mermaid": "cramplab.course.mermaid",
    "hub-link": "cramplab.course.hub",
    "lab": "cramplab.course.lab",
    "grade": "cramplab.course.grade",
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        print(f"usage: python -m cramplab.course {{{','.join(COMMANDS)}}} [ARGS]", file=sys.stderr)
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
    notebooks = sys.modules.get("cramplab.course.notebooks")
    if notebooks is not None:  # it ran kernels: they may need it to leave (see there)
        notebooks.leave(code)
    sys.exit(code)
