"""The `dondoc` console command: Django's manage.py under the product's name.

`dondoc check FILE` checks a draft directive (the `checkdraft` command); `dondoc check` with no file, or with
Django's own options such as `--deploy`, stays Django's system check.
"""

from __future__ import annotations

import os
import sys


def _route(argv: list[str]) -> list[str]:
    if len(argv) > 1 and argv[1] == "check":
        rest = argv[2:]
        positional = [a for a in rest if a == "-" or not a.startswith("-")]  # "-" is standard input
        if positional and (os.path.exists(positional[0]) or positional[0] == "-" or "--format" in rest):
            return [argv[0], "checkdraft", *rest]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    argv = _route(sys.argv)
    if len(argv) > 1 and argv[1] == "checkdraft":
        # Checking a draft signs nothing and writes to no database: an office can run it on any machine,
        # without the server's secret. A throwaway key keeps the settings loader satisfied. It runs without
        # Django's command machinery, which would load every app, the URL conf and the system checks (seconds).
        import secrets

        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        from dondoc.drafting.checkcli import main as check_main

        raise SystemExit(check_main(argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
